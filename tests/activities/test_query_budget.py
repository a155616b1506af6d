"""Recording an activity is light (issue 19 §2): a fixed number of round trips, whatever the
form, without ``full_clean``'s ``SELECT 1`` per constraint that the database enforces anyway."""

from contextlib import nullcontext

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.activities import services
from relais.activities.models import Activity

from ..beneficiaries.factories import BeneficiaryFactory
from .formdata import form_defaults

pytestmark = pytest.mark.django_db
CREATE = reverse("activities:create")
# The request's own work: session, user with its second-factor device and adviser, person, place,
# INSERT activity, INSERT themes, UPDATE the person's last activity.
BUDGET = 7


class _NoStats:
    def add(self, *ids):
        pass


def _statements(queries) -> list[str]:
    """Round trips that are statements (savepoints are the test's transaction's, not ours)."""
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def _post_counted(client, **changes):
    data = form_defaults(client.get(CREATE).content.decode())
    data.update({"themes": ["email", "social_health"], **changes})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(CREATE, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return _statements(queries)


@pytest.mark.parametrize("with_person", [True, False])
def test_recording_an_activity_takes_at_most_eight_queries(
    advisor_client, monkeypatch, with_person
):
    # The statistics' roll-ups follow each write in its transaction (reporting.rollup, issue 14):
    # their statements are counted apart, below.
    monkeypatch.setattr(services, "_stats_change", lambda **_: nullcontext(_NoStats()))
    changes = {"location_kind": "home"}
    if with_person:
        changes["beneficiary"] = str(BeneficiaryFactory().pk)
    statements = _post_counted(advisor_client, **changes)
    assert len(statements) <= BUDGET, "\n".join(statements)
    assert not [s for s in statements if s.startswith('SELECT 1 AS "_check"')]
    assert Activity.objects.count() == 1


def test_with_the_roll_ups_no_constraint_is_checked_twice(advisor_client):
    statements = _post_counted(
        advisor_client, location_kind="home", beneficiary=str(BeneficiaryFactory().pk)
    )
    assert not [s for s in statements if s.startswith('SELECT 1 AS "_check"')]
    assert not [s for s in statements if 'SELECT 1 AS "a" FROM "team_advisor"' in s]


def test_a_replayed_post_returns_the_first_activity_without_a_second(advisor_client):
    data = form_defaults(advisor_client.get(CREATE).content.decode())
    data.update({"themes": ["email"], "location_kind": "home"})
    first = advisor_client.post(CREATE, data)
    again = advisor_client.post(CREATE, data, follow=True)
    assert first.status_code == 302
    assert "déjà enregistrée" in again.content.decode()
    assert Activity.objects.count() == 1
