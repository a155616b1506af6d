"""The query layer: measures, filters, scoping, breakdowns, series; roll-up equals live."""

from dataclasses import replace
from datetime import date

import pytest
from django.db import connection

from relais.reporting import stats
from relais.reporting.models import (
    ActivityDailyStat,
    ActivityMonthlyStat,
    ActivityThemeDailyStat,
    ActivityThemeMonthlyStat,
)
from relais.reporting.rollup import rebuild
from relais.reporting.stats import StatsFilters

pytestmark = pytest.mark.django_db
SOURCES = ["rollup", "live"]


@pytest.mark.parametrize("source", SOURCES)
def test_totals(data, year_2025, source):
    t = stats.totals(year_2025, source=source)
    assert t.activities == 7
    assert t.individual == 6 and t.collective == 1
    assert t.accompaniments == 12  # 6 individual + 6 workshop participants
    assert t.workshop_participants == 6
    assert t.linked == 5 and t.anonymous_individual == 1
    assert t.new_beneficiaries == 2  # Alice (March), Bob (January)
    assert t.returning_visits == 3  # Alice once, Bob twice
    assert t.minutes == 30 + 60 + 30 + 120 + 30 + 30 + 15


@pytest.mark.parametrize("source", SOURCES)
def test_new_and_returning_depend_on_the_period(data, source):
    march = StatsFilters(date(2025, 3, 1), date(2025, 3, 1))
    t = stats.totals(march, source=source)
    assert t.new_beneficiaries == 1  # Alice; Bob came first in January
    assert t.returning_visits == 2  # Alice's second visit, Bob's third


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"kind": "collective"}, 1),
        ({"kind": "individual"}, 6),
        ({"theme": "email"}, 4),
        ({"theme": "housing"}, 2),
        ({"start": date(2025, 2, 1), "end": date(2025, 2, 28)}, 1),
    ],
)
def test_simple_filters(data, year_2025, source, change, expected):
    assert stats.totals(replace(year_2025, **change), source=source).activities == expected


@pytest.mark.parametrize("source", SOURCES)
def test_id_filters(data, year_2025, source):
    place, other = data["place"], data["other_place"]
    by = lambda **kw: stats.totals(replace(year_2025, **kw), source=source).activities  # noqa: E731
    assert by(places=(place.pk,)) == 4
    assert by(partners=(place.partner_id,)) == 4
    assert by(partners=(other.partner_id,)) == 2  # the home visit has no place
    assert by(advisors=(data["advisor"].pk,)) == 4
    assert by(advisors=(data["other_advisor"].pk,)) == 3
    assert by(communes=(place.commune_id,)) == 4
    assert by(communes=(data["bob"].commune_id,)) == 1  # home visit: the beneficiary's commune


@pytest.mark.parametrize("source", SOURCES)
def test_breakdowns_add_up_to_the_totals(data, year_2025, source):
    t = stats.totals(year_2025, source=source)
    for dimension in ["duration", "place", "commune", "partner", "advisor", "kind"]:
        result = stats.breakdown(year_2025, dimension, source=source)
        assert sum(r.activities for r in result.rows) == t.activities, dimension
    for dimension in ["age", "gender", "status"]:
        result = stats.breakdown(year_2025, dimension, source=source)
        assert sum(r.accompaniments for r in result.rows) == t.accompaniments, dimension
    themes = stats.breakdown(year_2025, "theme", source=source)
    assert sum(r.activities for r in themes.rows) >= t.activities
    assert {r.key: r.activities for r in themes.rows}["email"] == 4


@pytest.mark.parametrize("source", SOURCES)
def test_breakdown_labels(data, year_2025, source):
    places = stats.breakdown(year_2025, "place", source=source)
    labels = {r.label: r.activities for r in places.rows}
    assert labels[data["place"].name] == 4
    assert labels[stats.NO_PLACE_LABEL] == 1
    communes = {r.label: r.activities for r in stats.breakdown(year_2025, "commune").rows}
    assert communes == {"Prades": 4, "Céret": 2, "Ille-sur-Têt": 1}
    gender = {r.key: r.accompaniments for r in stats.breakdown(year_2025, "gender").rows}
    assert gender == {"female": 2, "male": 3, "unknown": 7}


