"""The headline figures of the annual review, each defined once, here (and in docs/glossary.md,
« Bilan : chiffres clés »). The review prints them; its tests recount them from the activities.

Computed from the activities themselves, in the committee's own queries (the statistics app
counts accompaniments and roll-ups for other pages; a review is produced a few times a year and
must say exactly what its words say):

- **activities** (« activités »): activity records (CRA), individual and collective.
- **accompaniments** (« accompagnements »): people × sessions, the sum of the participants of
  every activity: one person helped three times counts 3, a workshop of 6 counts 6.
- **people** (« personnes accompagnées », distinct): people with a record who had at least one
  activity in the period, each counted once however often they came. People helped without a
  record (anonymous individual help, workshop participants) cannot be told apart; they are
  counted in accompaniments only (``accompaniments_without_record``).
- **held half-days** (« demi-journées tenues »): what was actually held, read from the
  activities: for each place and day with at least one activity there, 1 half-day, or 2 when
  the activities of that day add up to more than the agreement's half-day (``half_day_hours``,
  ``relais.agreements.half_days``; the rule of the coverage page,
  ``relais.reporting.coverage.half_days_for_minutes``). Only places with a commitment count
  towards coverage.
- **committed half-days** (« demi-journées engagées »): the Art. 1.2 commitments in force over
  the period, in whole half-days (partial weeks at the ends of the year are prorated, then the
  total is rounded to the nearest half-day).
- **coverage** (« taux de couverture »): held half-days at committed places ÷ committed
  half-days, as a whole percentage.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from relais.activities.models import Activity
from relais.agreements.half_days import half_day_hours_by_place, half_day_minutes, whole_half_days
from relais.reporting.coverage import half_days_for_minutes as half_days_held


@dataclass
class HeadlineFigures:
    activities: int
    individual: int
    collective: int
    accompaniments: int
    accompaniments_without_record: int
    people: int
    hours: int
    held_half_days: int
    committed_half_days: int
    held_by_place: dict = field(default_factory=dict)  # place id → held half-days

    @property
    def coverage_rate(self) -> int | None:
        if not self.committed_half_days:
            return None
        return round(100 * self.held_half_days / self.committed_half_days)


def scoped_activities(first: date, last: date, partner=None):
    activities = Activity.objects.filter(date__range=(first, last))
    if partner is not None:
        activities = activities.filter(place__partner=partner)
    return activities


def headline_figures(*, first: date, last: date, partner=None, committed_by_place=None):
    """The review's headline figures; ``committed_by_place``: {place id: committed half-days}
    over the period (from the commitments in force, ``monthly.figures.period_figures``)."""
    committed_by_place = committed_by_place or {}
    activities = scoped_activities(first, last, partner)
    sums = activities.aggregate(
        activities=Count("pk"),
        individual=Count("pk", filter=Q(kind="individual")),
        collective=Count("pk", filter=Q(kind="collective")),
        accompaniments=Sum("participants_count"),
        without_record=Sum("participants_count", filter=Q(beneficiary__isnull=True)),
        people=Count("beneficiary", distinct=True),
        minutes=Sum("duration_minutes"),
    )
    per_day = (
        activities.filter(place__isnull=False)
        .values("place_id", "date")
        .annotate(minutes=Sum("duration_minutes"))
        .order_by()
    )
    per_day = list(per_day)
    lengths = half_day_hours_by_place({row["place_id"] for row in per_day}, first)
    held_by_place: dict[int, int] = {}
    for row in per_day:
        half_day = half_day_minutes(lengths[row["place_id"]])
        held_by_place[row["place_id"]] = held_by_place.get(row["place_id"], 0) + half_days_held(
            row["minutes"] or 0, half_day
        )
    committed = {pk: value for pk, value in committed_by_place.items() if value}
    return HeadlineFigures(
        activities=sums["activities"],
        individual=sums["individual"],
        collective=sums["collective"],
        accompaniments=sums["accompaniments"] or 0,
        accompaniments_without_record=sums["without_record"] or 0,
        people=sums["people"],
        hours=round((sums["minutes"] or 0) / 60),
        held_half_days=sum(held_by_place.get(pk, 0) for pk in committed),
        committed_half_days=whole_half_days(sum(committed.values(), Decimal(0))),
        held_by_place=held_by_place,
    )
