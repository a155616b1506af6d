"""Coverage of the agreements' commitments, per place and ISO week, in half-days.

- **committed**: the Art. 1.2 lines valid on the week's Monday
  (``Commitment.objects.valid_on(monday)``) of the agreements in force that Monday; a day is
  two half-days; fortnightly counts 0.5 a week and monthly 12/52 (``weekly_half_days``).
- **planned**: the week's occurrences that will be held (status « prévue »: not cancelled,
  not unstaffed). Each occurrence counts :func:`half_days_for_hours` of its length: one
  half-day per full block of the agreement's half-day (``half_day_hours``, 3.5 h by default),
  plus one more when the remainder reaches 3 h. So 3 h to 6 h 29 count one half-day,
  6 h 30 to 9 h 59 two; a window under 3 h counts none (too short to be a half-day of
  permanence under Art. 1.2). A morning and an afternoon entered as two slots count one
  each.
- **held**: from activity reports, through :func:`held_half_days` — ``None`` until the
  activities app exists (nothing is invented meanwhile).
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from relais.agreements.half_days import DEFAULT_HALF_DAY_HOURS
from relais.agreements.models import Agreement, Commitment
from relais.core.dates import monday_of
from relais.places.models import Place

from .enums import OccurrenceStatus
from .occurrences import occurrences_between

MINIMUM_HALF_DAY_HOURS = 3.0


def half_days_for_hours(hours: float, half_day_hours=None) -> int:
    """Half-days a permanence of ``hours`` counts for (rule in the module docstring), a
    half-day lasting ``half_day_hours`` (the place's agreement's; default: the field's,
    ``relais.agreements.half_days``)."""
    block = float(half_day_hours or DEFAULT_HALF_DAY_HOURS)
    blocks = math.floor(hours / block + 1e-9)
    remainder = hours - blocks * block
    return blocks + (1 if remainder >= min(MINIMUM_HALF_DAY_HOURS, block) - 1e-9 else 0)


def _held_table(places, mondays) -> dict:
    """``held_half_days`` for a whole table at once (two queries instead of two per cell)."""
    try:
        from relais.reporting.coverage import held_half_days_table
    except ImportError:
        return {}
    return held_half_days_table(places, mondays)


def held_half_days(place, week: date) -> Decimal | None:
    """Half-days actually held at ``place`` in the ISO week starting ``week`` (a Monday).

    From the activity reports (« comptes rendus d'activité »), individual and collective, of
    the advisers at ``place`` that week. Activities carry a date and a duration but no time of
    day, so per day: no activity → 0; recorded minutes up to one half-day (the agreement's
    ``half_day_hours``, ``relais.agreements.half_days``) → 1 half-day; more → 2 (a day holds
    two half-days at most).
    Activities at home or remote (no place) count nowhere. ``None`` (unknown) for a place
    with no activity ever recorded, or without the reporting app. Implemented by
    ``relais.reporting.coverage.held_half_days``.
    """
    try:
        from relais.reporting.coverage import held_half_days as from_activities
    except ImportError:
        return None
    return from_activities(place, week)


@dataclass
class CoverageCell:
    place: object
    week: date  # the Monday
    committed: Decimal = Decimal(0)
    planned: int = 0
    held: Decimal | None = None

    @property
    def shortfall(self) -> Decimal:
        """Half-days committed but not planned (0 when covered)."""
        return max(self.committed - self.planned, Decimal(0))

    @property
    def is_short(self) -> bool:
        return self.shortfall > 0

    @property
    def iso_week(self) -> str:
        year, number, _ = self.week.isocalendar()
        return f"{year}-S{number:02d}"


@dataclass
class CoverageRow:
    place: object
    cells: list[CoverageCell] = field(default_factory=list)


@dataclass
class CoverageTable:
    weeks: list[date]
    rows: list[CoverageRow]

    @property
    def shortfalls(self) -> list[CoverageCell]:
        return [cell for row in self.rows for cell in row.cells if cell.is_short]

    @property
    def cells(self) -> list[CoverageCell]:
        return [cell for row in self.rows for cell in row.cells]


def _committed_by_place(weeks: list[date]) -> dict[tuple[int, date], Decimal]:
    committed = defaultdict(Decimal)
    agreements = Agreement.objects.filter(commitments__isnull=False).distinct()
    for agreement in agreements.prefetch_related("signatories", "amendments"):
        # Which lines are valid on a day depends only on the signed amendments in effect then
        # (CommitmentQuerySet.valid_on): one query per such set, not one per week (a year's
        # review asked 53 times).
        lines_by_state = {}
        for monday in weeks:
            if not agreement.timeline(monday).is_in_force:
                continue
            state = frozenset(
                amendment.pk
                for amendment in agreement.amendments.all()
                if amendment.department_signed_on
                and amendment.partner_signed_on
                and amendment.effective_from
                and amendment.effective_from <= monday
            )
            if state not in lines_by_state:
                lines_by_state[state] = list(
                    Commitment.objects.filter(agreement=agreement).valid_on(monday)
                )
            for commitment in lines_by_state[state]:
                committed[(commitment.place_id, monday)] += commitment.weekly_half_days
    return committed


def committed_half_days(place, week: date) -> Decimal:
    """Half-days owed to ``place`` in the week starting ``week`` (see the module docstring)."""
    return _committed_by_place([week]).get((place.pk, week), Decimal(0))


def coverage_table(
    first_week: date, weeks: int = 4, places=None, *, held: bool = True
) -> CoverageTable:
    """Committed, planned and held half-days for ``weeks`` ISO weeks from ``first_week``.

    Rows: the places with something committed or planned in the period (or ``places``).
    ``held=False`` leaves every cell's ``held`` unknown (``None``) and reads no activity: a
    page that shows only the shortfalls (committed vs planned, the coordinator's home page)
    does not pay for scanning the activity reports on every request.
    """
    mondays = [monday_of(first_week) + timedelta(weeks=i) for i in range(weeks)]
    committed = _committed_by_place(mondays)
    occurrences = occurrences_between(mondays[0], mondays[-1] + timedelta(days=6), places=places)
    planned = defaultdict(int)
    for occurrence in occurrences:
        if occurrence.status == OccurrenceStatus.PLANNED:
            planned[(occurrence.place.pk, monday_of(occurrence.date))] += half_days_for_hours(
                occurrence.duration_hours
            )
    if places is None:
        place_ids = {pid for pid, _ in committed} | {pid for pid, _ in planned}
        places = Place.objects.filter(pk__in=place_ids)
    places = list(places.select_related("commune").order_by("name"))
    held_cells = _held_table(places, mondays) if held else {}
    rows = []
    for place in places:
        row = CoverageRow(place)
        for monday in mondays:
            row.cells.append(
                CoverageCell(
                    place=place,
                    week=monday,
                    committed=committed.get((place.pk, monday), Decimal(0)),
                    planned=planned.get((place.pk, monday), 0),
                    held=held_cells.get((place.pk, monday)),
                )
            )
        rows.append(row)
    return CoverageTable(weeks=mondays, rows=rows)
