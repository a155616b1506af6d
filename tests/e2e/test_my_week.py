"""« Ma semaine » on a 360 px phone: an adviser logs in with TOTP and sees a permanence."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.planning import services

from ..factories import AdvisorFactory, TOTPDeviceFactory
from ..helpers import totp_code
from ..planning.conftest import SEED_TABLE, commune, make_agreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_advisor_opens_my_week_on_a_phone(
    page, live_server, assert_accessible, console_errors, department, partner
):
    from ..factories import PlaceFactory

    places = {
        name: PlaceFactory(
            partner=partner, name=f"Médiathèque de {name}", commune=commune(name, lat, lon)
        )
        for name, lat, lon, _, _ in SEED_TABLE
    }
    today = timezone.localdate()
    make_agreement(
        department,
        partner,
        places,
        signed_on=today - timedelta(days=30),
        hard_end=today + timedelta(days=365),
    )
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

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    page.get_by_label("Adresse e-mail").fill(advisor.user.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test-42")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Léa")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Ma semaine"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma semaine")
    permanences = page.get_by_role("region", name="Mes deux prochaines semaines")
    expect(permanences.get_by_text("Médiathèque de Vinça").first).to_be_visible()
    expect(permanences.get_by_text("Trajet depuis Prades").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_accessible("ma semaine, 360 px")
    assert console_errors == []
