"""Convocations to a committee meeting: one e-mail per member and version, with a calendar file."""

from datetime import date, datetime, time, timedelta
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from relais.committee import services
from relais.committee.enums import InvitationStatus, MemberCategory
from relais.committee.models import Meeting, MeetingInvitation
from relais.core.french import plain
from relais.privacy.registry import registry

from ..helpers import page_text

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _member(coordinator, name, email="", **data):
    return services.member_create(
        user=coordinator,
        data={"category": MemberCategory.DEPARTMENT, "organisation": coordinator.organisation,
              "full_name": name, "email": email, "joined_on": date(2024, 1, 1), **data},
    )  # fmt: skip


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=20)


@pytest.fixture
def members(coordinator, day):
    return {
        "anne": _member(coordinator, "Anne Roig", "anne.roig@example.fr"),
        "marc": _member(coordinator, "Marc Vidal", "marc.vidal@example.fr"),
        "no_address": _member(coordinator, "Louise Sans"),
        "left": _member(
            coordinator, "Henri Parti", "henri@example.fr", left_on=day - timedelta(days=1)
        ),
        "later": _member(
            coordinator, "Nina Tard", "nina@example.fr", joined_on=day + timedelta(days=1)
        ),
    }


@pytest.fixture
def meeting(coordinator, members, day):
    return services.meeting_create(
        user=coordinator,
        data={"date": day, "start_time": time(14), "end_time": time(16, 30),
              "location": "Maison du Département, Prades", "agenda": "Bilan 2026\nAxes de progrès"},
    )  # fmt: skip


