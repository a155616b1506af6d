"""Cancelling an appointment asks first (issue 17 §3), without JavaScript: the person's secret
link and the staff list lead to « Voulez-vous vraiment annuler… ? »; only the confirmed POST
cancels; the result says what happened, the person is told, and the page afterwards no longer
offers to cancel."""

import pytest
from django.core import mail
from django.urls import reverse

from relais.appointments.enums import AppointmentStatus
from relais.bookings.enums import MessageKind
from relais.bookings.models import Message

from .appointment_helpers import (
    TUESDAY,
    advisor,
    appointment_type,
    at,
    booked,
    covered_place,
    next_day,
    permanence,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment():
    place = covered_place()
    lea = advisor()
    kind = appointment_type(minutes=45)
    slot = permanence(place, [lea], weekday=TUESDAY)
    return booked(place, kind, lea, at(next_day(TUESDAY), "10:30"), slot=slot, phone="0611223344")


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def test_the_resident_is_asked_before_the_appointment_is_cancelled(client, appointment, commit):
    url = appointment.get_manage_url()
    page = _text(client.get(url))
    assert 'name="annuler"' in page and "Annuler mon rendez-vous" in page
    question = _text(client.get(url, {"annuler": "1"}))
    assert "Voulez-vous vraiment annuler votre rendez-vous du" in question
    assert "à 10 h 30 ?" in question
    assert 'name="confirmation" value="oui"' in question and "garder mon rendez-vous" in question
    # A POST without the confirmation (an old page, a prefetch) only asks again.
    again = _text(client.post(url))
    assert "Voulez-vous vraiment annuler" in again
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    with commit():
        done = client.post(url, {"confirmation": "oui"}, follow=True)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    result = _text(done)
    assert "Rendez-vous annulé" in result
    assert "à 10 h 30 est annulé ; le créneau est libéré" in result
    assert "confirmation vous est envoyée par e-mail à camille.exemple@exemple.test" in result
    # The page no longer says its link can cancel, nor offers a button.
    assert "permet de retrouver et d'annuler" not in result
    assert "Annuler mon rendez-vous" not in result
    assert "annulation" in mail.outbox[-1].subject.lower()
    # Asking again after the cancellation shows the cancelled appointment, not the question.
    assert "Voulez-vous vraiment" not in _text(client.get(url, {"annuler": "1"}))


def test_staff_confirm_give_a_reason_and_the_person_is_told_by_email_and_sms(
    advisor_client, appointment, commit, sms_outbox
):
    listing = reverse("appointments:list", kwargs={"place_slug": appointment.place.slug})
    cancel = reverse("appointments:cancel", kwargs={"pk": appointment.pk})
    assert f'href="{cancel}"' in _text(advisor_client.get(listing))
    question = _text(advisor_client.get(cancel))
    assert "Voulez-vous vraiment annuler le rendez-vous de Camille Exemple du" in question
    assert "par e-mail et par SMS" in question
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED  # the GET changed nothing
    with commit():
        response = advisor_client.post(
            cancel, {"confirmation": "oui", "reason": "Conseillère en formation"}, follow=True
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == "staff"
    assert appointment.cancellation_reason == "Conseillère en formation"
    assert "est annulé ; la personne est prévenue par e-mail et SMS" in _text(response)
    sent = Message.objects.filter(kind=MessageKind.APPOINTMENT_CANCELLED)
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "sms"]
    assert "Conseillère en formation" in mail.outbox[-1].body
    # Once cancelled, the confirmation page sends back with a message, nothing sent twice.
    advisor_client.post(cancel, {"confirmation": "oui"})
    assert sent.count() == 2


def test_other_staff_cannot_reach_the_confirmation(partner_client, appointment):
    cancel = reverse("appointments:cancel", kwargs={"pk": appointment.pk})
    assert partner_client.get(cancel).status_code == 403
    assert partner_client.post(cancel, {"confirmation": "oui"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