@pytest.mark.parametrize("source", SOURCES)
def test_monthly_series(data, source):
    filters = StatsFilters(date(2025, 1, 1), date(2025, 6, 1))
    series = stats.monthly_series(filters, source=source)
    assert len(series) == 12 and series[-1].month == date(2025, 6, 1)
    assert series[0].month == date(2024, 7, 1)
    by_month = {p.month: p for p in series}
    assert by_month[date(2025, 1, 1)].activities == 1
    assert by_month[date(2025, 1, 1)].new_beneficiaries == 1
    assert by_month[date(2025, 2, 1)].returning_visits == 1
    assert by_month[date(2025, 3, 1)].activities == 5
    assert by_month[date(2025, 3, 1)].accompaniments == 10
    assert sum(p.activities for p in series) == 7


def test_partner_staff_see_their_places_only(data, year_2025, partner_staff, coordinator):
    scoped = stats.scoped_filters(partner_staff, year_2025)
    assert stats.totals(scoped).activities == 4
    other = replace(year_2025, partners=(data["other_place"].partner_id,))
    assert stats.totals(stats.scoped_filters(partner_staff, other)).activities == 0
    assert stats.scoped_filters(coordinator, year_2025) == year_2025


def _same(rollup, live) -> bool:
    return replace(rollup, computed_at=live.computed_at) == live


def _rollup_rows() -> set:
    """Every roll-up row (monthly and daily, theme or not), its id left out."""
    result = set()
    for model in (ActivityMonthlyStat, ActivityThemeMonthlyStat, ActivityDailyStat,
                  ActivityThemeDailyStat):  # fmt: skip
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        result |= {(model.__name__, *row) for row in model.objects.values_list(*fields)}
    return result


def test_rows_kept_by_the_writes_are_the_rebuilt_rows(data, year_2025):
    kept = _rollup_rows()
    assert kept
    rebuild()
    assert _rollup_rows() == kept
    rebuild()
    assert _rollup_rows() == kept
    assert _same(stats.dashboard(year_2025), stats.dashboard(year_2025, source="live"))


def test_recorded_corrected_and_deleted_activities_count_at_once(data, year_2025):
    from relais.activities.services import activity_delete, activity_update

    from ..activities.factories import record_individual

    alice = data["alice"]
    march = StatsFilters(date(2025, 3, 1), date(2025, 3, 1))
    # A visit of Alice in January: she becomes new in January, returning in March.
    january = record_individual(data["advisor"], place=data["place"], beneficiary=alice,
                                date=date(2025, 1, 2))  # fmt: skip
    activity_delete(activity=data["activities"][2])  # the anonymous one, in March
    for source in SOURCES:
        t = stats.totals(march, source=source)
        assert t.new_beneficiaries == 0 and t.activities == 4
    # Corrected to another month and another person: both follow.
    activity_update(activity=january, data={
        "date": date(2025, 2, 2), "duration_minutes": 45, "location_kind": "place",
        "place": data["place"], "themes": ["housing"], "beneficiary": data["bob"],
        "autonomy": "guided"})  # fmt: skip
    assert stats.totals(march).new_beneficiaries == 1  # Alice's first visit again
    assert _same(stats.dashboard(year_2025), stats.dashboard(year_2025, source="live"))
    assert _rollup_rows() == (rebuild() and _rollup_rows())


