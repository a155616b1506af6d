"""Canary rows for the team's retention rules (collected by tests/privacy/test_purge.py)."""

from datetime import date

from django.utils import timezone

from relais.team.models import Leave

from ..factories import AdvisorFactory


def make_advisor_leave():
    advisor = AdvisorFactory()
    due = Leave.objects.create(
        advisor=advisor, kind="paid_leave", start_date=date(2019, 7, 1), end_date=date(2019, 7, 15)
    )
    fresh = Leave.objects.create(
        advisor=advisor,
        kind="paid_leave",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
    )
    return due, fresh
