"""The statistics query layer: totals, breakdowns and monthly series of the activities.

Stable API, imported by the dashboard, the exports, the monthly partner report, the committee
pages and the API. Every function takes a :class:`StatsFilters` and returns plain dataclasses
(integers and French labels, never a person's name or note):

* :func:`totals` → :class:`Totals`
* :func:`breakdown` (one of ``DIMENSIONS``) → :class:`Breakdown`
* :func:`monthly_series` → list of :class:`MonthPoint` (12 months ending with the period)
* :func:`located_breakdowns` → the ``place`` and ``commune`` breakdowns from one query
* :func:`dashboard` → :class:`Dashboard` (all of the above in ~8 queries)
* :func:`scoped_filters` applies who-sees-what; :func:`rollups_ready` whether roll-ups answer.

**Measures** (the Coop's vocabulary):

* ``activities``: activity records (« comptes rendus d'activité »), individual or collective;
* ``accompaniments``: person-sessions, the Coop's « accompagnements »: an individual activity
  counts 1, a workshop counts its participants (Σ ``participants_count``);
* ``workshop_participants``: the participants of collective workshops only;
* ``new_beneficiaries``: followed people (activity linked to a beneficiary) whose very first
  activity, all places and advisers together, falls in the period and the filters — an exact
  count of distinct people;
* ``returning_visits`` (« revenus »): individual activities linked to a beneficiary who had been
  helped before (``linked − new_beneficiaries``). Counted in visits, not in distinct people:
  distinct counts do not add up across months, and a roll-up must add up;
* ``anonymous_individual``: individual activities with nobody linked.

**Periods** are whole months (``start``/``end``) or days (``StatsFilters.between``). With
``source="rollup"`` the whole months are read from the monthly roll-ups — kept exact by every
write, in its transaction (``relais.reporting.rollup``) — and the days of a month the period
does not fill from the daily roll-ups (kept the same way; with an adviser, from that adviser's
activities of those days), so any period is exact and cheap. ``source="live"``
computes everything from the activity rows (tests, small data, roll-ups not built yet).

**Commune** is the commune of the place, else (at home, remote) the beneficiary's commune when
known. **Themes** are multi-valued: the theme breakdown's counts add up to more than the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from relais.activities.enums import (
    BREAKDOWNS,
    ActivityKind,
    AgeBracket,
    Gender,
    SocialStatus,
    Theme,
    count_field,
)
from relais.activities.models import Activity, ActivityTheme
from relais.core.dates import month_end, month_start
from relais.core.db import InList, InSubquery
from relais.core.models import Commune
from relais.places.models import Place
from relais.team.models import Advisor

from .enums import Grain
from .models import (
    DURATION_BUCKETS,
    LAYOUT,
    MEASURE_FIELDS,
    ActivityDailyStat,
    ActivityMonthlyStat,
    ActivityThemeDailyStat,
    ActivityThemeMonthlyStat,
    StatsRefresh,
)

# "daily": the daily roll-ups, read by ``rows`` for the days a period does not fill of a month.
SOURCES = ("rollup", "live", "rollup-checked", "daily")
DIMENSIONS = {
    # name → (French title, main unit)
    "theme": ("Thématiques", "activities"),
    "duration": ("Durée des activités", "activities"),
    "place": ("Lieux", "activities"),
    "commune": ("Communes", "activities"),
    "partner": ("Structures partenaires", "activities"),
    "advisor": ("Conseillers", "activities"),
    "kind": ("Type d'activité", "activities"),
    "age": ("Tranches d'âge", "accompaniments"),
    "gender": ("Genre", "accompaniments"),
    "status": ("Statut", "accompaniments"),
}
UNIT_LABELS = {"activities": "activités", "accompaniments": "accompagnements"}
NO_PLACE_LABEL = "Hors lieu (domicile, à distance…)"
NO_COMMUNE_LABEL = "Commune inconnue"


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsFilters:
    """What to count. ``start``/``end``: any day of the first and last month (inclusive).

    ``first_day``/``last_day`` narrow the period to days (both inclusive; :meth:`between`):
    when given they win, and ``start``/``end`` become their months. Without them the period is
    the whole months ``start`` to ``end``.

    Empty tuples and strings mean « all ». Ids are primary keys (Organisation for
    ``partners``, Place, team.Advisor, core.Commune); ``theme`` and ``kind`` are enum values.
    """

    start: date
    end: date
    partners: tuple[int, ...] = ()
    places: tuple[int, ...] = ()
    advisors: tuple[int, ...] = ()
    communes: tuple[int, ...] = ()
    theme: str = ""
    kind: str = ""
    first_day: date | None = None
    last_day: date | None = None

    def __post_init__(self):
        object.__setattr__(self, "start", month_start(self.first_day or self.start))
        object.__setattr__(self, "end", month_start(self.last_day or self.end))
        for name in ("partners", "places", "advisors", "communes"):
            object.__setattr__(self, name, tuple(sorted({int(v) for v in getattr(self, name)})))

    @property
    def first(self) -> date:
        """The period's first day."""
        return self.first_day or self.start

    @property
    def last(self) -> date:
        """The period's last day."""
        return self.last_day or month_end(self.end)

    @classmethod
    def between(cls, first_day: date, last_day: date, **filters) -> StatsFilters:
        """The days ``first_day`` to ``last_day`` (inclusive), exactly."""
        return cls(first_day, last_day, first_day=first_day, last_day=last_day, **filters)

    @classmethod
    def last_months(cls, months: int = 12, today: date | None = None, **filters) -> StatsFilters:
        """The ``months`` months ending with the current one."""
        end = month_start(today or timezone.localdate())
        return cls(start=end - relativedelta(months=months - 1), end=end, **filters)

    @property
    def end_exclusive(self) -> date:
        """The day after the period."""
        return self.last + timedelta(days=1)

    @property
    def months(self) -> list[date]:
        result, month = [], self.start
        while month <= self.end:
            result.append(month)
            month += relativedelta(months=1)
        return result

    def split(self) -> tuple[StatsFilters | None, list[StatsFilters]]:
        """``(whole months, [partial months])``: the whole months inside the period (``None``
        if there are none) and the days at either end that do not fill their month."""
        first, after = self.first, self.end_exclusive
        whole_first = first if first.day == 1 else month_start(first) + relativedelta(months=1)
        whole_after = after if after.day == 1 else month_start(after)
        if whole_first >= whole_after:
            return None, [self]
        one_day = timedelta(days=1)
        whole = replace(self, first_day=whole_first, last_day=whole_after - one_day)
        edges = []
        if first < whole_first:
            edges.append(replace(self, first_day=first, last_day=whole_first - one_day))
        if whole_after < after:
            edges.append(replace(self, first_day=whole_after, last_day=after - one_day))
        return whole, edges


