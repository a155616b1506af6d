"""``relais send-report-reminders``: late monthly reports, each reminder sent once."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from relais.monthly import services
from relais.monthly.models import MonthlyReport, MonthlyReportReminder
from relais.monthly.reminders import due_reminders, send_reminders

from ..helpers import committed
from ..monthly.helpers import MARCH, record_march

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def march(advisor_user, place, other_place):
    record_march(advisor_user.advisor, place, other_place)


def _run(today: str) -> str:
    out = StringIO()
    committed(call_command, "send-report-reminders", "--today", today, stdout=out)
    return out.getvalue()


def test_not_submitted_by_the_10th_reminds_the_advisers_once(march, partner, advisor_user):
    assert [r for r in due_reminders(date(2025, 4, 9)) if r.month == MARCH] == []
    assert "0 relance(s) envoyée(s)" in _run("2025-04-09")
    output = _run("2025-04-10")
    assert "2 relance(s) envoyée(s)" in output  # both partners had activities in March
    subjects = {m.subject for m in mail.outbox}
    assert any("mars 2025 à transmettre" in s and str(partner) in s for s in subjects)
    assert {tuple(m.to) for m in mail.outbox} == {(advisor_user.email,)}
    # Idempotent: the next day's run sends nothing new.
    assert "0 relance(s) envoyée(s), 2 déjà envoyée(s)" in _run("2025-04-11")
    assert len(mail.outbox) == 2


def test_submitted_but_not_validated_after_10_days_reminds_the_partner_staff(
    march, partner, advisor_user, partner_staff, monkeypatch
):
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 4, 3, 10, tzinfo=PARIS))
    services.monthly_report_submit(report=report, user=advisor_user, today=date(2025, 4, 3))
    monkeypatch.undo()
    kinds = {(r.partner, r.kind) for r in due_reminders(date(2025, 4, 12))}
    assert (partner, "not_validated") not in kinds
    assert (partner, "not_submitted") not in kinds
    committed(send_reminders, today=date(2025, 4, 13))
    to_staff = [m for m in mail.outbox if m.to == [partner_staff.email]]
    assert len(to_staff) == 1 and "à valider" in to_staff[0].subject
    assert MonthlyReportReminder.objects.filter(kind="not_validated").count() == 1
    assert send_reminders(today=date(2025, 4, 14))[0] == 0


def test_validated_reports_need_no_reminder(march, partner, advisor_user, partner_staff):
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    services.monthly_report_submit(report=report, user=advisor_user)
    services.monthly_report_validate(report=report, user=partner_staff)
    reminders = due_reminders(date(2025, 5, 30))
    assert all(r.partner != partner for r in reminders if r.month == MARCH)
    assert any(r.partner == partner for r in reminders)  # April (2 April) is still due


def test_dry_run_sends_and_records_nothing(march):
    out = StringIO()
    call_command("send-report-reminders", "--today", "2025-04-15", "--dry-run", stdout=out)
    assert "simulation" in out.getvalue()
    assert mail.outbox == [] and not MonthlyReportReminder.objects.exists()
    assert not MonthlyReport.objects.exists()


def test_old_months_are_left_alone(march):
    assert due_reminders(date(2025, 9, 15)) == []