@pytest.fixture
def send(coordinator, django_capture_on_commit_callbacks):
    def send(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            return services.meeting_send_invitations(user=coordinator, meeting=meeting)

    return send


def _calendar_event(message):
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_each_sitting_member_with_an_address_receives_one_convocation(
    meeting, members, send, mailoutbox, day
):
    sent = send(meeting)

    assert sorted(m.to[0] for m in mailoutbox) == ["anne.roig@example.fr", "marc.vidal@example.fr"]
    message = next(m for m in mailoutbox if m.to == ["anne.roig@example.fr"])
    assert message.subject.startswith("Convocation : comité technique départemental du ")
    assert "Bonjour Anne Roig" in message.body
    assert "de 14 h à 16 h 30" in plain(message.body)
    assert "Maison du Département, Prades" in message.body
    assert "Bilan 2026\nAxes de progrès" in message.body
    event = _calendar_event(message)
    assert event.decoded("dtstart") == datetime.combine(day, time(14), tzinfo=PARIS)
    assert event.decoded("dtend") == datetime.combine(day, time(16, 30), tzinfo=PARIS)
    assert str(event["location"]) == "Maison du Département, Prades"
    assert event["sequence"] == 0 and str(event["uid"]).startswith(f"comite-{meeting.pk}@")
    assert {i.member for i in sent} == {members["anne"], members["marc"]}
    assert all(
        i.status == InvitationStatus.SENT and i.sent_at for i in MeetingInvitation.objects.all()
    )

    # A second click (double tap, another coordinator) sends nothing more.
    assert send(meeting) == []
    assert len(mailoutbox) == 2


def test_a_change_of_date_time_or_place_sends_the_update_to_every_member(
    coordinator, meeting, members, send, mailoutbox
):
    send(meeting)
    services.meeting_update(
        user=coordinator, meeting=meeting, data={"agenda": "Ordre du jour revu"}
    )
    assert send(meeting) == [], "the agenda alone is not a change of the convocation"

    services.meeting_update(user=coordinator, meeting=meeting, data={"location": "Ille-sur-Têt"})
    updates = send(meeting)

    assert len(updates) == 2 and {i.sequence for i in updates} == {1}
    latest = mailoutbox[-2:]
    assert all(m.subject.startswith("Modification de la convocation : ") for m in latest)
    first_uid = _calendar_event(mailoutbox[0])["uid"]
    event = _calendar_event(latest[0])
    assert event["uid"] == first_uid and event["sequence"] == 1
    assert str(event["location"]) == "Ille-sur-Têt"
    assert MeetingInvitation.objects.count() == 4  # the first version's rows stay as sent


def test_a_member_who_joins_later_receives_the_current_version_only(
    coordinator, meeting, members, send, mailoutbox
):
    send(meeting)
    _member(coordinator, "Paul Nou", "paul@example.fr")

    (invitation,) = send(meeting)

    assert invitation.member.full_name == "Paul Nou" and invitation.sequence == 0
    assert mailoutbox[-1].to == ["paul@example.fr"]


def test_a_failed_sending_is_recorded_then_retried(
    meeting, send, mailoutbox, monkeypatch, settings
):
    """The outbox gave up (one attempt allowed here): the page shows it failed, and sending
    the convocation again queues those members only."""
    settings.RELAIS_OUTBOX_MAX_ATTEMPTS = 1

    def refuse(self, messages):
        raise SMTPException("serveur de messagerie injoignable")

    with monkeypatch.context() as patch:
        patch.setattr(locmem.EmailBackend, "send_messages", refuse)
        send(meeting)
    failed = MeetingInvitation.objects.filter(status=InvitationStatus.FAILED)
    assert failed.count() == 2 and "injoignable" in failed.first().error
    assert mailoutbox == []

    retried = send(meeting)

    assert len(retried) == 2 and len(mailoutbox) == 2
    assert set(MeetingInvitation.objects.values_list("status", flat=True)) == {"sent"}


def test_a_meeting_without_a_time_is_an_all_day_event(coordinator, members, send, mailoutbox, day):
    meeting = services.meeting_create(user=coordinator, data={"date": day, "agenda": "Bilan"})
    send(meeting)
    event = _calendar_event(mailoutbox[0])
    assert event.decoded("dtstart") == day and event.decoded("dtend") == day + timedelta(days=1)
    assert "Lieu : à préciser" in mailoutbox[0].body


def test_past_meeting_or_no_address_is_refused_and_nothing_is_written(
    coordinator, meeting, members, mailoutbox
):
    past = services.meeting_create(
        user=coordinator, data={"date": timezone.localdate() - timedelta(days=1), "agenda": "x"}
    )
    with pytest.raises(ValidationError, match="est passée : aucune convocation envoyée"):
        services.meeting_send_invitations(user=coordinator, meeting=past)
    # Those left with an address have left before the meeting or join after it.
    for member in (members["anne"], members["marc"]):
        services.member_update(user=coordinator, member=member, data={"email": ""})
    with pytest.raises(
        ValidationError, match="Aucun membre en fonction à cette date n'a d'adresse"
    ):
        services.meeting_send_invitations(user=coordinator, meeting=meeting)
    assert not MeetingInvitation.objects.exists() and mailoutbox == []


def test_coordinator_sends_from_the_meeting_page(
    coordinator_client, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    page = page_text(coordinator_client.get(meeting.get_absolute_url()))
    assert "Envoyer la convocation (2 membres)" in page
    assert "Louise Sans" in page and "Pas d'adresse" in page
    assert "Henri Parti" not in page and "Nina Tard" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("committee:meeting_invite", args=[meeting.pk]))

    assert response.status_code == 302 and response["Location"].endswith("#convocation")
    page = page_text(coordinator_client.get(response["Location"]))
    assert "2 convocations mises dans la file d'envoi" in page
    assert page.count("Envoyée le") == 2
    assert "Tous les membres qui ont une adresse e-mail ont reçu la convocation à jour." in page
    response = coordinator_client.post(reverse("committee:meeting_invite", args=[meeting.pk]))
    assert "Aucune convocation envoyée : chaque membre qui a une adresse" in page_text(
        coordinator_client.get(response["Location"])
    )
    assert len(mailoutbox) == 2

    coordinator_client.post(
        reverse("committee:meeting_edit", args=[meeting.pk]),
        {"date": meeting.date.isoformat(), "start_time": "09:30", "end_time": "",
         "location": meeting.location, "agenda": meeting.agenda},
    )  # fmt: skip
    page = page_text(coordinator_client.get(meeting.get_absolute_url()))
    assert "ont changé depuis la dernière convocation" in page
    assert "Envoyer la modification (2 membres)" in page
    assert "version précédente" in page


def test_page_refuses_a_past_meeting_with_a_french_message(
    coordinator, coordinator_client, members
):
    past = services.meeting_create(
        user=coordinator, data={"date": timezone.localdate() - timedelta(days=2), "agenda": "x"}
    )
    page = page_text(coordinator_client.get(past.get_absolute_url()))
    assert "La réunion est passée : plus de convocation à envoyer." in page
    response = coordinator_client.post(reverse("committee:meeting_invite", args=[past.pk]))
    assert "est passée : aucune convocation envoyée" in page_text(
        coordinator_client.get(response["Location"])
    )
    assert not MeetingInvitation.objects.exists()


def test_only_coordinators_convene(committee_client, committee_member, meeting):
    assert (
        committee_client.post(reverse("committee:meeting_invite", args=[meeting.pk])).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.meeting_send_invitations(user=committee_member, meeting=meeting)
    # Members read the meeting, not the addresses of the others.
    page = page_text(committee_client.get(meeting.get_absolute_url()))
    assert "Bilan 2026" in page and "anne.roig@example.fr" not in page
    assert not MeetingInvitation.objects.exists()


@pytest.mark.parametrize(
    "times, field, message",
    [
        (("", "16:00"), "start_time", "Indiquez l'heure de début avant celle de fin."),
        (("16:00", "15:00"), "end_time", "L'heure de fin doit suivre l'heure de début."),
    ],
)
def test_meeting_times_are_checked(coordinator_client, times, field, message):
    response = coordinator_client.post(
        reverse("committee:meeting_create"),
        {"date": "2027-03-04", "start_time": times[0], "end_time": times[1], "agenda": "Bilan"},
    )
    assert response.status_code == 200 and message in page_text(response)
    assert not Meeting.objects.exists()


def test_convocations_are_in_the_retention_table(meeting, send):
    send(meeting)
    rule = registry.get("meeting_invitations")
    assert rule.model == "committee.MeetingInvitation" and rule.fields == ("recipient",)
    assert list(rule.due_queryset(timezone.now() + relativedelta(months=25))) == list(
        MeetingInvitation.objects.all()
    )
    assert list(rule.due_queryset(timezone.now() + relativedelta(months=23))) == []