def scoped_filters(user, filters: StatsFilters) -> StatsFilters:
    """Apply who-sees-what. Partner staff: their structure's places only (a partner filter on
    another structure yields nothing). Coordinators, administrators, committee members and
    advisers: every place — aggregates only, no names anywhere in this module."""
    if getattr(user, "is_partner_staff", False):
        own = user.organisation_id or 0
        partners = (own,) if not filters.partners or own in filters.partners else (-1,)
        return replace(filters, partners=partners)
    return filters


# --- Results ---------------------------------------------------------------------------------


@dataclass
class Totals:
    activities: int = 0
    individual: int = 0
    collective: int = 0
    accompaniments: int = 0
    workshop_participants: int = 0
    minutes: int = 0
    linked: int = 0
    new_beneficiaries: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # gender_*, age_*, status_*, duration_*

    @property
    def returning_visits(self) -> int:
        return self.linked - self.new_beneficiaries

    @property
    def anonymous_individual(self) -> int:
        return self.individual - self.linked

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class BreakdownRow:
    key: str
    label: str
    activities: int | None = None
    accompaniments: int | None = None


@dataclass
class Breakdown:
    dimension: str
    title: str
    unit: str  # "activities" or "accompaniments": the column ``count`` reads
    rows: list[BreakdownRow]

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    def counts(self) -> list[tuple[str, int]]:
        """(label, count in ``unit``) pairs, for charts."""
        return [(row.label, getattr(row, self.unit) or 0) for row in self.rows]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts())


