"""Committee (Art. 3.4): members, meetings and actions, permissions, the 12-month alert."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from relais.committee import services
from relais.committee.enums import MemberCategory
from relais.committee.models import ActionItem, CommitteeMember, Meeting
from relais.committee.queries import meeting_alert
from relais.privacy.registry import registry

from ..helpers import page_text

pytestmark = pytest.mark.django_db
ALERT = "ne s'est pas réuni depuis plus de 12 mois"


@pytest.fixture
def member(coordinator, partner):
    return services.member_create(
        user=coordinator,
        data={"category": MemberCategory.PARTNER, "full_name": "Jeanne Martin",
              "function": "Directrice des médiathèques", "organisation": partner},
    )  # fmt: skip


@pytest.fixture
def meeting(coordinator, member):
    return services.meeting_create(
        user=coordinator,
        data={"date": timezone.localdate() - timedelta(days=30), "location": "Perpignan",
              "agenda": "Bilan annuel", "attendees": [member]},
    )  # fmt: skip


def test_coordinator_creates_members_meetings_and_actions_through_the_pages(
    coordinator_client, partner
):
    response = coordinator_client.post(
        reverse("committee:member_create"),
        {"category": "partner", "full_name": "Paul Durand", "function": "Président",
         "organisation": partner.pk, "joined_on": "2025-01-01"},
    )  # fmt: skip
    assert response.status_code == 302, page_text(response)
    member = CommitteeMember.objects.get()
    response = coordinator_client.post(
        reverse("committee:meeting_create"),
        {"date": "2025-06-12", "location": "Prades", "agenda": "Axes de progrès",
         "attendees": [member.pk], "minutes": "", "decisions": "Former aux arnaques"},
    )  # fmt: skip
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert list(meeting.attendees.all()) == [member]
    coordinator_client.post(
        reverse("committee:action_create", args=[meeting.pk]),
        {"title": "Ateliers sécurité dans chaque lieu", "owner_member": member.pk,
         "partner": partner.pk, "due_on": "2025-12-31", "status": "open"},
    )  # fmt: skip
    item = ActionItem.objects.get()
    assert item.owner_display == "Paul Durand" and item.partner == partner
    page = page_text(coordinator_client.get(meeting.get_absolute_url()))
    assert "Ateliers sécurité dans chaque lieu" in page and "Paul Durand" in page


def test_action_needs_an_owner(coordinator, meeting):
    due_on = meeting.date + timedelta(days=60)  # after the meeting, whatever the suite's date
    with pytest.raises(ValidationError):
        services.action_item_create(
            user=coordinator, meeting=meeting, data={"title": "x", "due_on": due_on}
        )
    item = services.action_item_create(
        user=coordinator,
        meeting=meeting,
        data={"title": "x", "owner_label": "Département — coordination",
              "due_on": due_on, "status": "done"},
    )  # fmt: skip
    assert item.done_on is not None


def test_committee_members_read_but_do_not_edit(committee_client, committee_member, meeting):
    assert committee_client.get(reverse("committee:index")).status_code == 200
    assert "Bilan annuel" in page_text(committee_client.get(meeting.get_absolute_url()))
    for name, args in [
        ("committee:meeting_create", []),
        ("committee:meeting_edit", [meeting.pk]),
        ("committee:member_create", []),
        ("committee:action_create", [meeting.pk]),
    ]:
        assert committee_client.get(reverse(name, args=args)).status_code == 403
        assert committee_client.post(reverse(name, args=args), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.meeting_update(user=committee_member, meeting=meeting, data={"agenda": "x"})


@pytest.mark.parametrize("persona", ["partner_client", "advisor_client"])
def test_other_roles_do_not_see_the_committee(request, persona, meeting):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("committee:index")).status_code == 403
    assert client.get(meeting.get_absolute_url()).status_code == 403


def test_alert_when_no_meeting_in_twelve_months(coordinator, member):
    today = date(2026, 5, 1)
    assert meeting_alert(today).last_meeting is None  # never met
    services.meeting_create(
        user=coordinator, data={"date": date(2025, 4, 30), "agenda": "Bilan", "attendees": []}
    )
    alert = meeting_alert(today)
    assert alert.last_meeting == date(2025, 4, 30) and alert.due_since == date(2026, 4, 30)
    services.meeting_create(  # convened, not held yet: does not count
        user=coordinator, data={"date": date(2026, 6, 1), "agenda": "Prochain", "attendees": []}
    )
    assert meeting_alert(today) is not None
    services.meeting_create(
        user=coordinator, data={"date": date(2025, 5, 2), "agenda": "Bilan", "attendees": []}
    )
    assert meeting_alert(today) is None


def test_alert_on_the_coordinator_and_committee_dashboards(
    coordinator, coordinator_client, committee_client
):
    services.meeting_create(
        user=coordinator,
        data={"date": timezone.localdate() - relativedelta(months=13), "agenda": "Bilan"},
    )
    assert ALERT in page_text(coordinator_client.get(reverse("dashboards:home")))
    assert ALERT in page_text(committee_client.get(reverse("dashboards:home")))
    assert ALERT in page_text(committee_client.get(reverse("committee:index")))
    services.meeting_create(
        user=coordinator, data={"date": timezone.localdate() - timedelta(days=3), "agenda": "B"}
    )
    assert ALERT not in page_text(coordinator_client.get(reverse("dashboards:home")))


def test_members_are_in_the_retention_table(coordinator, member):
    rule = registry.get("committee_members")
    assert rule.model == "committee.CommitteeMember"
    left = timezone.localdate() - relativedelta(years=6)
    services.member_update(
        user=coordinator,
        member=member,
        data={"joined_on": left - relativedelta(years=2), "left_on": left},
    )
    assert list(rule.due_queryset()) == [member]
