"""The activities and beneficiaries of `relais demo`: a realistic year, idempotent."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from relais.activities.models import Activity, ActivityTheme
from relais.beneficiaries.demo import SURNAMES
from relais.beneficiaries.models import Beneficiary

pytestmark = pytest.mark.django_db


def _counts():
    return (Activity.objects.count(), ActivityTheme.objects.count(), Beneficiary.objects.count())


def test_demo_year_of_activities_is_realistic_and_idempotent(capsys):
    call_command("demo", "--force")
    first = _counts()
    call_command("demo", "--force")
    assert _counts() == first
    assert 1500 <= first[0] <= 3000
    kinds = dict(Activity.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds["individual"] > 10 * kinds["collective"] > 0
    named = Activity.objects.filter(beneficiary__isnull=False).count()
    assert 0.2 < named / kinds["individual"] < 0.5  # most stay anonymous
    assert set(Beneficiary.objects.values_list("last_name", flat=True)) <= set(SURNAMES)
    assert not Beneficiary.objects.exclude(phone="").exists()
    top = ActivityTheme.objects.values_list("theme").annotate(n=Count("pk")).order_by("-n")[:3]
    assert "procedure_help" in {theme for theme, _ in top}
    assert Activity.objects.filter(place__isnull=False).values("place").distinct().count() == 9
