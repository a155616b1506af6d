"""The planning demo: the seed's 13 half-days a week, idempotent, waiting for an agreement."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.core.demo import DemoContext
from relais.core.models import Organisation
from relais.places.models import Place
from relais.planning import demo
from relais.planning.checks import planning_findings
from relais.planning.coverage import coverage_table
from relais.planning.enums import OccurrenceStatus
from relais.planning.models import Closure, Slot
from relais.planning.occurrences import occurrences_between
from relais.team.models import Leave

from .conftest import SEED_TABLE, make_agreement

pytestmark = pytest.mark.django_db
QUIET_WEEK = date(2026, 10, 5)  # no public or school holiday


@pytest.fixture
def demo_with_agreement(capsys):
    call_command("demo", "--force")
    assert "aucune convention signée ne couvre" in capsys.readouterr().err or Slot.objects.exists()
    places = {name: Place.objects.get(commune__name=name) for name, *_ in SEED_TABLE}
    if not Slot.objects.exists():  # the agreements' demo does not create the successor yet
        make_agreement(
            Organisation.objects.get(kind="department"),
            Organisation.objects.get(kind="epci"),
            places,
            signed_on=date(2026, 8, 3),
            hard_end=date(2027, 6, 30),
        )
    demo.load(DemoContext(department_code="66"))
    return places


def test_demo_plans_every_commitment(demo_with_agreement):
    assert Slot.objects.count() == 13
    assert not Slot.objects.filter(place__commune__name="Baillestavy").exists()
    table = coverage_table(QUIET_WEEK, weeks=1)
    assert sum(c.committed for c in table.cells) == 13
    assert sum(c.planned for c in table.cells) == 13
    assert table.shortfalls == []
    slot = Slot.objects.first()
    assert slot.valid_from == date(2026, 9, 1) and slot.valid_until == date(2027, 6, 30)
    assert slot.commitment is not None


def test_demo_week_has_no_error_only_opening_hours_warnings(demo_with_agreement):
    findings = planning_findings(QUIET_WEEK, QUIET_WEEK + timedelta(days=6))
    assert {f.code for f in findings} == {"opening_hours"}
    assert len(findings) == 2


def test_demo_leave_next_week_leaves_occurrences_unstaffed(demo_with_agreement):
    today = timezone.localdate()
    next_monday = today + timedelta(days=7 - today.weekday())
    assert Leave.objects.filter(advisor__user__last_name="Tablette").exists()
    week = occurrences_between(next_monday, next_monday + timedelta(days=6))
    unstaffed = [o for o in week if o.status == OccurrenceStatus.UNSTAFFED]
    if next_monday <= date(2027, 6, 21):  # while the demo slots run
        assert {o.place.commune.name for o in unstaffed} >= {"Vinça"}


def test_demo_is_idempotent(demo_with_agreement):
    counts = (Slot.objects.count(), Closure.objects.count(), Leave.objects.count())
    call_command("demo", "--force")
    demo.load(DemoContext(department_code="66"))
    assert (Slot.objects.count(), Closure.objects.count(), Leave.objects.count()) == counts
