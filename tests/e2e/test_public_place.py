"""A resident opens the public page of the Médiathèque de Prades on a phone: the next
permanence, how to come, the mandatory mention; axe-core finds nothing; no sideways scroll."""

import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.core.french import french_day
from relais.planning.calendars import public_holidays
from relais.planning.models import Slot

from ..factories import AdvisorFactory
from ..public.conftest import mediatheque_de_prades
from ..workshops.factories import WorkshopSessionFactory, WorkshopTopicFactory
from .steps import PHONE, assert_fits_phone

pytestmark = pytest.mark.django_db(transaction=True)

MENTION = (
    "Opération menée par le Département des Pyrénées-Orientales, avec l'appui financier de "
    "l'État, dans le cadre de sa politique départementale d'inclusion Numérique"
)


def _next_working_day(after: date) -> date:
    day = after
    while day.weekday() > 4 or day in public_holidays(day, day):
        day += timedelta(days=1)
    return day


@pytest.fixture
def prades():
    place = mediatheque_de_prades()
    day = _next_working_day(timezone.localdate() + timedelta(days=1))
    slot = Slot.objects.create(
        place=place,
        weekday=day.weekday(),
        start_time=time(9, 0),
        end_time=time(12, 0),
        valid_from=timezone.localdate(),
    )
    slot.advisors.set([AdvisorFactory()])
    WorkshopSessionFactory(
        place=place, topic=WorkshopTopicFactory(title="Créer et gérer son adresse e-mail")
    )
    return place, day


def test_a_resident_reads_the_public_page_of_a_place_on_a_phone(
    page, live_server, prades, assert_accessible, console_errors
):
    _place, day = prades
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/permanences/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Permanences numériques près de chez vous"
    )
    assert_fits_phone(page)
    assert_accessible("liste publique des lieux")

    page.get_by_label("Commune ou code postal").fill("prades")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Médiathèque de Prades").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Médiathèque de Prades")
    first = page.get_by_role("region", name="Prochaines permanences").get_by_role("listitem")
    expect(first.first).to_have_text(re.compile(rf"^{french_day(day).capitalize()}, 9\sh\s– 12\sh"))
    expect(page.get_by_text(MENTION)).to_be_visible()
    expect(page.get_by_text("Sans rendez-vous")).to_be_visible()
    expect(
        page.get_by_role("link", name="Créer et gérer son adresse e-mail", exact=True)
    ).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("page publique d'un lieu")
    assert console_errors == []