def test_a_write_costs_a_few_queries_whatever_the_months(data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..activities.factories import record_individual

    # Bob has activities in three months; one more visit recomputes no month: it reads his few
    # activities and adds to the rows of the new one (3 grains × (1 + 1 theme)).
    with CaptureQueriesContext(connection) as queries:
        record_individual(data["other_advisor"], place=data["other_place"],
                          beneficiary=data["bob"], date=date(2025, 3, 25))  # fmt: skip
    stats_sql = [q["sql"] for q in queries if "monthlystat" in q["sql"]]
    assert len(stats_sql) <= 13
    assert not [sql for sql in stats_sql if sql.startswith("DELETE")]
    assert len([q for q in queries if 'FROM "activities_activity"' in q["sql"]]) <= 12


def test_a_record_reads_the_persons_activities_once_and_locks_through_its_update(data):
    """ADR 0007, « The cost of a record »: no read before the write, no lock of its own (the
    UPDATE of the person's last activity takes it), the readiness check inside the one read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..activities.factories import record_individual

    bob = data["bob"]
    with CaptureQueriesContext(connection) as queries:
        # Dated before his first visit: his January visit is no longer his first.
        record_individual(data["other_advisor"], place=data["other_place"], beneficiary=bob,
                          date=date(2025, 1, 6))  # fmt: skip
    sql = [q["sql"] for q in queries]
    assert len([s for s in sql if "k_themes" in s]) == 1  # the per-activity read, after
    assert len([s for s in sql if "reporting_statsrefresh" in s]) == 1  # inside that read
    assert not [s for s in sql if "FOR UPDATE" in s]
    assert len([s for s in sql if s.startswith("UPDATE") and "beneficiaries_beneficiary" in s]) == 1
    january = StatsFilters(date(2025, 1, 1), date(2025, 1, 1))
    assert stats.totals(january).new_beneficiaries == 1
    assert stats.totals(january).returning_visits == 1
    assert _rollup_rows() == (rebuild() and _rollup_rows())


def test_a_record_that_adds_no_activity_writes_and_reads_nothing(data):
    """A record's transaction that ends without an activity (nothing ``add``-ed) changes no
    roll-up row, and on PostgreSQL reads no activity: its one statement is not sent (an empty
    list of new activities must never become « every activity »)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from relais.reporting.rollup import StatsChange

    rebuild()
    before = _rollup_rows()
    with (
        CaptureQueriesContext(connection) as queries,
        transaction.atomic(),
        StatsChange(beneficiaries=[data["bob"].pk], records=True),
    ):
        pass
    assert _rollup_rows() == before
    if connection.vendor == "postgresql":
        assert not [q for q in queries if "activities_activity" in q["sql"]]


@pytest.mark.parametrize("source", SOURCES)
def test_a_period_in_days_is_exact(data, source):
    from relais.activities.services import activity_delete

    # March 2025: a1 and a3 on the 10th, the workshop on the 11th, b3 on the 3rd, a2 the 20th.
    days = StatsFilters.between(date(2025, 3, 10), date(2025, 3, 11))
    t = stats.totals(days, source=source)
    assert t.activities == 3 and t.accompaniments == 8
    assert t.new_beneficiaries == 1  # Alice, on the 10th
    across = StatsFilters.between(date(2025, 1, 20), date(2025, 3, 5))
    assert stats.totals(across, source=source).activities == 2  # b2 (February), b3 (3 March)
    assert _same(stats.dashboard(across, source=source), stats.dashboard(across, source="live"))
    activity_delete(activity=data["activities"][4])  # b1, in January: b2 becomes Bob's first
    assert stats.totals(across, source=source).new_beneficiaries == 1


def test_dashboard_query_count(data, year_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        stats.dashboard(year_2025)


def test_generate_synthetic_small(db):
    """The benchmarks' generator (bench/synthetic.py) writes rows the model accepts, and the
    roll-ups it builds agree with the live count."""
    from bench.synthetic import generate
    from relais.activities.models import Activity
    from relais.reporting.rollup import rebuild

    generate(300, seed=42, log=lambda *_: None)
    rebuild()
    assert Activity.objects.count() == 300
    year = StatsFilters.last_months(40)
    assert stats.totals(year).activities == 300
    assert stats.totals(year) == stats.totals(year, source="live")
    for activity in Activity.objects.all()[:50]:
        activity.full_clean()  # every row satisfies the model's rules


def test_grain_is_the_coarsest_able_to_answer(year_2025):
    from relais.reporting.enums import Grain

    assert stats.grain_for(year_2025, []) == Grain.COARSE
    assert stats.grain_for(year_2025, ["month", "theme", "kind"]) == Grain.COARSE
    assert stats.grain_for(year_2025, ["place"]) == Grain.PLACE
    assert stats.grain_for(year_2025, ["commune"]) == Grain.PLACE
    assert stats.grain_for(replace(year_2025, partners=(1,)), ["month"]) == Grain.PLACE
    assert stats.grain_for(replace(year_2025, communes=(1,)), []) == Grain.PLACE
    assert stats.grain_for(year_2025, ["advisor"]) == Grain.FINE
    assert stats.grain_for(replace(year_2025, advisors=(1,)), ["place"]) == Grain.FINE


@pytest.mark.parametrize(
    "change",
    [{}, {"theme": "email"}, {"kind": "individual"}, {"communes": "place"},
     {"partners": "place"}, {"places": "other_place"}],
)  # fmt: skip
def test_the_dashboard_reads_no_adviser_row_unless_asked(data, year_2025, change):
    """Without an adviser filter, the figures come from the PLACE and COARSE rows only: with
    the FINE rows gone they are still the live figures (the advisers' breakdown aside)."""
    from relais.reporting.enums import Grain

    ids = {"place": (data["place"].commune_id,), "other_place": (data["other_place"].pk,)}
    if "partners" in change:
        ids["place"] = (data["place"].partner_id,)
    filters = replace(year_2025, **{k: ids.get(v, v) for k, v in change.items()})
    live = stats.dashboard(filters, source="live")
    ActivityMonthlyStat.objects.filter(grain=Grain.FINE).delete()
    ActivityThemeMonthlyStat.objects.filter(grain=Grain.FINE).delete()
    assert live.totals.activities > 0
    assert _same(stats.dashboard(filters), live)


def test_place_rows_are_the_adviser_rows_summed(data):
    from django.db.models import Sum

    from relais.reporting.enums import Grain

    for model in (ActivityMonthlyStat, ActivityThemeMonthlyStat):
        sums = {
            grain: model.objects.filter(grain=grain).aggregate(
                a=Sum("activities"), n=Sum("new_beneficiaries"), m=Sum("minutes"))
            for grain in Grain
        }  # fmt: skip
        assert sums[Grain.FINE] == sums[Grain.PLACE] == sums[Grain.COARSE]
        assert not model.objects.filter(grain=Grain.PLACE, advisor__isnull=False).exists()
    # Two advisers at the same place in the same month share one PLACE row.
    from ..activities.factories import record_individual

    record_individual(data["other_advisor"], place=data["place"], date=date(2025, 3, 12))
    march_place = ActivityMonthlyStat.objects.filter(
        month=date(2025, 3, 1), place=data["place"], kind="individual"
    )
    assert march_place.filter(grain=Grain.FINE).count() == 2
    assert march_place.get(grain=Grain.PLACE).activities == 4


def test_rows_of_another_layout_are_not_read_until_rebuilt(data, year_2025):
    from relais.reporting.enums import Grain
    from relais.reporting.models import LAYOUT, StatsRefresh

    from ..activities.factories import record_individual

    # As if the rows had been written by the release before the PLACE grain.
    ActivityMonthlyStat.objects.filter(grain=Grain.PLACE).delete()
    StatsRefresh.objects.filter(pk=1).update(layout=LAYOUT - 1)
    assert not stats.rollups_ready()
    live = stats.dashboard(year_2025, source="live")
    assert _same(stats.dashboard(year_2025), live)  # exact, from the activities
    record_individual(data["advisor"], place=data["place"], date=date(2025, 3, 12))
    assert stats.totals(year_2025).activities == 8  # the writes leave the rows alone
    result = rebuild()
    assert result["months"] == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    assert stats.rollups_ready()
    assert stats.breakdown(year_2025, "place") == stats.breakdown(year_2025, "place", source="live")


def test_a_place_moved_to_another_commune_moves_its_figures(data, year_2025):
    from ..factories import CommuneFactory

    place = data["place"]
    place.commune = CommuneFactory(name="Vinça")
    place.save()
    assert stats.breakdown(year_2025, "commune") == stats.breakdown(
        year_2025, "commune", source="live"
    )
    filters = replace(year_2025, communes=(place.commune_id,))
    assert stats.totals(filters).activities == 4


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    "change",
    [{}, {"theme": "housing"}, {"kind": "individual"}, {"advisors": "other_advisor"},
     {"partners": "other_place"}],
)  # fmt: skip
def test_place_and_commune_breakdowns_from_one_query_equal_their_own(
    data, year_2025, source, change
):
    ids = {
        "other_advisor": (data["other_advisor"].pk,),
        "other_place": (data["other_place"].partner_id,),
    }
    filters = replace(year_2025, **{k: ids.get(v, v) for k, v in change.items()})
    located = stats.located_breakdowns(filters, source=source)
    assert located["place"] == stats.breakdown(filters, "place", source=source)
    assert located["commune"] == stats.breakdown(filters, "commune", source=source)
    assert located["commune"].total == stats.totals(filters, source=source).activities


def test_refresh_stats_checks_and_rebuilds(data, year_2025):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from relais.activities.models import Activity

    call_command("refresh-stats", "--check", stdout=StringIO())  # the writes kept them
    out = StringIO()
    call_command("refresh-stats", "--if-stale", stdout=out)
    assert "rien à faire" in out.getvalue()
    # A write behind the services' back (raw SQL, a restore…): the check says which month.
    Activity.objects.filter(pk=data["activities"][4].pk).update(duration_minutes=200)
    with pytest.raises(CommandError, match="01/2025"):
        call_command("refresh-stats", "--check", stdout=StringIO())
    call_command("refresh-stats", stdout=StringIO())
    call_command("refresh-stats", "--check", stdout=StringIO())
    assert _same(stats.dashboard(year_2025), stats.dashboard(year_2025, source="live"))


def test_the_demo_shows_its_statistics_at_once(db, capsys):
    from django.core.management import call_command

    call_command("demo", "--force")
    assert stats.rollups_ready()
    year = StatsFilters.last_months(12)
    shown = stats.dashboard(year)
    assert shown.totals.activities > 0
    assert _same(shown, stats.dashboard(year, source="live"))


def test_a_delta_below_zero_marks_the_rollups_stale_and_figures_stay_exact(data, year_2025):
    from relais.activities.models import Activity
    from relais.activities.services import activity_delete

    # Rows removed behind the services' back: deleting an activity would leave them below zero.
    for model in (ActivityMonthlyStat, ActivityThemeMonthlyStat, ActivityDailyStat,
                  ActivityThemeDailyStat):  # fmt: skip
        model.objects.all().delete()
    activity_delete(activity=data["activities"][0])
    assert not stats.rollups_ready()  # figures live until the rebuild, never wrong
    assert stats.totals(year_2025).activities == 6
    assert not Activity.objects.filter(pk=data["activities"][0].pk).exists()  # the write kept
    rebuild()
    assert stats.rollups_ready()
    assert _same(stats.dashboard(year_2025), stats.dashboard(year_2025, source="live"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage parameter")
def test_rollup_pages_keep_room_for_the_writes_updates():
    """Every roll-up table (the four the writes update) keeps a fifth of each page free, and
    the reverse operation gives the default back."""
    from importlib import import_module

    from django.apps import apps

    from relais.reporting.rollup import MODELS

    migration = import_module("relais.reporting.migrations.0001_squashed_0007")
    tables = sorted(model._meta.db_table for model in MODELS.values())
    assert sorted(table for table, _ in migration.UNIQUE_KEYS) == tables

    def options():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s) ORDER BY 1",
                [tables],
            )
            return dict(cursor.fetchall())

    assert options() == {table: ["fillfactor=80"] for table in tables}
    with connection.schema_editor() as editor:
        migration.fill_pages(apps, editor)
    assert options() == {table: None for table in tables}
    with connection.schema_editor() as editor:
        migration.keep_room(apps, editor)
    assert options() == {table: ["fillfactor=80"] for table in tables}


@pytest.mark.parametrize(
    "change", [{}, {"theme": "housing"}, {"advisors": "other_advisor"}, {"places": "place"}]
)
def test_days_read_from_the_daily_rows_equal_live(data, change):
    ids = {"other_advisor": (data["other_advisor"].pk,), "place": (data["place"].pk,)}
    change = {k: ids.get(v, v) for k, v in change.items()}
    periods = [(date(2025, 1, 10), date(2025, 3, 20)), (date(2025, 3, 4), date(2025, 3, 15))]
    for first, last in periods:
        filters = StatsFilters.between(first, last, **change)
        assert _same(stats.dashboard(filters), stats.dashboard(filters, source="live"))
    # 4–15 March: three of March's five activities (10, 10 and 11 March).
    assert stats.totals(StatsFilters.between(date(2025, 3, 4), date(2025, 3, 15))).activities == 3
