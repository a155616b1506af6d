"""When plans change: cancelling a session tells everyone and offers the next dates."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from relais.bookings.enums import MessageChannel, MessageKind, RegistrationStatus
from relais.bookings.models import Message
from relais.bookings.services import session_cancel
from relais.workshops.enums import SessionStatus

from ..helpers import page_text
from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory

pytestmark = pytest.mark.django_db


def test_cancelling_a_session_notifies_registered_and_waiting_people_with_next_dates(
    session, commit, sms_outbox, other_place
):
    later_same_place = WorkshopSessionFactory(
        topic=session.topic, place=session.place, starts_at=session.starts_at + timedelta(days=7)
    )
    sooner_elsewhere = WorkshopSessionFactory(
        topic=session.topic, place=other_place, starts_at=session.starts_at + timedelta(days=1)
    )
    WorkshopSessionFactory(place=session.place)  # another topic: not offered
    by_email = RegistrationFactory(session=session, phone="+33639980010")
    by_phone = RegistrationFactory(session=session, email="", phone="+33639980011")
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITING)
    RegistrationFactory(session=session, status=RegistrationStatus.CANCELLED)

    with commit():
        session_cancel(session=session, reason="Conseiller absent")

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.cancelled_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted([by_email.email, waiting.email])
    body = mail.outbox[0].body
    assert "Conseiller absent" in body
    register = reverse("bookings:register", kwargs={"pk": later_same_place.pk})
    elsewhere = reverse("bookings:register", kwargs={"pk": sooner_elsewhere.pk})
    # The same place first, then the others.
    assert body.index(register) < body.index(elsewhere)
    # Only the person without an e-mail gets an SMS.
    assert [s.to for s in sms_outbox] == [by_phone.phone]
    assert "ANNULÉ" in sms_outbox[0].text
    kinds = set(Message.objects.values_list("kind", "channel"))
    assert kinds == {
        (MessageKind.SESSION_CANCELLED, MessageChannel.EMAIL),
        (MessageKind.SESSION_CANCELLED, MessageChannel.SMS),
    }
    assert Message.objects.count() == 3

    # Cancelling again sends nothing more.
    with commit():
        session_cancel(session=session)
    assert len(mail.outbox) == 2 and len(sms_outbox) == 1


def test_the_registration_link_shows_the_cancellation_and_the_next_dates(client, session, commit):
    later = WorkshopSessionFactory(
        topic=session.topic, place=session.place, starts_at=session.starts_at + timedelta(days=7)
    )
    registration = RegistrationFactory(session=session)
    with commit():
        session_cancel(session=session, reason="Salle indisponible")
    text = page_text(client.get(registration.get_manage_url()))
    assert "Cette séance a été annulée : Salle indisponible" in text
    assert "Annuler mon inscription" not in text
    assert (
        reverse("bookings:register", kwargs={"pk": later.pk})
        in client.get(registration.get_manage_url()).content.decode()
    )


def test_a_past_session_cannot_be_cancelled(session):
    session.status = SessionStatus.HELD
    session.save()
    with pytest.raises(ValidationError, match="à venir"):
        session_cancel(session=session)


def test_staff_cancel_a_session_from_its_page(coordinator_client, session, commit):
    RegistrationFactory(session=session)
    url = reverse("bookings:session_cancel", kwargs={"pk": session.pk})
    assert "1 personne inscrite" in page_text(coordinator_client.get(url))
    with commit():
        response = coordinator_client.post(url, {"reason": "Intempéries"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled and session.cancellation_reason == "Intempéries"
    assert len(mail.outbox) == 1
