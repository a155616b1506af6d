"""Cancelling an appointment on a 360 px phone asks first, with JavaScript off (issue 17 §3):
the resident from the link of their e-mail, the adviser from the place's list; each step fits
the screen and passes axe-core; the result says what happened and the person is told."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from relais.appointments.enums import AppointmentStatus
from relais.appointments.models import Appointment
from relais.bookings.enums import MessageKind
from relais.bookings.models import Message

from ..appointments.appointment_helpers import (
    advisor,
    appointment_type,
    at,
    booked,
    covered_place,
    next_day,
    permanence,
)
from ..factories import TOTPDeviceFactory
from .steps import PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def booking():
    place = covered_place(name="Médiathèque de Prades", slug="mediatheque-prades")
    lea = advisor()
    slot = permanence(place, [lea], weekday=1, start="14:00", end="17:30")
    kind = appointment_type(name="Aide aux démarches en ligne", minutes=45)
    appointment = booked(place, kind, lea, at(next_day(1), "14:30"), slot=slot, phone="0611223344")
    return appointment


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_the_resident_confirms_before_cancelling_without_javascript(
    no_js_page, live_server, booking
):
    page = no_js_page
    page.goto(live_server.url + booking.get_manage_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous")
    page.get_by_role("button", name="Annuler mon rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler le rendez-vous")
    expect(
        page.get_by_text(re.compile(r"Voulez-vous vraiment annuler.*14\sh\s30 \?"))
    ).to_be_visible()
    assert_fits_phone(page)
    # « Non »: back to the appointment, still booked.
    page.get_by_role("link", name="Non, garder mon rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous")
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED

    page.get_by_role("button", name="Annuler mon rendez-vous").click()
    page.get_by_role("button", name="Oui, annuler mon rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous annulé")
    expect(page.get_by_role("status")).to_contain_text("est annulé ; le créneau est libéré")
    expect(page.get_by_text("permet de retrouver et d'annuler")).to_have_count(0)
    expect(page.get_by_role("button", name="Annuler mon rendez-vous")).to_have_count(0)
    assert_fits_phone(page)
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    assert "annulation" in mail.outbox[-1].subject.lower()


def test_the_adviser_confirms_gives_a_reason_and_the_person_is_told(
    page, live_server, booking, assert_accessible, console_errors
):
    user = booking.advisor.user
    device = TOTPDeviceFactory(user=user)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url + "/", user, device)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + "/rendez-vous/gestion/lieux/mediatheque-prades/")
    page.get_by_role("link", name=re.compile("^Annuler le rendez-vous de Camille Exemple")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler le rendez-vous")
    expect(
        page.get_by_text(re.compile("Voulez-vous vraiment annuler le rendez-vous de Camille"))
    ).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("confirmation de l'annulation d'un rendez-vous, 360 px")
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    page.get_by_label(re.compile("^Motif")).fill("Conseillère en formation ce jour-là")
    page.get_by_role("button", name="Oui, annuler et prévenir la personne").click()
    expect(page.get_by_role("status")).to_contain_text(
        "est annulé ; la personne est prévenue par e-mail et SMS"
    )
    assert_fits_phone(page)
    assert_accessible("rendez-vous annulés, 360 px")
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancellation_reason == "Conseillère en formation ce jour-là"
    channels = Message.objects.filter(kind=MessageKind.APPOINTMENT_CANCELLED).values_list(
        "channel", flat=True
    )
    assert sorted(channels) == ["email", "sms"]
    assert console_errors == []