@dataclass
class MonthPoint:
    month: date
    activities: int = 0
    accompaniments: int = 0
    new_beneficiaries: int = 0
    returning_visits: int = 0


@dataclass
class Dashboard:
    filters: StatsFilters
    totals: Totals
    breakdowns: dict[str, Breakdown]
    series: list[MonthPoint]
    computed_at: datetime  # figures count every activity committed before this instant


# --- Row source: roll-up or live -------------------------------------------------------------


def _live_measures(prefix: str) -> dict:
    """Aggregates over Activity (``prefix=""``) or ActivityTheme (``"activity__"``)."""
    p = prefix
    pk = "activity_id" if p else "pk"
    one = Value(1, output_field=IntegerField())

    def count_if(condition: Q):
        return Sum(Case(When(condition, then=one), default=Value(0)), output_field=IntegerField())

    earlier = Activity.objects.filter(beneficiary_id=OuterRef(f"{p}beneficiary_id")).filter(
        Q(date__lt=OuterRef(f"{p}date")) | Q(date=OuterRef(f"{p}date"), pk__lt=OuterRef(pk))
    )
    measures = {
        "activities": Count(pk),
        "individual": count_if(Q(**{f"{p}kind": ActivityKind.INDIVIDUAL})),
        "collective": count_if(Q(**{f"{p}kind": ActivityKind.COLLECTIVE})),
        "accompaniments": Sum(f"{p}participants_count"),
        "workshop_participants": Sum(
            Case(
                When(Q(**{f"{p}kind": ActivityKind.COLLECTIVE}), then=F(f"{p}participants_count")),
                default=Value(0),
            ),
            output_field=IntegerField(),
        ),
        "minutes": Sum(f"{p}duration_minutes"),
        "linked": count_if(Q(**{f"{p}beneficiary__isnull": False})),
        "new_beneficiaries": count_if(Q(**{f"{p}beneficiary__isnull": False}) & ~Exists(earlier)),
    }
    for prefix_name in BREAKDOWNS:
        for value in BREAKDOWNS[prefix_name].values:
            name = count_field(prefix_name, value)
            measures[name] = Sum(f"{p}{name}")
    low = 0
    for name, high, _ in DURATION_BUCKETS:
        condition = Q(**{f"{p}duration_minutes__gt": low})
        if high is not None:
            condition &= Q(**{f"{p}duration_minutes__lte": high})
        measures[name] = count_if(condition)
        low = high or low
    return measures


def _live_queryset(filters: StatsFilters, by_theme: bool):
    p = "activity__" if by_theme else ""
    qs = ActivityTheme.objects.all() if by_theme else Activity.objects.all()
    qs = qs.filter(**{f"{p}date__gte": filters.first, f"{p}date__lte": filters.last})
    if filters.partners:
        qs = qs.filter(**{f"{p}place__partner_id__in": filters.partners})
    if filters.places:
        qs = qs.filter(**{f"{p}place_id__in": filters.places})
    if filters.advisors:
        qs = qs.filter(**{f"{p}advisor_id__in": filters.advisors})
    if filters.kind:
        qs = qs.filter(**{f"{p}kind": filters.kind})
    if filters.theme:
        qs = qs.filter(theme=filters.theme) if by_theme else qs.filter(themes__theme=filters.theme)
    if filters.communes:
        qs = qs.filter(
            Q(**{f"{p}place__commune_id__in": filters.communes})
            | Q(
                **{
                    f"{p}place__isnull": True,
                    f"{p}beneficiary__commune_id__in": filters.communes,
                }
            )
        )
    return qs


def _live_keys(by_theme: bool) -> dict:
    p = "activity__" if by_theme else ""
    keys = {
        "month": TruncMonth(f"{p}date"),
        "place": F(f"{p}place_id"),
        "advisor": F(f"{p}advisor_id"),
        "kind": F(f"{p}kind"),
        "commune": Coalesce(f"{p}place__commune_id", f"{p}beneficiary__commune_id"),
    }
    if by_theme:
        keys["theme"] = F("theme")
    return keys


