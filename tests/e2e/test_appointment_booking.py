"""A resident books an appointment at the Médiathèque de Prades on a phone, without an account,
gets the e-mail (test mail outbox) and cancels through its link. Every public page passes
axe-core."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from relais.appointments.enums import AppointmentStatus
from relais.appointments.models import Appointment

from ..appointments.appointment_helpers import (
    advisor,
    appointment_type,
    covered_place,
    permanence,
)
from .steps import LOGIN, PHONE, assert_fits_phone, path_in_email, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def prades():
    place = covered_place(name="Médiathèque de Prades", slug="mediatheque-prades")
    permanence(place, [advisor()], weekday=1, start="14:00", end="17:30")
    appointment_type(
        name="Aide aux démarches en ligne",
        minutes=45,
        description="Déclarer ses revenus, prendre rendez-vous en préfecture, France Travail…",
    )
    appointment_type(name="Prise en main d'un smartphone", minutes=60)
    return place


def test_a_resident_books_an_appointment_gets_the_email_and_cancels_by_the_link(
    page, live_server, prades, assert_accessible, console_errors
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/rendez-vous/mediatheque-prades/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prendre rendez-vous")
    assert_fits_phone(page)
    assert_accessible("choix du type de rendez-vous")

    page.get_by_label(re.compile("^Aide aux démarches en ligne")).check()
    page.get_by_role("button", name="Voir les créneaux disponibles").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Choisissez un créneau"))
    ).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("créneaux libres")
    page.get_by_role("link", name=re.compile(r"^14\sh\b")).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Réserver ce rendez-vous")
    assert_fits_phone(page)
    assert_accessible("formulaire de rendez-vous")
    # No contact at all: a French message, nothing booked.
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Exemple")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez au moins un moyen de vous joindre")
    assert_accessible("formulaire de rendez-vous avec erreur")
    assert not Appointment.objects.exists()

    page.get_by_label("Adresse e-mail").fill("camille.exemple@exemple.test")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")
    assert_fits_phone(page)
    assert_accessible("confirmation du rendez-vous")
    appointment = Appointment.objects.get()
    assert timezone.localtime(appointment.starts_at).hour == 14
    # The first Tuesday offered, whatever today is (two days ahead on a Sunday evening): the
    # bounds read the suite's fixed clock (tests/conftest.py), the same one the server used.
    assert appointment.occurrence_date.weekday() == 1
    assert (
        timezone.localdate()
        < appointment.occurrence_date
        <= timezone.localdate() + timedelta(days=14)
    )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["camille.exemple@exemple.test"]
    assert email.attachments[0][0] == "rendez-vous.ics"
    path = path_in_email(email, "/rendez-vous/suivi/")

    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous")
    page.get_by_role("button", name="Annuler mon rendez-vous").click()
    # A confirmation step, without JavaScript: nothing is cancelled yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler le rendez-vous")
    expect(page.get_by_text("Voulez-vous vraiment annuler votre rendez-vous")).to_be_visible()
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED
    page.get_by_role("button", name="Oui, annuler mon rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous annulé")
    expect(page.get_by_role("status")).to_contain_text("est annulé ; le créneau est libéré")
    assert_fits_phone(page)
    assert_accessible("rendez-vous annulé")
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    assert console_errors == []


def test_partner_staff_set_their_place_booking_rules_on_a_phone(
    page, live_server, prades, assert_accessible, console_errors
):
    """A library's staff ask for 48 h notice on their place's page; the public booking page
    then states it."""
    from relais.accounts.enums import Role

    from ..factories import UserFactory

    staff = UserFactory(role=Role.PARTNER_STAFF, organisation=prades.partner)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url + LOGIN, staff)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(live_server.url + prades.get_absolute_url())
    page.get_by_role("link", name="Réglages des rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réglages des rendez-vous")
    assert_fits_phone(page)
    assert_accessible("réglages des rendez-vous d'un lieu, 360 px")
    page.get_by_label(re.compile("^Délai minimal de réservation")).fill("10000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("compris entre 0 et 720 heures").first).to_be_visible()
    assert_accessible("réglages refusés, 360 px")
    page.get_by_label(re.compile("^Délai minimal de réservation")).fill("48")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_be_visible()

    page.goto(live_server.url + "/rendez-vous/mediatheque-prades/")
    expect(page.get_by_text("Réservation au plus tard 48 h à l'avance")).to_be_visible()
    assert console_errors == []
