"""Figures of the monthly partner report (Art. 3.4), computed from the activities and the planning.

``period_figures(places, first, last)`` returns a JSON-serialisable dict (integers, strings and
floats rounded to 2 decimals) — the snapshot stored on ``monthly.MonthlyReport`` at submission
and the basis of the annual review. Only anonymous counts: no name, no note, no beneficiary.

Permanences (half-days, as in ``relais.planning.coverage``):

* **committed**: Art. 1.2 commitments valid each week (``coverage_table``), prorated by the
  weekdays (Monday to Friday) of that week falling in the period: a week straddling two months
  counts 3/5 in one and 2/5 in the other; the sum is then rounded to whole half-days (a
  half-day is held or not: « 17 / 57 », never « 17 / 57,20 »);
* **planned**: the period's planned occurrences (not cancelled, not unstaffed), each counting
  ``half_days_for_hours`` of its length, a half-day lasting the place's agreement's
  ``half_day_hours`` (``relais.agreements.half_days``);
* **held**: the planned occurrences already past whose place has at least one activity recorded
  that day — the activity report is the evidence that the permanence took place;
* **days_outside_planning**: days with activities at a place and no planned occurrence there.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.utils import timezone

from relais.activities.enums import BREAKDOWNS, ActivityKind, Theme, count_field
from relais.activities.models import Activity, ActivityTheme
from relais.agreements.half_days import half_day_hours_by_place, whole_half_days
from relais.bookings.queries import session_attendance_counts
from relais.core.dates import monday_of, month_end, month_start
from relais.core.french import month_year
from relais.places.models import Place
from relais.planning.coverage import coverage_table, half_days_for_hours
from relais.planning.occurrences import occurrences_between
from relais.workshops.enums import SessionStatus
from relais.workshops.models import WorkshopSession

SCHEMA_VERSION = 1
PARIS = ZoneInfo("Europe/Paris")


def previous_month(month: date) -> date:
    return month_start(month_start(month) - timedelta(days=1))


def month_label(month: date) -> str:
    return month_year(month)


def partner_places(partner):
    return Place.objects.filter(partner=partner)


def activities_between(places, first: date, last: date):
    """Activities at ``places`` (a queryset; ``None``: everywhere) from ``first`` to ``last``."""
    activities = Activity.objects.without_personal_data().filter(date__range=(first, last))
    if places is not None:
        activities = activities.filter(place__in=places)
    return activities


def activity_figures(activities) -> dict:
    """Totals, profile breakdowns and themes of a queryset of activities."""
    count_names = [count_field(p, v) for p, vocab in BREAKDOWNS.items() for v in vocab.values]
    sums = activities.aggregate(
        total=Count("pk"),
        individual=Count("pk", filter=_kind(ActivityKind.INDIVIDUAL)),
        collective=Count("pk", filter=_kind(ActivityKind.COLLECTIVE)),
        participants=Sum("participants_count"),
        collective_participants=Sum("participants_count", filter=_kind(ActivityKind.COLLECTIVE)),
        duration_minutes=Sum("duration_minutes"),
        **{name: Sum(name) for name in count_names},
    )
    profiles = {
        prefix: [
            {"value": value, "label": label, "count": sums[count_field(prefix, value)] or 0}
            for value, label in vocabulary.choices
        ]
        for prefix, vocabulary in BREAKDOWNS.items()
    }
    labels = dict(Theme.choices)
    theme_rows = (
        ActivityTheme.objects.filter(activity__in=activities.values("pk"))
        .values("theme")
        .annotate(n=Count("pk"))
        .order_by("-n", "theme")
    )
    return {
        "total": sums["total"],
        "individual": sums["individual"],
        "collective": sums["collective"],
        "participants": sums["participants"] or 0,
        "collective_participants": sums["collective_participants"] or 0,
        "duration_minutes": sums["duration_minutes"] or 0,
        "profiles": profiles,
        "themes": [
            {
                "value": row["theme"],
                "label": labels.get(row["theme"], row["theme"]),
                "count": row["n"],
            }
            for row in theme_rows
        ],
    }


def _kind(kind: str) -> Q:
    return Q(kind=kind)


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first, time.min, tzinfo=PARIS),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=PARIS),
    )


def workshop_figures(places, first: date, last: date) -> dict:
    """Sessions of the departmental programme held or cancelled in the period, and attendance."""
    start, end = _day_bounds(first, last)
    sessions = WorkshopSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
    if places is not None:
        sessions = sessions.filter(place__in=places)
    held = [s for s in sessions if s.status == SessionStatus.HELD]
    registered = present = 0
    for session in held:
        counts = session_attendance_counts(session)
        registered += counts["registered"]
        present += counts["present"]
    return {
        "sessions_held": len(held),
        "sessions_cancelled": sessions.filter(status=SessionStatus.CANCELLED).count(),
        "registered": registered,
        "present": present,
    }


def _mondays(first: date, last: date) -> list[date]:
    monday = monday_of(first)
    mondays = []
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(weeks=1)
    return mondays


def _weekday_share(monday: date, first: date, last: date) -> Decimal:
    days = [monday + timedelta(days=i) for i in range(5)]
    return Decimal(sum(1 for day in days if first <= day <= last)) / 5


def permanence_figures(places, first: date, last: date, today: date | None = None) -> dict:
    """Committed, planned and held half-days per place (rules in the module docstring)."""
    today = today or timezone.localdate()
    places = Place.objects.all() if places is None else places
    mondays = _mondays(first, last)
    table = coverage_table(mondays[0], weeks=len(mondays), places=places)
    committed = defaultdict(Decimal)
    names = {}
    for row in table.rows:
        names[row.place.pk] = row.place.name
        for cell in row.cells:
            committed[row.place.pk] += cell.committed * _weekday_share(cell.week, first, last)
    activity_days = set(
        activities_between(places, first, last)
        .filter(place__isnull=False)
        .values_list("place_id", "date")
        .distinct()
    )
    planned, held = defaultdict(int), defaultdict(int)
    planned_days = set()
    lengths = half_day_hours_by_place([p.pk for p in places], first)
    for occurrence in occurrences_between(first, last, places=places):
        if not occurrence.is_held:
            continue
        half_days = half_days_for_hours(occurrence.duration_hours, lengths.get(occurrence.place.pk))
        key = (occurrence.place.pk, occurrence.date)
        names[occurrence.place.pk] = occurrence.place.name
        planned_days.add(key)
        planned[occurrence.place.pk] += half_days
        if occurrence.date <= today and key in activity_days:
            held[occurrence.place.pk] += half_days
    rows = [
        {
            "place_id": pk,
            "place": names[pk],
            "committed": whole_half_days(committed[pk]),
            "planned": planned[pk],
            "held": held[pk],
        }
        for pk in sorted(names, key=lambda pk: names[pk])
        if committed[pk] or planned[pk]
    ]
    # Whole half-days: prorated weeks make fractions, but a half-day is held or not.
    total_committed = whole_half_days(sum(committed.values(), Decimal(0)))
    total_held = sum(held.values())
    return {
        "committed_half_days": total_committed,
        "planned_half_days": sum(planned.values()),
        "held_half_days": total_held,
        "held_rate": round(100 * total_held / total_committed) if total_committed else None,
        "days_outside_planning": len(activity_days - planned_days),
        "places": rows,
    }


def period_figures(places, first: date, last: date, today: date | None = None) -> dict:
    """Everything the monthly report and the annual review show, as a JSON-ready dict."""
    activities = activities_between(places, first, last)
    return {
        "schema": SCHEMA_VERSION,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "activities": activity_figures(activities),
        "workshops": workshop_figures(places, first, last),
        "permanences": permanence_figures(places, first, last, today),
    }


def monthly_figures(*, partner, month: date, today: date | None = None) -> dict:
    month = month_start(month)
    return period_figures(partner_places(partner), month, month_end(month), today)
