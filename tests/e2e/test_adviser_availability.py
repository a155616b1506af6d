"""Issue 14 §1 in a browser, on a 360 px phone: the adviser at Prades runs a workshop there
during her permanence. A resident who opened the booking page before the workshop was
scheduled clicks a time it now takes and is told why; the page then offers only the time
after the workshop, which she books. The adviser sees the workshop in « Ma semaine »."""

import re
from datetime import date, datetime, time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.appointments.models import Appointment
from relais.core.french import plain
from relais.workshops.services import session_create

from ..appointments.appointment_helpers import appointment_type, covered_place, permanence
from ..factories import AdvisorFactory, TOTPDeviceFactory
from ..workshops.factories import WorkshopTopicFactory
from .steps import PHONE, assert_fits_phone, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.now("2026-11-24T10:00")]

WORKSHOP_DAY = date(2026, 12, 1)  # the first Tuesday past the 24 h notice


def _day_list(page, label: str):
    """The buttons of one day on the booking page (the list after the day's heading)."""
    return page.get_by_role("heading", level=3, name=label).locator(
        "xpath=following-sibling::ul[1]"
    )


def test_an_adviser_running_a_workshop_cannot_be_booked_during_it_and_sees_it_in_my_week(
    page, live_server, assert_accessible, console_errors
):
    place = covered_place(name="Médiathèque de Prades", slug="mediatheque-prades")
    adviser = AdvisorFactory(user__first_name="Léa", home_commune=place.commune)
    device = TOTPDeviceFactory(user=adviser.user)
    permanence(place, [adviser], weekday=1, start="14:00", end="16:45")
    appointment_type(name="Aide aux démarches en ligne", minutes=45)
    topic = WorkshopTopicFactory(title="Mon smartphone au quotidien", duration_minutes=120)

    # The resident opens the booking page: that Tuesday, 14h00 is still free.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/rendez-vous/mediatheque-prades/")
    tuesday = _day_list(page, "Mardi 1er décembre 2026")
    expect(tuesday.get_by_role("link", name=re.compile(r"^14\sh\s*,"))).to_be_visible()

    # Meanwhile the coordinator schedules Léa's workshop there, 14:00–16:00.
    session_create(
        topic=topic,
        place=place,
        starts_at=datetime.combine(WORKSHOP_DAY, time(14), tzinfo=timezone.get_current_timezone()),
        advisors=[adviser],
    )

    # The resident clicks the time on the page she still has: refused, and told why.
    tuesday.get_by_role("link", name=re.compile(r"^14\sh\s*,")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réserver ce rendez-vous")
    expect(page.get_by_role("alert")).to_contain_text(
        "Ce créneau n'est pas disponible : le conseiller numérique anime un atelier à ce moment-là."
    )
    assert_fits_phone(page)
    assert_accessible("créneau pris par un atelier, 360 px")
    page.screenshot(path="var/e2e-availability-refused.png", full_page=True)

    # Back to the times: that Tuesday offers only what follows the workshop.
    page.get_by_role("link", name="Choisir un autre créneau").click()
    tuesday = _day_list(page, "Mardi 1er décembre 2026")
    offered = [
        plain(t.split(",")[0].strip()) for t in tuesday.get_by_role("link").all_inner_texts()
    ]
    assert offered == ["16 h"], offered
    assert_fits_phone(page)
    assert_accessible("créneaux sans l'atelier, 360 px")
    page.screenshot(path="var/e2e-availability-times.png", full_page=True)
    tuesday.get_by_role("link", name=re.compile(r"^16\sh\s*,")).click()
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Exemple")
    page.get_by_label("Adresse e-mail").fill("camille.exemple@exemple.test")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")
    booked = Appointment.objects.get()
    assert timezone.localtime(booked.starts_at).time() == time(16, 0)

    # Léa logs in on her phone: « Ma semaine » shows the workshop between her permanence and
    # the appointment, in one timeline.
    page.context.clear_cookies()
    sign_in(page, live_server.url + "/", adviser.user, device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Léa")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Ma semaine"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma semaine")
    agenda = page.get_by_role("region", name="Mes deux prochaines semaines")
    day = agenda.get_by_role("heading", level=3, name="mardi 1er décembre").locator(
        "xpath=following-sibling::ul[1]"
    )
    items = day.get_by_role("listitem").all_inner_texts()
    assert [plain(i.splitlines()[0]) for i in items] == [
        "14 h – 16 h 45 · Permanence",
        "14 h – 16 h · Atelier",
        "16 h – 16 h 45 · Rendez-vous",
    ], items
    expect(day.get_by_text("« Mon smartphone au quotidien »")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("ma semaine avec un atelier, 360 px")
    page.screenshot(path="var/e2e-availability-my-week.png", full_page=True)
    assert console_errors == []
