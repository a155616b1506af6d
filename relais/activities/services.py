"""Writes to activities. Every write goes through here: validation, themes, beneficiary dates,
and the statistics roll-ups, kept in the same transaction (``reporting.rollup.StatsChange``).

``data`` dictionaries use the form's field names: ``kind``, ``date``, ``duration_minutes``,
``location_kind``, ``place``, ``themes`` (list of ``Theme`` values), ``equipment`` (list of
``Equipment`` values), ``private_notes``; individual: ``beneficiary``, ``autonomy``,
``referral`` and, for an anonymous person, ``gender``, ``age_bracket``, ``social_status``;
collective: ``title``, ``level``, ``participants_count`` and count columns (``gender_female``…).
"""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from relais.beneficiaries.models import Beneficiary

from .enums import (
    ALL_COUNT_FIELDS,
    BREAKDOWNS,
    ActivityKind,
    AgeBracket,
    Gender,
    SocialStatus,
    Theme,
    count_field,
    count_fields,
)
from .models import EQUIPMENT_FIELDS, Activity, ActivityTheme


def _stats_change(**touched):
    """The statistics' roll-ups follow the write (imported here: reporting reads this app)."""
    from relais.reporting.rollup import StatsChange

    return StatsChange(**touched)


# How long after recording an adviser may still correct an activity.
EDIT_WINDOW = timedelta(days=7)

COMMON_FIELDS = ["date", "duration_minutes", "location_kind", "place", "private_notes"]
INDIVIDUAL_FIELDS = ["beneficiary", "autonomy", "referral"]
COLLECTIVE_FIELDS = ["title", "level", "participants_count"]


def _themes(data: dict) -> list[str]:
    themes = list(dict.fromkeys(data.get("themes") or []))
    if not themes:
        raise ValidationError({"themes": "Choisissez au moins une thématique."})
    unknown = set(themes) - set(Theme.values)
    if unknown:
        raise ValidationError({"themes": f"Thématique inconnue : {', '.join(sorted(unknown))}."})
    return themes


def person_of(beneficiary, year: int) -> dict:
    """The anonymous profile an individual activity keeps of its beneficiary."""
    return {
        "gender": beneficiary.gender,
        "age_bracket": beneficiary.age_bracket_in(year),
        "social_status": beneficiary.social_status,
    }


def _apply(activity: Activity, data: dict) -> None:
    """Copy ``data`` onto ``activity`` (unsaved), filling the anonymous counts."""
    for name in COMMON_FIELDS:
        if name in data:
            value = data[name]
            setattr(activity, name, "" if value is None and name == "private_notes" else value)
    equipment = set(data.get("equipment") or [])
    for value, name in EQUIPMENT_FIELDS.items():
        setattr(activity, name, value in equipment)
    if activity.kind == ActivityKind.INDIVIDUAL:
        for name in INDIVIDUAL_FIELDS:
            setattr(activity, name, data.get(name) or (None if name == "beneficiary" else ""))
        activity.title, activity.level = "", ""
        if activity.beneficiary is not None:
            person = person_of(activity.beneficiary, activity.date.year)
        else:
            person = {
                "gender": data.get("gender") or Gender.UNKNOWN,
                "age_bracket": data.get("age_bracket") or AgeBracket.UNKNOWN,
                "social_status": data.get("social_status") or SocialStatus.UNKNOWN,
            }
        activity.set_person(**person)
    else:
        activity.beneficiary, activity.autonomy, activity.referral = None, "", ""
        activity.workshop_session = data.get("workshop_session")
        activity.title = (data.get("title") or "").strip()
        activity.level = data.get("level") or ""
        activity.participants_count = data.get("participants_count") or 0
        for prefix in BREAKDOWNS:
            counts = {name: data.get(name) or 0 for name in count_fields(prefix)}
            if not any(counts.values()):
                # Breakdown not given: everybody counts as « non communiqué ».
                counts[count_field(prefix, "unknown")] = activity.participants_count
            for name, value in counts.items():
                setattr(activity, name, value)


def refresh_last_activity(*beneficiaries) -> None:
    """Set each beneficiary's ``last_activity_on`` from their activities.

    Keeps ``last_activity_on`` (the start of the retention period) exact."""
    for beneficiary in {b for b in beneficiaries if b is not None}:
        latest = beneficiary.activities.aggregate(latest=models.Max("date"))["latest"]
        if beneficiary.last_activity_on != latest:
            beneficiary.last_activity_on = latest
            beneficiary.save(update_fields=["last_activity_on", "updated_at"])


def _save_themes(activity: Activity, themes: list[str]) -> None:
    activity.themes.exclude(theme__in=themes).delete()
    existing = set(activity.themes.values_list("theme", flat=True))
    ActivityTheme.objects.bulk_create(
        [ActivityTheme(activity=activity, theme=t) for t in themes if t not in existing]
    )


