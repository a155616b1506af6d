"""Statistical disclosure control: the figures that may leave the application.

A count of 1 to ``threshold − 1`` people or activities (``RELAIS_DISCLOSURE_THRESHOLD``,
default 5, the usual rule of public statistics) can single someone out: « 4 accompagnements à
Petite-Ville, 3 femmes et 1 homme, tous sans emploi ». Every aggregated output for someone
other than the controller's staff — the API, the statistics page and its exports for
advisers, partners and the committee, the annual review — goes through :func:`protect`:

* **primary suppression**: a count in ``1 … threshold − 1`` is not published (0 is: nobody
  can be singled out among nobody);
* **secondary suppression**: the published figures are linked by sums (a breakdown adds up
  to its total, the kinds to the activities, the places of a commune to the commune, the
  months to the period…). As long as a suppressed figure can be computed from the published
  ones by any combination of those sums (exact linear algebra, :func:`recoverable`), the
  smallest published figure sharing a sum with it is suppressed too.

A suppressed figure is :data:`SECRET` (« secret statistique », ``null`` in JSON): it may be
small or large, the reader cannot tell which, so it never shows as « < 5 ».

What this does not do (docs/statistical-disclosure.md): differences between two answers
with different filters (the controller's staff, who hold the data, answer for the rare
legitimate need of finer figures), and attribute disclosure when a published figure is the
whole of its total (« 12 accompagnements, tous sans emploi »).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from django.conf import settings

from relais.places.models import Place

from .stats import Breakdown, BreakdownRow, Dashboard, MonthPoint

SECRET_LABEL = "secret statistique"  # noqa: S105 - a label, not a password
EXPLANATION = (
    "« secret statistique » : chiffre non publié parce qu'il compte moins de {threshold} "
    "personnes ou activités, ou parce qu'il permettrait de retrouver un tel chiffre par "
    "différence avec un total."
)


class Secret:
    """A suppressed figure. Falsy, prints as « secret statistique »; one instance."""

    _instance: Secret | None = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return SECRET_LABEL

    def __repr__(self) -> str:
        return "SECRET"


SECRET = Secret()


def threshold() -> int:
    return settings.RELAIS_DISCLOSURE_THRESHOLD


def explanation() -> str:
    return EXPLANATION.format(threshold=threshold())


def json_value(value):
    """A figure for JSON: ``None`` when suppressed."""
    return None if value is SECRET else value


def cell_value(value):
    """A figure for a spreadsheet cell or a table: the label when suppressed."""
    return SECRET_LABEL if value is SECRET else value


# --- The rule, on named cells and sums -------------------------------------------------------

# An equation: (cell or hidden name, coefficient) pairs whose weighted sum is 0.
Equation = list[tuple[str, int]]


def sum_equation(total: str, parts: Iterable[str]) -> Equation:
    """``total = Σ parts``."""
    return [(total, 1), *((part, -1) for part in parts)]


def recoverable(equations: list[Equation], unknown: set[str]) -> set[str]:
    """The unknowns that the equations determine, the other names being known.

    Row-reduce the equations restricted to the unknown columns (exact fractions): an unknown
    is determined exactly when some reduced row has it as its only non-zero entry.
    """
    columns = sorted(unknown)
    index = {name: i for i, name in enumerate(columns)}
    matrix = []
    for equation in equations:
        row = [Fraction(0)] * len(columns)
        for name, coefficient in equation:
            if name in index:
                row[index[name]] += coefficient
        if any(row):
            matrix.append(row)
    pivot_row = 0
    for column in range(len(columns)):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        pivot = matrix[pivot_row][column]
        matrix[pivot_row] = [value / pivot for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    determined = set()
    for row in matrix[:pivot_row]:
        nonzero = [i for i, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            determined.add(columns[nonzero[0]])
    return determined


def suppress(cells: dict[str, int], equations: list[Equation], *, limit: int) -> set[str]:
    """The cells not to publish: primary (``0 < value < limit``) then secondary, until no
    suppressed cell can be recovered from the published ones. Names in the equations that are
    not cells are hidden quantities (never published, never to protect)."""
    suppressed = {name for name, value in cells.items() if 0 < value < limit}
    if not suppressed:
        return suppressed
    hidden = {name for equation in equations for name, _ in equation} - cells.keys()
    while True:
        exposed = recoverable(equations, suppressed | hidden) & suppressed
        if not exposed:
            return suppressed
        target = min(exposed)
        candidates = {
            name
            for equation in equations
            if any(name == target for name, _ in equation)
            for name, _ in equation
            if name in cells and name not in suppressed
        }
        if not candidates:  # determined through other sums only: widen to every sum
            candidates = {
                name for equation in equations for name, _ in equation
                if name in cells and name not in suppressed
            }  # fmt: skip
        if not candidates:  # cannot happen (then nothing is published), but never loop
            return suppressed | set(cells)
        # The smallest non-zero figure costs the least information; a zero last.
        suppressed.add(min(candidates, key=lambda name: (cells[name] == 0, cells[name], name)))


# --- The dashboard's figures -----------------------------------------------------------------

TOTAL_NAMES = [
    "activities", "individual", "collective", "accompaniments", "workshop_participants",
    "new_beneficiaries", "returning_visits", "anonymous_individual",
]  # fmt: skip
SERIES_MEASURES = ["activities", "accompaniments", "new_beneficiaries", "returning_visits"]
MEASURES = ["activities", "accompaniments"]


@dataclass
class PublishedTotals:
    """The totals as published: an int or :data:`SECRET` each."""

    activities: object
    individual: object
    collective: object
    accompaniments: object
    workshop_participants: object
    new_beneficiaries: object
    returning_visits: object
    anonymous_individual: object
    minutes: object
    hours: object


@dataclass
class Published(Dashboard):
    """A :class:`~relais.reporting.stats.Dashboard` fit to publish (``exact``: not protected,
    for the controller's staff). ``secret``: the names of the suppressed cells."""

    secret: frozenset[str] = frozenset()
    exact: bool = False
    threshold: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        return EXPLANATION.format(threshold=self.threshold)


def _cells(result: Dashboard) -> dict[str, int]:
    t = result.totals
    cells = {f"totals.{name}": getattr(t, name) for name in TOTAL_NAMES}
    for dimension, item in result.breakdowns.items():
        for row in item.rows:
            for measure in MEASURES:
                value = getattr(row, measure)
                if value is not None:
                    cells[f"{dimension}.{row.key}.{measure}"] = value
    for point in result.series:
        for measure in SERIES_MEASURES:
            cells[f"series.{point.month:%Y-%m}.{measure}"] = getattr(point, measure)
    return cells


def _place_communes(result: Dashboard) -> dict[str, str]:
    places = result.breakdowns.get("place")
    if places is None or "commune" not in result.breakdowns:
        return {}
    ids = [int(row.key) for row in places.rows if row.key]
    return {
        str(pk): str(commune)
        for pk, commune in Place.objects.filter(pk__in=ids).values_list("pk", "commune_id")
    }


def equations(result: Dashboard, cells: dict[str, int], place_communes: dict[str, str]):
    """Every sum linking the published figures of ``result`` (see the module docstring)."""
    t = "totals."
    found = [
        sum_equation(f"{t}activities", [f"{t}individual", f"{t}collective"]),
        sum_equation(f"{t}accompaniments", [f"{t}individual", f"{t}workshop_participants"]),
        sum_equation(
            f"{t}individual",
            [f"{t}new_beneficiaries", f"{t}returning_visits", f"{t}anonymous_individual"],
        ),
    ]
    breakdowns = result.breakdowns
    for dimension, item in breakdowns.items():
        for measure in MEASURES:
            names = [f"{dimension}.{row.key}.{measure}" for row in item.rows]
            if not names or any(name not in cells for name in names):
                continue
            if dimension != "theme":
                found.append(sum_equation(f"{t}{measure}", names))
            elif len(names) == 1:
                # One theme for every activity counted (or the theme filter): the total.
                found.append(sum_equation(f"{t}{measure}", names))
    if "kind" in breakdowns:
        pairs = [
            ("kind.individual.activities", "individual"),
            ("kind.individual.accompaniments", "individual"),
            ("kind.collective.activities", "collective"),
            ("kind.collective.accompaniments", "workshop_participants"),
        ]
        found += [sum_equation(f"{t}{total}", [name]) for name, total in pairs if name in cells]
    # The months of the series inside the period add up to it.
    filters = result.filters
    if result.series and filters.first.day == 1 and result.series[0].month <= filters.start:
        months = [p for p in result.series if p.month >= filters.start]
        for measure in SERIES_MEASURES:
            found.append(
                sum_equation(f"{t}{measure}", [f"series.{p.month:%Y-%m}.{measure}" for p in months])
            )
    # A commune = its places + what was done outside any place for its residents.
    if place_communes:
        for measure in MEASURES:
            outside_row = f"place..{measure}"
            outside_known_zero = cells.get(outside_row, 0) == 0
            outside_parts = []
            for row in breakdowns["commune"].rows:
                commune = f"commune.{row.key}.{measure}"
                places = [
                    f"place.{key}.{measure}"
                    for key, value in place_communes.items()
                    if value == row.key and f"place.{key}.{measure}" in cells
                ]
                parts = list(places)
                if not outside_known_zero:
                    hidden = f"outside.{row.key or 'unknown'}.{measure}"
                    parts.append(hidden)
                    outside_parts.append(hidden)
                if commune in cells:
                    found.append(sum_equation(commune, parts))
            if outside_parts and outside_row in cells:
                found.append(sum_equation(outside_row, outside_parts))
    return found


def protect(
    result: Dashboard,
    *,
    limit: int | None = None,
    extra: dict[str, int] | None = None,
    relations: Iterable[Equation] = (),
) -> Published:
    """``result`` with the figures that could single someone out replaced by :data:`SECRET`.

    ``extra``: more figures published beside the dashboard's (named ``headline.…`` or so),
    protected with them; ``relations``: the sums linking them to the dashboard's cells. Their
    published values are in ``Published.extra``."""
    limit = threshold() if limit is None else limit
    extra = extra or {}
    cells = _cells(result) | extra
    found = equations(result, cells, _place_communes(result)) + list(relations)
    secret = suppress(cells, found, limit=limit)

    def value(name: str, exact):
        return SECRET if name in secret else exact

    t = result.totals
    totals = PublishedTotals(
        **{name: value(f"totals.{name}", getattr(t, name)) for name in TOTAL_NAMES},
        # Hours and minutes say how long « n » activities lasted: secret with their number.
        minutes=value("totals.activities", t.minutes),
        hours=value("totals.activities", t.hours),
    )
    breakdowns = {
        dimension: replace(
            item,
            rows=[
                BreakdownRow(
                    row.key,
                    row.label,
                    *(
                        None
                        if getattr(row, measure) is None
                        else value(f"{dimension}.{row.key}.{measure}", getattr(row, measure))
                        for measure in MEASURES
                    ),
                )
                for row in item.rows
            ],
        )
        for dimension, item in result.breakdowns.items()
    }
    series = [
        MonthPoint(
            point.month,
            *(value(f"series.{point.month:%Y-%m}.{m}", getattr(point, m)) for m in SERIES_MEASURES),
        )
        for point in result.series
    ]
    return Published(
        filters=result.filters,
        totals=totals,
        breakdowns=breakdowns,
        series=series,
        computed_at=result.computed_at,
        secret=frozenset(secret),
        exact=False,
        threshold=limit,
        extra={name: value(name, exact) for name, exact in extra.items()},
    )


def exact(result: Dashboard) -> Published:
    """``result`` unprotected, for the controller's staff (``Published.exact``)."""
    return Published(
        filters=result.filters,
        totals=result.totals,
        breakdowns=result.breakdowns,
        series=result.series,
        computed_at=result.computed_at,
        exact=True,
        threshold=threshold(),
    )


def chartable(item: Breakdown) -> Breakdown:
    """The breakdown's published rows only (a chart draws no bar for a secret)."""
    return replace(item, rows=[row for row in item.rows if getattr(row, item.unit) is not SECRET])
