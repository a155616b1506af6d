"""The committee of `relais demo`: members, meetings with actions, monthly reports; idempotent."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.committee.enums import ActionStatus
from relais.committee.models import ActionItem, CommitteeMember, Meeting
from relais.committee.queries import meeting_alert, meeting_convocation
from relais.monthly.enums import ReportStatus
from relais.monthly.figures import month_start
from relais.monthly.models import MonthlyReport

from ..helpers import login_verified, page_text

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "members": CommitteeMember.objects.count(),
        "meetings": Meeting.objects.count(),
        "actions": ActionItem.objects.count(),
        "reports": sorted(MonthlyReport.objects.values_list("status", flat=True)),
    }


def test_demo_committee_is_meaningful_and_idempotent(capsys):
    call_command("demo", "--force")
    first = _counts()
    call_command("demo", "--force")
    assert _counts() == first

    assert first["members"] == 6 and first["meetings"] == 3 and first["actions"] == 4
    assert meeting_alert() is None, "a meeting was held in the last 12 months"
    today = timezone.localdate()
    (upcoming,) = Meeting.objects.filter(date__gt=today)
    assert upcoming.start_time and upcoming.agenda
    assert meeting_convocation(upcoming)["convocation_to_send"] == 6
    overdue = [item for item in ActionItem.objects.all() if item.is_overdue]
    assert len(overdue) == 1 and overdue[0].status == ActionStatus.OPEN

    reports = MonthlyReport.objects.all()
    assert first["reports"].count(ReportStatus.VALIDATED) == 10
    (waiting,) = reports.filter(status=ReportStatus.SUBMITTED)
    assert waiting.month.month == (month_start(today).month - 2 - 1) % 12 + 1
    assert all(report.figures for report in reports), "figures frozen from the demo activities"

    coordinator = User.objects.get(email="coordination@demo.relais.test")
    client = login_verified(Client(), coordinator, coordinator.totpdevice_set.get())
    page = page_text(client.get(upcoming.get_absolute_url()))
    assert "Envoyer la convocation (6 membres)" in page and "Paul Bilan" in page
    page = page_text(client.get(reverse("committee:index")))
    assert "Atelier « Arnaques en ligne » dans chaque lieu du réseau" in page
