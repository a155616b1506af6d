"""``core.db.prepared_cursor``: statements prepared once per connection (PostgreSQL), seen by
Django's query log like any other, and Django's own cursor elsewhere."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from relais.core.db import prepared_cursor

pytestmark = pytest.mark.django_db


def test_its_statements_are_logged_with_their_values():
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute("SELECT %s + 1, %s", [41, "l'Estanyol"])
        assert cursor.fetchall() == [(42, "l'Estanyol")]
    assert len(queries) == 1
    assert "41" in queries[0]["sql"] and "Estanyol" in queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared: PostgreSQL")
def test_on_postgresql_a_statement_is_prepared_once_and_planned_once():
    sql = "SELECT count(*) FROM core_commune WHERE insee_code = %s"
    for code in ("66149", "66136", "66149"):
        with prepared_cursor() as cursor:
            cursor.execute(sql, [code])
            cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ["SELECT count(*) FROM core_commune%"],
        )
        rows = cursor.fetchall()
        cursor.execute("SHOW plan_cache_mode")
        mode = cursor.fetchone()[0]
    assert mode == "force_generic_plan"
    assert len(rows) == 1  # one statement for the three executions
    generic, custom = rows[0]
    assert (generic, custom) == (3, 0)  # planned once, not for each value


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the fallback: SQLite")
def test_elsewhere_it_is_djangos_cursor():
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s + 1", [1])
        assert cursor.fetchone() == (2,)


def test_in_subquery_selects_the_rows_of_in_whatever_the_database():
    from relais.core.db import InSubquery
    from relais.core.models import Commune

    from ..factories import CommuneFactory

    communes = [CommuneFactory(name=name) for name in ("Prades", "Vinça", "Eus", "Olette")]
    chosen = Commune.objects.filter(name__in=["Vinça", "Olette"]).values("pk")
    found = Commune.objects.filter(InSubquery("pk", chosen) | Q(name="Eus"))
    assert sorted(c.name for c in found) == ["Eus", "Olette", "Vinça"]
    assert set(found) <= set(communes)
    sql = str(found.query)
    assert ("= ANY(ARRAY(" in sql) == (connection.vendor == "postgresql")


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(alphabet="%s$1'\\\"aé -", max_size=12),
    number=st.integers(min_value=-(10**6), max_value=10**6),
)
def test_a_statement_gives_what_djangos_cursor_gives_whatever_its_values(text, number):
    """The prepared cursor takes Django's ``%s`` statements (converted to ``$1``… once): its
    values — a ``%``, a ``%s``, a ``$1``, quotes inside them — and a ``%%`` in the statement
    come back as Django's own cursor returns them."""
    sql = "SELECT %s, '100%%', %s + 1, %s"
    params = [text, number, text]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected = cursor.fetchall()
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchall() == expected == [(text, "100%", number + 1, text)]


@settings(max_examples=25, deadline=None)
@given(chosen=st.lists(st.sampled_from(["Prades", "Vinça", "Eus", "Olette", "absent"])))
def test_in_list_selects_the_rows_of_in_whatever_the_list(chosen):
    """``InList`` (one array value on PostgreSQL) selects what Django's ``__in`` selects:
    repeated ids, an id that does not exist, an empty list (nothing), combined with ``|``."""
    from relais.core.db import InList
    from relais.core.models import Commune

    from ..factories import CommuneFactory

    for name in ("Prades", "Vinça", "Eus", "Olette"):  # once: the examples share the test's data
        if not Commune.objects.filter(name=name).exists():
            CommuneFactory(name=name)
    ids = [Commune.objects.get(name=n).pk if n != "absent" else -1 for n in chosen]
    expected = set(Commune.objects.filter(Q(pk__in=ids) | Q(name="Eus")))
    assert set(Commune.objects.filter(InList("pk", ids) | Q(name="Eus"))) == expected
    assert set(Commune.objects.filter(InList("pk", ids))) == set(Commune.objects.filter(pk__in=ids))