def activity_record(
    *, advisor, kind: str, data: dict, idempotency_key: uuid.UUID | str
) -> tuple[Activity, bool]:
    """Record an activity once per ``idempotency_key``: ``(activity, created)``.

    Posting the same form again (double tap, retry after a lost response) returns the activity
    the first post created, with ``created=False``; the unique constraint settles a race between
    two simultaneous posts. Raises ``ValidationError`` (French messages, nothing saved).
    """
    key = uuid.UUID(str(idempotency_key))
    themes = _themes(data)
    activity = Activity(advisor=advisor, kind=kind, idempotency_key=key)
    _apply(activity, data)
    _validate_new(activity)
    try:
        with (
            transaction.atomic(),
            _stats_change(beneficiaries=[activity.beneficiary_id], records=True) as stats,
        ):
            activity.save(force_insert=True)
            ActivityTheme.objects.bulk_create(
                [ActivityTheme(activity=activity, theme=t) for t in themes]
            )
            _extend_last_activity(activity)
            stats.add(activity.pk)
    except IntegrityError:
        # The key was used already (a double tap, a retry after a lost response, two posts
        # crossing): the activity the first post created. Looked up on this rare path only,
        # not before every insert: the unique key settles it in the same round trip.
        existing = Activity.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False
        activity.pk = None
        activity.validate_constraints()  # the French message of the constraint refused
        raise
    return activity, True


# Fields ``full_clean`` need not check on a new activity: the foreign keys hold objects the
# form or the caller has just read (the database's keys still refuse a vanished one), the key is
# unique in the database (a duplicate is the idempotent replay above).
NEW_ACTIVITY_TRUSTED = ["idempotency_key", "advisor", "beneficiary", "place", "workshop_session"]


def _validate_new(activity: Activity) -> None:
    """``full_clean`` without its round trips (issue 19 §2): ``Activity.clean`` and the field
    validators give the French messages of the check constraints in Python, which the database
    enforces anyway; the one constraint Python cannot see — one report per workshop session —
    is checked only when the activity reports a session."""
    activity.full_clean(
        exclude=NEW_ACTIVITY_TRUSTED, validate_unique=False, validate_constraints=False
    )
    if activity.workshop_session_id is not None:
        activity.validate_constraints(
            exclude={name for name in NEW_ACTIVITY_TRUSTED if name != "workshop_session"}
        )


def _extend_last_activity(activity: Activity) -> None:
    """A new activity can only move its person's last activity later: one UPDATE.

    It matches the person's row whether or not it moves it (the values kept otherwise): the
    row lock it takes is the one the statistics' roll-ups need before they read the person's
    activities (``StatsChange(records=True)``: two records for one person follow each other,
    so only one of them counts a « nouveau bénéficiaire »), without a ``SELECT … FOR UPDATE``
    round trip of its own."""
    if activity.beneficiary_id is None:
        return
    person = activity.beneficiary
    later = models.Q(last_activity_on__isnull=True) | models.Q(last_activity_on__lt=activity.date)
    Beneficiary.objects.filter(pk=person.pk).update(
        last_activity_on=models.Case(
            models.When(later, then=models.Value(activity.date)),
            default=models.F("last_activity_on"),
        ),
        updated_at=models.Case(
            models.When(later, then=models.Value(timezone.now())), default=models.F("updated_at")
        ),
    )
    if person.last_activity_on is None or person.last_activity_on < activity.date:
        person.last_activity_on = activity.date  # the caller's copy says what the row says


def activity_update(*, activity: Activity, data: dict) -> Activity:
    """Correct an activity (kind, advisor and key never change)."""
    themes = _themes(data)
    previous_beneficiary = activity.beneficiary
    with (
        transaction.atomic(),
        _stats_change(
            activities=[activity.pk],
            beneficiaries=[activity.beneficiary_id, getattr(data.get("beneficiary"), "pk", None)],
        ),
    ):
        _apply(activity, data)
        activity.full_clean()
        activity.save()
        _save_themes(activity, themes)
        refresh_last_activity(previous_beneficiary, activity.beneficiary)
    return activity


def activity_delete(*, activity: Activity) -> None:
    """Delete an activity (its themes go with it); the statistics no longer count it."""
    beneficiary = activity.beneficiary
    with (
        transaction.atomic(),
        _stats_change(activities=[activity.pk], beneficiaries=[activity.beneficiary_id]),
    ):
        activity.delete()
        refresh_last_activity(beneficiary)


def activity_can_still_be_edited(activity: Activity, now=None) -> bool:
    return (now or timezone.now()) - activity.created_at <= EDIT_WINDOW


def activities_resync_person(*, beneficiary) -> int:
    """Copy a beneficiary's current profile onto the counts of their activities.

    Called after their profile changed, before they are merged away or deleted: the figures of
    their activities then survive them. Returns the number of rows updated. The caller keeps
    the statistics' roll-ups (``StatsChange`` over the beneficiary, around its whole write).
    """
    activities = list(beneficiary.activities.only("pk", "date", *ALL_COUNT_FIELDS))
    for activity in activities:
        activity.set_person(**person_of(beneficiary, activity.date.year))
    Activity.objects.bulk_update(activities, [*ALL_COUNT_FIELDS, "participants_count"])
    return len(activities)
