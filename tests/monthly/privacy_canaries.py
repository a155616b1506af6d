"""Canary rows for the monthly reports' retention rules (read by tests/privacy/test_purge.py)."""

import datetime as dt

from django.utils import timezone

from relais.monthly.models import MonthlyReportReminder

from ..factories import OrganisationFactory


def make_monthly_report_reminders():
    partner = OrganisationFactory()
    common = {"partner": partner, "month": dt.date(2026, 1, 1), "kind": "not_submitted"}
    due = MonthlyReportReminder.objects.create(
        **common,
        recipient="ancien@exemple.test",
        # Relative to the suite's frozen clock, which the purge reads too: due at any instant.
        sent_at=timezone.now() - dt.timedelta(days=365 * 3),
    )
    fresh = MonthlyReportReminder.objects.create(
        **common, version=1, recipient="recent@exemple.test"
    )
    return due, fresh
