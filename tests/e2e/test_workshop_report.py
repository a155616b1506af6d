"""A workshop's report, clicked through on a 360 px phone by the adviser who ran it (issue 14 §2).

Nothing is posted by hand: the session's link travels in the form the browser renders, so a
form that stopped rendering it would fail here. Attendance taken on the roster prefills the
count; the home page lists the report to write until it is written; a second tab opened on
the same report, or the same form sent again, records nothing more.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.activities.models import Activity
from relais.bookings.enums import RegistrationStatus

from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory
from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory, WorkshopTopicFactory
from .steps import LOGIN, PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
# Set to a directory to keep a screenshot of each step (to look at the pages, not asserted).
SHOTS = os.environ.get("RELAIS_E2E_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _log_in(page, base_url, advisor):
    device = TOTPDeviceFactory(user=advisor.user)
    page.set_viewport_size(PHONE)
    sign_in(page, base_url + LOGIN, advisor.user, device)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {advisor.user.first_name}")


def test_adviser_reports_a_workshop_once_and_the_report_keeps_its_session(
    page, live_server, assert_accessible, console_errors
):
    advisor = AdvisorFactory()
    topic = WorkshopTopicFactory(
        title="Créer et gérer son adresse e-mail", level="beginner", themes=["email"]
    )
    # A day before the suite's clock, which the live server reads too: over, report due, any date.
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    session = WorkshopSessionFactory(
        topic=topic,
        place=PlaceFactory(name="Médiathèque de Prades"),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    session.advisors.add(advisor)
    people = [
        RegistrationFactory(session=session, first_name=name, status=RegistrationStatus.CONFIRMED)
        for name in ("Alice", "Bernard", "Chantal")
    ]
    _log_in(page, live_server.url, advisor)

    # The home page lists the report to write.
    expect(page.get_by_role("heading", name="Comptes rendus à saisir (1)")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("accueil, comptes rendus à saisir, 360 px")
    _shot(page, "1-home")

    # Attendance on the roster: two came, one did not.
    page.goto(live_server.url + session.get_absolute_url())
    report_button = page.get_by_role("link", name="Saisir le compte rendu de l'atelier")
    expect(report_button).to_be_visible()
    for registration, choice in zip(people, ("Présent", "Présent", "Absent"), strict=True):
        row = page.get_by_role("group", name=f"{registration.first_name} {registration.last_name}")
        row.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_role("status")).to_contain_text("Les présences sont enregistrées.")
    assert_accessible("séance, présences notées, 360 px")
    _shot(page, "2-roster")

    # The report form, prefilled from the session and the attendance.
    page.get_by_role("link", name="Saisir le compte rendu de l'atelier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel atelier collectif")
    expect(page.get_by_text("Compte rendu de la séance du")).to_be_visible()
    expect(page.get_by_label("Titre de l'atelier")).to_have_value(topic.title)
    expect(page.get_by_label("Nombre de participants")).to_have_value("2")
    expect(page.get_by_label("E-mail", exact=True)).to_be_checked()
    place = page.get_by_role("combobox", name="Lieu d'activité")
    expect(place).to_have_value(str(session.place.pk))
    assert place.bounding_box()["y"] < PHONE["height"]  # the place is seen without scrolling
    assert_fits_phone(page)
    assert_accessible("compte rendu prérempli, 360 px")
    _shot(page, "3-report-form")

    form_url = page.url
    # A second tab opened on the same report before the first is sent.
    second_tab = page.context.new_page()
    second_tab.set_viewport_size(PHONE)
    second_tab.goto(page.url)
    expect(second_tab.get_by_label("Nombre de participants")).to_have_value("2")

    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("L'activité est enregistrée.")
    expect(page.get_by_role("link", name=f"{topic.title}, ")).to_be_visible()
    report = Activity.objects.get()
    assert report.workshop_session == session
    assert report.participants_count == 2
    assert (report.gender_unknown, report.age_unknown, report.status_unknown) == (2, 2, 2)
    assert_accessible("compte rendu enregistré, 360 px")
    _shot(page, "4-report")

    # The report's link opened again (from the home page, a bookmark): shown the report.
    page.goto(form_url)
    expect(page.get_by_role("status")).to_contain_text("déjà son compte rendu")
    assert page.url.endswith(report.get_absolute_url())
    # The other tab's form: shown the report, not recorded twice.
    second_tab.get_by_role("button", name="Enregistrer").click()
    expect(second_tab.get_by_role("status")).to_contain_text("déjà son compte rendu")
    assert second_tab.url.endswith(report.get_absolute_url())
    assert Activity.objects.count() == 1

    # Reported: the roster says so instead of offering the form, the home page lists nothing.
    page.goto(live_server.url + session.get_absolute_url())
    expect(page.get_by_text("Compte rendu saisi")).to_be_visible()
    expect(page.get_by_role("link", name="Saisir le compte rendu de l'atelier")).to_have_count(0)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Ma semaine")).to_be_visible()
    expect(page.get_by_text("Comptes rendus à saisir")).to_have_count(0)
    assert console_errors == []
