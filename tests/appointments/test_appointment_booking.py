"""Booking an appointment: public pages, validation in French, never two bookings of one
adviser at the same time, the secret link, staff pages and permissions, « Ma semaine »."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from relais.appointments.enums import AppointmentStatus
from relais.appointments.models import Appointment
from relais.appointments.services import SLOT_TAKEN
from relais.bookings.enums import MessageChannel, MessageKind
from relais.bookings.models import Message

from .appointment_helpers import (
    advisor,
    appointment_type,
    at,
    book,
    booked,
    post_booking,
)

pytestmark = pytest.mark.django_db


def test_the_public_page_lists_types_and_free_times_by_day_in_french(client, setting):
    place, _, _kind, _, day = setting
    appointment_type(name="Vieux type", is_active=False)
    url = reverse("appointments:book", kwargs={"place_slug": place.slug})
    assert url == f"/rendez-vous/{place.slug}/"
    page = client.get(url).content.decode()
    assert "Aide aux démarches en ligne" in page and "Vieux type" not in page
    # A single active type is chosen already; times are grouped under French dates.
    assert "mardi" in page.lower() and "9\u00a0h" in page
    assert f"debut={day:%Y-%m-%d}T09%3A00" in page
    assert client.get("/rendez-vous/inconnu/").status_code == 404


def test_a_resident_books_gets_the_email_with_ics_and_cancel_link(
    client, setting, django_capture_on_commit_callbacks
):
    place, lea, kind, slot, day = setting
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, place, kind, at(day, "10:00"))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == appointment.get_manage_url() + "?nouveau=1"
    assert appointment.advisor == lea and appointment.slot == slot
    assert appointment.starts_at == at(day, "10:00")
    assert appointment.ends_at == at(day, "10:45")
    assert appointment.status == AppointmentStatus.BOOKED
    email = mail.outbox[0]
    assert email.to == ["camille.exemple@exemple.test"]
    assert email.attachments[0][0] == "rendez-vous.ics"
    ics = email.attachments[0][1]
    assert "BEGIN:VEVENT" in (ics.decode() if isinstance(ics, bytes) else ics)
    assert appointment.get_manage_url() in email.body
    page = client.get(response["Location"]).content.decode()
    assert "Rendez-vous confirmé" in page


def test_only_a_phone_gets_an_sms(client, setting, sms_outbox, commit):
    place, _, kind, _, day = setting
    with commit():
        post_booking(client, place, kind, at(day, "10:00"), email="", phone="06 39 98 00 01")
    appointment = Appointment.objects.get()
    assert appointment.phone == "+33639980001"
    assert mail.outbox == [] and len(sms_outbox) == 1
    assert appointment.get_manage_url() in sms_outbox[0].text
    message = Message.objects.get()
    assert (message.kind, message.channel, message.appointment) == (
        MessageKind.CONFIRMATION,
        MessageChannel.SMS,
        appointment,
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"email": "", "phone": ""}, "Indiquez au moins un moyen de vous joindre"),
        ({"email": "pas-une-adresse"}, "Cette adresse e-mail n&#x27;est pas valide"),
        ({"phone": "12 34"}, "Ce numéro de téléphone n&#x27;est pas valide"),
        ({"consent": ""}, "Votre accord est nécessaire"),
        ({"first_name": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_or_missing_contact_books_nothing_with_a_french_message(
    client, setting, data, expected
):
    place, _, kind, _, day = setting
    response = post_booking(client, place, kind, at(day, "10:00"), **data)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Appointment.objects.exists()


def test_never_two_bookings_of_one_adviser_at_the_same_time(client, setting):
    place, _, kind, _, day = setting
    post_booking(client, place, kind, at(day, "10:00"))
    # Same time, and an overlapping one (10:30 would run into 10:00–10:45).
    for start in ("10:00", "10:30"):
        response = post_booking(client, place, kind, at(day, start), email="autre@exemple.test")
        assert SLOT_TAKEN.replace("'", "&#x27;") in response.content.decode()
    with pytest.raises(Exception, match="vient d'être pris"):
        book(
            place,
            kind,
            at(day, "10:15"),
            first_name="Dominique",
            last_name="Essai",
            email="dominique@exemple.test",
        )
    assert Appointment.objects.count() == 1
    # 10:45 is free (back to back) and so is another adviser's time.
    assert (
        post_booking(client, place, kind, at(day, "10:45"), email="c@exemple.test").status_code
        == 302
    )


def test_a_second_adviser_present_takes_the_same_time(client, setting):
    place, lea, kind, slot, day = setting
    theo = advisor()
    slot.advisors.add(theo)
    post_booking(client, place, kind, at(day, "10:00"))
    post_booking(client, place, kind, at(day, "10:00"), email="b@exemple.test")
    assert {a.advisor_id for a in Appointment.objects.all()} == {lea.pk, theo.pk}
    response = post_booking(client, place, kind, at(day, "10:00"), email="c@exemple.test")
    assert response.status_code == 200 and Appointment.objects.count() == 2


def test_a_time_off_the_grid_or_outside_the_permanence_is_refused(client, setting):
    place, _, kind, _, day = setting
    for start in ("10:05", "11:30", "14:00"):
        response = post_booking(client, place, kind, at(day, start))
        assert response.status_code == 200
    assert not Appointment.objects.exists()
    # Without a type or time, back to the choice.
    url = reverse("appointments:form", kwargs={"place_slug": place.slug})
    assert client.get(url).status_code == 302


def test_cancel_by_the_secret_link_and_invalid_tokens_get_404(client, setting, commit):
    place, _lea, kind, _, day = setting
    with commit():
        post_booking(client, place, kind, at(day, "10:00"))
    appointment = Appointment.objects.get()
    url = appointment.get_manage_url()
    assert client.get(url).status_code == 200
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED  # GET changes nothing
    bad = reverse(
        "appointments:manage",
        kwargs={"public_id": appointment.public_id, "token": "x" * 43},
    )
    assert client.get(bad).status_code == 404
    assert client.post(bad).status_code == 404
    malformed = reverse("appointments:manage", kwargs={"public_id": "pas-un-uuid", "token": "x"})
    assert client.get(malformed).status_code == 404
    # A registration's token does not open an appointment (another purpose).
    from relais.bookings.tokens import make_token

    other = reverse(
        "appointments:manage",
        kwargs={
            "public_id": appointment.public_id,
            "token": make_token("registration", appointment.public_id),
        },
    )
    assert client.get(other).status_code == 404
    with commit():
        response = client.post(url, {"confirmation": "oui"}, follow=True)
    assert "Rendez-vous annulé" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancelled_by == "resident"
    assert "annulation" in mail.outbox[-1].subject.lower()
    # The time is free again.
    assert (
        post_booking(client, place, kind, at(day, "10:00"), email="d@exemple.test").status_code
        == 302
    )


def test_staff_list_marks_done_and_no_show_and_permissions(
    client, setting, advisor_client, coordinator_client, partner_client, committee_client
):
    place, lea, kind, slot, day = setting
    past = booked(place, kind, lea, at(day, "09:00") - timedelta(days=14), slot=slot)
    future = booked(place, kind, lea, at(day, "10:00"), slot=slot, first_name="Dominique")
    url = reverse("appointments:list", kwargs={"place_slug": place.slug})
    for denied in (partner_client, committee_client):
        assert denied.get(url).status_code == 403
        assert denied.get(reverse("appointments:places")).status_code == 403
    assert client.get(url).status_code == 302  # anonymous: to the login page
    page = advisor_client.get(url).content.decode()
    assert "Dominique" in page and "Camille" in page
    mark = reverse("appointments:mark", kwargs={"pk": past.pk})
    advisor_client.post(mark, {"status": "no_show"})
    past.refresh_from_db()
    assert past.status == AppointmentStatus.NO_SHOW
    # A future appointment cannot be marked yet.
    advisor_client.post(reverse("appointments:mark", kwargs={"pk": future.pk}), {"status": "done"})
    future.refresh_from_db()
    assert future.status == AppointmentStatus.BOOKED
    assert partner_client.post(mark, {"status": "done"}).status_code == 403
    # Types: coordinators only.
    types = reverse("appointments:types")
    assert advisor_client.get(types).status_code == 403
    response = coordinator_client.post(
        reverse("appointments:type_create"),
        {
            "name": "Prise en main d'un smartphone",
            "description": "",
            "duration_minutes": 60,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert "Prise en main d&#x27;un smartphone" in coordinator_client.get(types).content.decode()


def test_advisers_see_their_bookings_in_my_week(setting, advisor_user, client_for):
    place, _, kind, slot, day = setting
    me = advisor_user.advisor
    slot.advisors.add(me)
    booked(place, kind, me, at(day, "11:00"), slot=slot, first_name="Sacha", last_name="Modèle")
    # A name no generated account can contain (the adviser's own name is random).
    booked(place, kind, me, at(day, "09:00"), slot=slot, first_name="Zéphyrine", status="cancelled")
    page = client_for(advisor_user).get(reverse("planning:my_week")).content.decode()
    assert "Mes deux prochaines semaines" in page and "Rendez-vous" in page
    assert "Sacha Modèle" in page and "Zéphyrine" not in page
    assert "11 h – 11 h 45" in page.replace("\u00a0", " ")
