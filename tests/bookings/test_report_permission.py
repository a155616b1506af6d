"""The roster's « Saisir le compte rendu » button and the activity form agree on who may report.

bookings sits below activities (docs/architecture.md, « Layers »), so the roster asks
``bookings.perms.can_report_session``; this test keeps it equal to the activity form's own rule,
``activities.perms.can_record_activity``, for every kind of account.
"""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from relais.accounts.enums import Role
from relais.activities.perms import can_record_activity
from relais.bookings.perms import can_report_session
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "active", "with_profile"),
    list(itertools.product(Role.values, [True, False], [True, False])),
)
def test_the_roster_and_the_activity_form_agree(role, active, with_profile):
    user = UserFactory(role=role, is_active=active)
    if with_profile:
        AdvisorFactory(user=user)
    user.refresh_from_db()
    assert can_report_session(user, None) == can_record_activity(user)
    # Only an active adviser with a team profile reports.
    assert can_record_activity(user) == (role == Role.ADVISOR and active and with_profile)


def test_an_anonymous_visitor_reports_nothing():
    assert not can_report_session(AnonymousUser(), None)
    assert not can_record_activity(AnonymousUser())