def stored_queryset(
    *,
    by_theme: bool,
    month: date | None = None,
    activities=None,
    per_activity: bool = False,
    daily: bool = False,
):
    """The FINE roll-up rows of some activities, computed from the activity rows:
    ``values(k_<key>…).annotate(m_<measure>…)``, its columns in the order of ``FINE_KEYS``
    (``+ theme``) then ``MEASURE_FIELDS`` (the refresh inserts its SQL as is).

    ``month``: the activities of that month (keys without ``month``); ``activities``: a ``Q``
    on the activities (keys with ``month``); ``per_activity``: one row per activity (key
    ``k_pk`` and ``k_day`` added) — the writes' deltas (``relais.reporting.rollup``);
    ``daily``: the daily PLACE rows of ``month`` (keys ``day``, ``place``, ``kind``,
    ``commune``[, ``theme``]).

    The stored ``commune`` is the beneficiary's, for activities without a place only: a place's
    commune is read from the place when figures are read, so a place moved to another commune
    changes no stored row.
    """
    p = "activity__" if by_theme else ""
    qs = ActivityTheme.objects.all() if by_theme else Activity.objects.all()
    keys = _live_keys(by_theme)
    keys["commune"] = Case(
        When(**{f"{p}place__isnull": True}, then=F(f"{p}beneficiary__commune_id")),
        default=None,
        output_field=IntegerField(),
    )
    if month is not None:
        qs = qs.filter(**{f"{p}date__gte": month, f"{p}date__lt": month + relativedelta(months=1)})
        del keys["month"]
    if daily:
        del keys["advisor"]
        keys = {"day": F(f"{p}date"), **keys}
    if activities is not None:
        qs = qs.filter(activities)
    if per_activity:
        keys["pk"] = F("pk")
        keys["day"] = F("date")
    measures = _live_measures(p)
    return (
        qs.values(**{f"k_{key}": expression for key, expression in keys.items()})
        .annotate(**{f"m_{name}": measures[name] for name in MEASURE_FIELDS})
        .order_by()
    )


def _rollup_queryset(filters: StatsFilters, by_theme: bool, *, daily: bool = False):
    if daily:
        model = ActivityThemeDailyStat if by_theme else ActivityDailyStat
        qs = model.objects.filter(day__gte=filters.first, day__lte=filters.last)
    else:
        model = ActivityThemeMonthlyStat if by_theme else ActivityMonthlyStat
        qs = model.objects.filter(month__gte=filters.start, month__lte=filters.end)
    # A partner's or a commune's places as a list of ids for the places' index (InSubquery).
    if filters.partners:
        qs = qs.filter(
            InSubquery(
                "place_id", Place.objects.filter(partner_id__in=filters.partners).values("pk")
            )
        )
    if filters.places:
        qs = qs.filter(place_id__in=filters.places)
    if filters.advisors:
        qs = qs.filter(advisor_id__in=filters.advisors)
    if filters.communes:
        # The place's commune, read now (see ``stored_queryset``); else the stored one.
        located = Place.objects.filter(commune_id__in=filters.communes).values("pk")
        qs = qs.filter(
            InSubquery("place_id", located) | Q(place__isnull=True, commune_id__in=filters.communes)
        )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    return qs


COARSE_KEYS = {"month", "kind", "theme"}
PLACE_KEYS = COARSE_KEYS | {"place", "commune"}


def grain_for(filters: StatsFilters, group_by) -> Grain:
    """The coarsest roll-up grain able to answer: FINE when an adviser is involved (filter or
    grouping), else PLACE when a place, partner or commune is, else COARSE (a few hundred rows
    a year, whatever the size of the département)."""
    keys = set(group_by)
    if filters.advisors or not keys <= PLACE_KEYS:
        return Grain.FINE
    if filters.partners or filters.places or filters.communes or not keys <= COARSE_KEYS:
        return Grain.PLACE
    return Grain.COARSE


