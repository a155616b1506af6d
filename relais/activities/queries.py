"""Reads for the activity pages."""

from datetime import timedelta

from django.db.models import Count, Max, Prefetch
from django.utils import timezone

from relais.agreements.models import Commitment
from relais.beneficiaries.models import Beneficiary
from relais.bookings.queries import session_attendance_counts
from relais.core.params import parse_id
from relais.places.models import Place
from relais.planning.occurrences import occurrences_between
from relais.workshops.models import WorkshopSession

from . import perms
from .enums import DURATION_CHOICES, OTHER_DURATION, Level
from .models import Activity, ActivityTheme


def activities_for_list(advisor):
    """The adviser's own activities, latest first, with what the list shows."""
    return (
        Activity.objects.of_advisor(advisor)
        .select_related("place", "beneficiary")
        .prefetch_related(Prefetch("themes", queryset=ActivityTheme.objects.order_by("pk")))
        .defer("private_notes")
    )


def private_notes_for(viewer, activity) -> str:
    """The activity's private notes as ``viewer`` may read them: the text for its author, else "".

    The one place that hands a note out. Every page, form, document, export and API response
    that could carry a note goes through it, so the rule (``perms.can_view_private_notes``: the
    author only) cannot be forgotten by the next export. Exports made for someone else (the
    person's own data-subject export included) therefore carry only the notes of whoever
    exports. Called with a row read with ``defer("private_notes")``, it loads the text of its
    author's rows only.
    """
    if viewer is None or not perms.can_view_private_notes(viewer, activity):
        return ""
    return activity.private_notes


def activity_for_detail(pk: int):
    """One activity with its place, adviser and themes, or ``None``."""
    return (
        Activity.objects.select_related("place", "beneficiary", "advisor__user")
        .prefetch_related("themes")
        .filter(pk=pk)
        .first()
    )


# A permanence counts as "under way" a little before it opens and after it closes: advisers
# arrive early, and type the last reports once the door is shut.
PERMANENCE_MARGIN = timedelta(minutes=30)


def convention_place_ids(day) -> set[int]:
    """Places with a commitment on ``day`` in an agreement in force (the convention's table)."""
    # The agreements' signatures (their timeline) in one query, not one per agreement.
    commitments = (
        Commitment.objects.valid_on(day)
        .select_related("agreement")
        .prefetch_related("agreement__signatories")
    )
    timelines = {}
    for commitment in commitments:
        agreement = commitment.agreement
        if agreement.pk not in timelines:
            timelines[agreement.pk] = agreement.timeline(day).is_in_force
    return {c.place_id for c in commitments if timelines[c.agreement_id]}


def planned_place(advisor, now, allowed: set[int]):
    """The place of the adviser's permanence under way at ``now`` (planning app), or ``None``."""
    day = timezone.localdate(now)
    for occurrence in occurrences_between(day, day, advisors=[advisor]):
        if not (occurrence.is_held and advisor in occurrence.advisors_present):
            continue
        under_way = (
            occurrence.start - PERMANENCE_MARGIN <= now <= occurrence.end + PERMANENCE_MARGIN
        )
        if under_way and occurrence.place.pk in allowed:
            return occurrence.place
    return None


def frequent_place(advisor, day, allowed: set[int]):
    """The place of most of the adviser's activities this month (latest wins a tie), or None."""
    row = (
        Activity.objects.of_advisor(advisor)
        .filter(place_id__in=allowed, date__gte=day.replace(day=1), date__lte=day)
        .values("place_id")
        .annotate(n=Count("pk"), latest=Max("date"))
        .order_by("-n", "-latest", "place_id")
        .first()
    )
    return Place.objects.filter(pk=row["place_id"]).first() if row else None


def default_place(advisor, day, requested: str = "", now=None):
    """The place the entry form starts with: ``?place=`` (slug or id, an explicit link), else
    the permanence under way, else the adviser's most frequent place this month — never a
    place outside the convention in force."""
    if requested:
        places = Place.objects.active()
        place_id = parse_id(requested)
        place = (
            places.filter(pk=place_id).first()
            if place_id
            else places.filter(slug=requested).first()
        )
        if place is not None:
            return place
    allowed = convention_place_ids(day)
    if not allowed:
        return None
    return planned_place(advisor, now or timezone.now(), allowed) or frequent_place(
        advisor, day, allowed
    )


def initial_from_session(session_id: str) -> dict:
    """Prefill a collective report from a workshop session of the catalogue.

    Title, level, themes, date, place and duration come from the session; the participants
    are those marked present (or, attendance not yet taken, the confirmed registrations), as
    anonymous counts: the report never names anybody.
    """
    if not (session_pk := parse_id(session_id)):
        return {}
    session = WorkshopSession.objects.select_related("topic", "place").filter(pk=session_pk).first()
    if session is None:
        return {}
    counts = session_attendance_counts(session)
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    duration = str(minutes) if minutes in DURATION_CHOICES else OTHER_DURATION
    return {
        "workshop_session": session,
        "title": session.topic.title,
        "level": session.topic.level if session.topic.level in Level.values else "",
        "themes": list(session.topic.themes or []),
        "date": timezone.localtime(session.starts_at).date(),
        "place": session.place,
        "duration": duration,
        "custom_duration": minutes if duration == OTHER_DURATION else None,
        "participants_count": counts["present"] or counts["registered"] or None,
    }


# --- Offline reference lists (ADR 0008) ---------------------------------------------------------
# What the service worker keeps of an adviser's data for the form offline: the people this
# adviser helped lately, and the places they worked at. Nothing else personal.
OFFLINE_PEOPLE_LIMIT = 50
OFFLINE_MONTHS = 6


def _offline_since(today):
    from dateutil.relativedelta import relativedelta

    return today - relativedelta(months=OFFLINE_MONTHS)


def offline_people(advisor, today, limit: int = OFFLINE_PEOPLE_LIMIT) -> list:
    """The named people ``advisor`` recorded an activity with in the last ``OFFLINE_MONTHS``
    months, latest first, at most ``limit``: only this adviser's own, not the team's file."""
    latest = (
        Activity.objects.of_advisor(advisor)
        .filter(beneficiary__isnull=False, date__gte=_offline_since(today), date__lte=today)
        .values("beneficiary")
        .annotate(latest=Max("date"), last_pk=Max("pk"))
        .order_by("-latest", "-last_pk")[:limit]
    )
    order = [row["beneficiary"] for row in latest]
    people = (
        Beneficiary.objects.filter(pk__in=order)
        .exclude(name_key="")
        .select_related("commune")
        .only(
            "first_name", "last_name", "name_key", "birth_year", "last_activity_on", "commune__name"
        )
    )
    by_pk = {person.pk: person for person in people}
    return [by_pk[pk] for pk in order if pk in by_pk]


def offline_places(advisor, today) -> list[Place]:
    """The active places ``advisor`` recorded activities at in the last ``OFFLINE_MONTHS``
    months, the most frequent first."""
    counts = (
        Activity.objects.of_advisor(advisor)
        .filter(place__isnull=False, date__gte=_offline_since(today), date__lte=today)
        .values("place")
        .annotate(n=Count("pk"))
        .order_by("-n", "place")
    )
    order = [row["place"] for row in counts]
    places = {p.pk: p for p in Place.objects.active().filter(pk__in=order)}
    return [places[pk] for pk in order if pk in places]
