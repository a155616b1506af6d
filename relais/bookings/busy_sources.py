"""The queries behind ``relais.team.busy``: every source of an adviser's busy time, in one
module, registered by ``BookingsConfig.ready()``.

They live in ``bookings`` because it already depends on the planning, the workshops and the
team: no import cycle. Appointments and committee meetings are registered by their apps, which
sit above (``relais/appointments/busy_sources.py``, ``relais/committee/busy_sources.py``). See
``relais/team/busy.py`` for the rules.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from relais.core.french import at_place
from relais.planning.enums import OccurrenceStatus
from relais.planning.models import Closure, Slot
from relais.planning.occurrences import occurrences_between
from relais.planning.travel import travel_minutes
from relais.team.busy import Busy, register_source, register_travel
from relais.team.enums import BusyKind
from relais.team.models import Advisor, Leave
from relais.workshops.enums import SessionStatus
from relais.workshops.models import WorkshopSession


def _local(moment: datetime):
    return timezone.localtime(moment).date()


def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive)


def permanences(advisor_ids, start, end, place_ids):
    """Occurrences held (not cancelled) where the adviser is present."""
    if not advisor_ids:
        return []
    advisors = list(Advisor.objects.filter(pk__in=advisor_ids))
    wanted = set(advisor_ids)
    first, last = _local(start), _local(end)
    # Only the slots they staff or replace on: not every slot of the département.
    slots = list(
        Slot.objects.valid_between(first, last)
        .filter(
            Q(advisors__in=advisor_ids)
            | Q(
                exceptions__replacement_advisors__in=advisor_ids,
                exceptions__date__range=(first, last),
            )
        )
        .distinct()
        .with_related()
    )
    found = []
    for occurrence in occurrences_between(first, last, advisors=advisors, slots=slots):
        if occurrence.status == OccurrenceStatus.CANCELLED:
            continue
        if not (occurrence.start < end and start < occurrence.end):
            continue
        for advisor in occurrence.advisors_present:
            if advisor.pk in wanted:
                found.append(
                    Busy(
                        kind=BusyKind.PERMANENCE,
                        start=occurrence.start,
                        end=occurrence.end,
                        label=f"Permanence {at_place(occurrence.place.name)}",
                        advisor_id=advisor.pk,
                        place_id=occurrence.place.pk,
                        commune=occurrence.place.commune,
                        ref=("permanence", occurrence.key),
                        obj=occurrence,
                    )
                )
    return found


def workshops(advisor_ids, start, end, place_ids):
    """Sessions not cancelled that the adviser runs."""
    sessions = (
        WorkshopSession.objects.filter(
            advisors__in=advisor_ids, starts_at__lt=end, ends_at__gt=start
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("topic", "place__commune")
        .prefetch_related("advisors")
        .distinct()
    )
    wanted = set(advisor_ids)
    return [
        Busy(
            kind=BusyKind.WORKSHOP,
            start=session.starts_at,
            end=session.ends_at,
            label=f"Atelier « {session.topic.title} » {at_place(session.place.name)}",
            advisor_id=advisor.pk,
            place_id=session.place_id,
            commune=session.place.commune,
            ref=("workshop", session.pk),
            obj=session,
        )
        for session in sessions
        for advisor in session.advisors.all()
        if advisor.pk in wanted
    ]


def leave(advisor_ids, start, end, place_ids):
    """Leave, to the half-day. The kind is not named (sick leave is sensitive)."""
    rows = Leave.objects.filter(advisor_id__in=advisor_ids).overlapping(_local(start), _local(end))
    found = []
    for row in rows:
        begins, ends = _aware(row.starts_at), _aware(row.ends_at)
        if begins < end and start < ends:
            found.append(
                Busy(
                    kind=BusyKind.LEAVE,
                    start=begins,
                    end=ends,
                    label=f"Absence {row.period_display}",
                    advisor_id=row.advisor_id,
                    ref=("leave", row.pk),
                    obj=row,
                )
            )
    return found


def closures(advisor_ids, start, end, place_ids):
    """Closures of the given places and of the places of the advisers' permanences."""
    places = set(place_ids)
    if advisor_ids:
        places |= set(
            Slot.objects.valid_between(_local(start), _local(end))
            .filter(advisors__in=advisor_ids)
            .values_list("place_id", flat=True)
        )
    rows = Closure.objects.filter(
        place_id__in=places, start_date__lte=_local(end), end_date__gte=_local(start)
    ).select_related("place")
    found = []
    for row in rows:
        begins = _aware(datetime.combine(row.start_date, time(0)))
        ends = _aware(datetime.combine(row.end_date + timedelta(days=1), time(0)))
        found.append(
            Busy(
                kind=BusyKind.CLOSURE,
                start=begins,
                end=ends,
                label=f"Fermeture de {row.place.name} {row.period_display} ({row.reason})",
                place_id=row.place_id,
                ref=("closure", row.pk),
                obj=row,
            )
        )
    return found


SOURCES = {
    BusyKind.PERMANENCE: permanences,
    BusyKind.WORKSHOP: workshops,
    BusyKind.LEAVE: leave,
    BusyKind.CLOSURE: closures,
}


def register() -> None:
    for kind, source in SOURCES.items():
        register_source(kind, source)
    register_travel(travel_minutes)