def grouped_queryset(
    filters: StatsFilters,
    group_by: list[str],
    *,
    source: str = "rollup",
    measures: list[str] | None = None,
    grain: Grain | None = None,
):
    """The ``values(k_<key>…).annotate(m_<measure>…)`` queryset behind :func:`rows`, its
    columns in that order. ``source="rollup"`` reads whole months only (``filters.start`` to
    ``filters.end``); :func:`rows` adds the partial months. ``grain``: the roll-up rows to read
    instead of :func:`grain_for`'s choice."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    measures = measures or MEASURE_FIELDS
    by_theme = bool(filters.theme) or "theme" in group_by
    if source == "live":
        qs = _live_queryset(filters, by_theme)
        keys = _live_keys(by_theme)
        all_measures = _live_measures("activity__" if by_theme else "")
        aggregates = {name: all_measures[name] for name in measures}
    else:
        daily = source == "daily"
        grain = grain_for(filters, group_by) if grain is None else grain
        if daily and grain == Grain.FINE:
            raise ValueError("daily roll-ups have no adviser: read those days live")
        qs = _rollup_queryset(filters, by_theme, daily=daily).filter(grain=grain)
        keys = {"place": F("place_id"), "advisor": F("advisor_id")}
        keys |= {"month": TruncMonth("day") if daily else F("month")}
        keys |= {"kind": F("kind"), "theme": F("theme")}
        # The place's commune as it is now, else the stored one (see ``stored_queryset``).
        keys["commune"] = Coalesce("place__commune_id", "commune_id")
        aggregates = {name: Sum(name) for name in measures}
    aggregates = {f"m_{name}": expression for name, expression in aggregates.items()}
    if not group_by:
        return qs, aggregates
    qs = qs.values(**{f"k_{key}": keys[key] for key in group_by}).annotate(**aggregates)
    return qs.order_by(), None


def rollups_ready() -> bool:
    """Whether the roll-up rows were built with this release's layout (``models.LAYOUT``):
    until ``relais refresh-stats`` has rebuilt them, every figure is computed live."""
    return StatsRefresh.objects.filter(pk=1, layout=LAYOUT).exists()


# Internal: "rollup" whose readiness the caller checked already (one query per dashboard).
_CHECKED = "rollup-checked"


def _resolved(source: str) -> str:
    if source == "rollup":
        return _CHECKED if rollups_ready() else "live"
    return source


def _query(filters, group_by, source, measures) -> list[dict]:
    qs, aggregates = grouped_queryset(filters, group_by, source=source, measures=measures)
    result = [qs.aggregate(**aggregates)] if aggregates is not None else list(qs)
    cleaned = []
    for row in result:
        item = {key: row[f"k_{key}"] for key in group_by}
        if "month" in item and item["month"] is not None:
            item["month"] = month_start(item["month"])
        item.update({name: row[f"m_{name}"] or 0 for name in measures})
        cleaned.append(item)
    return cleaned


def rows(
    filters: StatsFilters,
    group_by: list[str],
    *,
    source: str = "rollup",
    measures: list[str] | None = None,
) -> list[dict]:
    """Summed measures grouped by keys (``month``, ``place``, ``advisor``, ``kind``,
    ``commune``, ``theme``): one dict per group, with the keys and the measures (0, not None).

    ``source="rollup"``: the whole months from the monthly roll-ups, the days of a month the
    period does not fill from the daily roll-ups — or, when an adviser is involved (they have
    no adviser), from the activities of those days, by the index on adviser and date — added
    up.

    Low-level: the building block of the functions below.
    """
    measures = measures or MEASURE_FIELDS
    source = _resolved(source)
    if source == "live":
        return _query(filters, group_by, "live", measures)
    whole, edges = filters.split()
    parts = [_query(whole, group_by, "rollup", measures)] if whole is not None else []
    edge_source = "live" if grain_for(filters, group_by) == Grain.FINE else "daily"
    parts += [_query(edge, group_by, edge_source, measures) for edge in edges]
    if len(parts) == 1:
        return parts[0]
    merged: dict[tuple, dict] = {}
    for part in parts:
        for row in part:
            key = tuple(row[name] for name in group_by)
            if key not in merged:
                merged[key] = dict(row)
            else:
                for name in measures:
                    merged[key][name] += row[name]
    return list(merged.values())


# --- Public queries --------------------------------------------------------------------------


def totals(filters: StatsFilters, *, source: str = "rollup") -> Totals:
    """Every measure over the period and filters (one query)."""
    row = rows(filters, [], source=source)[0]
    base = {name: row[name] for name in Totals.__dataclass_fields__ if name != "counts"}
    counts = {name: row[name] for name in MEASURE_FIELDS if name not in base}
    return Totals(**base, counts=counts)


def _vocabulary_breakdown(dimension: str, result: Totals) -> list[BreakdownRow]:
    vocabulary = {"age": AgeBracket, "gender": Gender, "status": SocialStatus}[dimension]
    return [
        BreakdownRow(value, label, accompaniments=result.counts[count_field(dimension, value)])
        for value, label in vocabulary.choices
    ]


def _labels(dimension: str, ids) -> dict:
    ids = [i for i in ids if i is not None]
    if dimension == "place":
        return dict(Place.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "commune":
        return dict(Commune.objects.filter(pk__in=ids).values_list("pk", "name"))
    if dimension == "advisor":
        return {
            a.pk: a.user.get_full_name()
            for a in Advisor.objects.filter(pk__in=ids).select_related("user")
        }
    return {}


def breakdown(
    filters: StatsFilters,
    dimension: str,
    *,
    source: str = "rollup",
    result: Totals | None = None,
) -> Breakdown:
    """Counts by one dimension of ``DIMENSIONS``, largest first (vocabularies in their order).

    ``age``, ``gender``, ``status``, ``duration`` and ``kind`` are read from ``result`` (the
    :func:`totals` of the same filters) when given, else computed. The rows of every dimension
    but ``theme`` add up to the totals (``theme``: more, an activity may have several).
    """
    title, unit = DIMENSIONS[dimension]
    if dimension in {"age", "gender", "status", "duration", "kind"}:
        result = result or totals(filters, source=source)
        if dimension == "duration":
            items = [
                BreakdownRow(name, label, activities=result.counts[name])
                for name, _, label in DURATION_BUCKETS
            ]
        elif dimension == "kind":
            items = [
                BreakdownRow(ActivityKind.INDIVIDUAL, ActivityKind.INDIVIDUAL.label,
                             result.individual, result.individual),
                BreakdownRow(ActivityKind.COLLECTIVE, ActivityKind.COLLECTIVE.label,
                             result.collective, result.workshop_participants),
            ]  # fmt: skip
        else:
            items = _vocabulary_breakdown(dimension, result)
        return Breakdown(dimension, title, unit, items)

    measures = ["activities", "accompaniments"]
    if dimension == "partner":
        grouped = rows(filters, ["place"], source=source, measures=measures)
        places = dict(Place.objects.filter(pk__in=[r["place"] for r in grouped if r["place"]])
                      .values_list("pk", "partner__name"))  # fmt: skip
        merged: dict[str, BreakdownRow] = {}
        for row in grouped:
            name = places.get(row["place"]) or NO_PLACE_LABEL
            item = merged.setdefault(name, BreakdownRow(name, name, 0, 0))
            item.activities += row["activities"]
            item.accompaniments += row["accompaniments"]
        items = list(merged.values())
    else:
        grouped = rows(filters, [dimension], source=source, measures=measures)
        items = _keyed_items(dimension, grouped)
    return _sorted_breakdown(dimension, items)


def _sorted_breakdown(dimension: str, items: list[BreakdownRow]) -> Breakdown:
    title, unit = DIMENSIONS[dimension]
    items.sort(key=lambda item: (-(item.activities or 0), item.label))
    return Breakdown(dimension, title, unit, items)


def _place_and_commune_labels(places, communes) -> dict[str, dict]:
    """``_labels`` of places and of communes in one round trip (``located_breakdowns``)."""
    label = {"place": Value("place"), "commune": Value("commune")}
    ids = {"place": [i for i in places if i is not None],
           "commune": [i for i in communes if i is not None]}  # fmt: skip
    result: dict[str, dict] = {"place": {}, "commune": {}}
    if not ids["place"] and not ids["commune"]:
        return result
    # The ids as two arrays (``InList``): some hundreds each at 10 M activities.
    places = Place.objects.filter(InList("pk", ids["place"])).order_by()  # no ORDER BY in a UNION
    communes = Commune.objects.filter(InList("pk", ids["commune"])).order_by()
    both = places.values_list(label["place"], "pk", "name").union(
        communes.values_list(label["commune"], "pk", "name"), all=True
    )
    for dimension, pk, name in both:
        result[dimension][pk] = name
    return result


def _keyed_items(dimension: str, grouped: list[dict], labels=None) -> list[BreakdownRow]:
    """Breakdown rows, labelled, from :func:`rows` grouped by ``dimension`` alone."""
    if labels is None:
        labels = (
            dict(Theme.choices)
            if dimension == "theme"
            else _labels(dimension, [row[dimension] for row in grouped])
        )
    empty = {"place": NO_PLACE_LABEL, "commune": NO_COMMUNE_LABEL}.get(dimension, "—")
    return [
        BreakdownRow(
            str(row[dimension] or ""),
            labels.get(row[dimension], empty) if row[dimension] is not None else empty,
            row["activities"],
            row["accompaniments"],
        )
        for row in grouped
    ]


def located_breakdowns(filters: StatsFilters, *, source: str = "rollup") -> dict[str, Breakdown]:
    """The ``place`` and ``commune`` breakdowns (equal to :func:`breakdown`'s) from one query
    grouped by both: a place lies in one commune, so the pairs are barely more numerous than
    the places, and the dashboard reads its largest roll-up rows once instead of twice."""
    measures = ["activities", "accompaniments"]
    pairs = rows(filters, ["place", "commune"], source=source, measures=measures)
    labels = _place_and_commune_labels({r["place"] for r in pairs}, {r["commune"] for r in pairs})
    result = {}
    for dimension in ("place", "commune"):
        sums: dict = {}
        for row in pairs:
            key = row[dimension]
            total = sums.setdefault(key, {dimension: key, "activities": 0, "accompaniments": 0})
            total["activities"] += row["activities"]
            total["accompaniments"] += row["accompaniments"]
        result[dimension] = _sorted_breakdown(
            dimension, _keyed_items(dimension, list(sums.values()), labels[dimension])
        )
    return result


def monthly_series(
    filters: StatsFilters, *, months: int = 12, source: str = "rollup"
) -> list[MonthPoint]:
    """One point per month for the ``months`` months ending with ``filters.end`` (zeros
    included), whatever ``filters.start``."""
    # Whole months, but the last one stops where the period does.
    window = replace(filters, first_day=filters.end - relativedelta(months=months - 1))
    grouped = rows(
        window,
        ["month"],
        source=source,
        measures=["activities", "accompaniments", "linked", "new_beneficiaries"],
    )
    by_month = {row["month"]: row for row in grouped if row["month"]}
    points = []
    for month in window.months:
        row = by_month.get(month)
        if row is None:
            points.append(MonthPoint(month))
        else:
            points.append(
                MonthPoint(
                    month,
                    row["activities"],
                    row["accompaniments"],
                    row["new_beneficiaries"],
                    row["linked"] - row["new_beneficiaries"],
                )
            )
    return points


DASHBOARD_DIMENSIONS = ["theme", "duration", "place", "commune", "age", "gender", "status", "kind"]


def dashboard(filters: StatsFilters, *, source: str = "rollup") -> Dashboard:
    """Totals, the dashboard's breakdowns and the 12-month series, as of now."""
    computed_at = timezone.now()
    source = _resolved(source)
    result = totals(filters, source=source)
    located = located_breakdowns(filters, source=source)
    return Dashboard(
        filters=filters,
        totals=result,
        breakdowns={
            name: located[name]
            if name in located
            else breakdown(filters, name, source=source, result=result)
            for name in DASHBOARD_DIMENSIONS
        },
        series=monthly_series(filters, source=source),
        computed_at=computed_at,
    )
