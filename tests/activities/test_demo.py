"""The activities and beneficiaries of `relais demo`: a realistic year, idempotent."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from relais.activities.models import Activity, ActivityTheme
from relais.agreements.models import Commitment
from relais.beneficiaries.demo import SURNAMES
from relais.beneficiaries.models import Beneficiary
from relais.monthly.figures import permanence_figures
from relais.planning.occurrences import occurrences_between

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
    # Baillestavy, in the deliberation but not in the convention, has no permanence.
    assert Activity.objects.filter(place__isnull=False).values("place").distinct().count() == 8


# The demo is built around "today" and its agreements run 2024–2029: the story is read at one
# instant of the programme, not at whatever date `make test-dates` moves the clock to.
@pytest.mark.now("2026-11-24T10:00")
def test_demo_activities_tell_the_story_of_the_permanences():
    """Issue 14 §4: most committed half-days held, and every activity at a place on a day of a
    held permanence there (so none at a place without a commitment)."""
    call_command("demo", "--force")
    today = timezone.localdate()
    first = today - timedelta(days=365)  # the demo's year of activities
    figures = permanence_figures(None, first, today, today)
    assert figures["held_rate"] >= 80, figures
    assert figures["days_outside_planning"] == 0
    for row in figures["places"]:
        assert row["held"] >= 0.8 * float(row["committed"]), row
    convention = set(Commitment.objects.values_list("place_id", flat=True))
    assert not Activity.objects.exclude(place=None).exclude(place_id__in=convention).exists()
    held = {
        (o.place.pk, o.date)
        for o in occurrences_between(first, today)
        if o.is_held and o.advisors_present
    }
    at_places = Activity.objects.exclude(place=None).values_list("place_id", "date").distinct()
    assert set(at_places) <= held
    # Each permanence's activities fit in its hours: no day counts more half-days than held.
    per_day = Activity.objects.exclude(place=None).values("place_id", "date")
    assert max(row["minutes"] for row in per_day.annotate(minutes=Sum("duration_minutes"))) <= 210
