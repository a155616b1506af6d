"""« Ma semaine » on a 360 px phone: an adviser logs in with TOTP and sees a permanence."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.planning import services

from ..factories import AdvisorFactory, TOTPDeviceFactory
from ..planning.conftest import agreement_in_force, places_of_the_seed
from .steps import PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_advisor_opens_my_week_on_a_phone(
    page, live_server, assert_accessible, console_errors, department, partner
):
    places = places_of_the_seed(partner, prefix="Médiathèque de")
    agreement_in_force(department, partner, places)
    today = timezone.localdate()
    advisor = AdvisorFactory(home_commune=places["Prades"].commune, user__first_name="Léa")
    device = TOTPDeviceFactory(user=advisor.user)
    for weekday in range(7):  # one permanence every day, so the next ones always show
        services.slot_create(
            place=places["Vinça"],
            advisors=[advisor],
            weekday=weekday,
            start_time=time(14, 0),
            end_time=time(17, 30),
            valid_from=today - timedelta(days=7),
            valid_until=today + timedelta(days=60),
        )

    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url + "/", advisor.user, device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Léa")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Ma semaine"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma semaine")
    permanences = page.get_by_role("region", name="Mes deux prochaines semaines")
    expect(permanences.get_by_text("Médiathèque de Vinça").first).to_be_visible()
    expect(permanences.get_by_text("Trajet depuis Prades").first).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("ma semaine, 360 px")
    assert console_errors == []
