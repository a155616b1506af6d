"""Main login flows in a real browser: 2FA login, enrolment, errors; all pages pass axe-core."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from relais.accounts import services
from relais.accounts.enums import Role

from ..factories import TEST_PASSWORD, AdvisorFactory, TOTPDeviceFactory, UserFactory
from ..helpers import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, base_url, email, password=TEST_PASSWORD):
    page.goto(base_url + "/")
    expect(page).to_have_url(base_url + "/compte/connexion/?next=/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_coordinator_logs_in_with_totp_and_reaches_the_dashboard(
    page, live_server, assert_accessible, console_errors
):
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR, first_name="Claire"))
    page.goto(live_server.url + "/compte/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert_accessible("connexion")

    _log_in(page, live_server.url, device.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    assert_accessible("vérification en deux étapes")

    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord de la coordination")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    assert_accessible("tableau de bord coordination")
    assert console_errors == []


def test_dashboard_fits_a_360px_phone(page, live_server, assert_accessible):
    advisor = AdvisorFactory()
    device = TOTPDeviceFactory(user=advisor.user)
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server.url, advisor.user.email)
    page.get_by_label("Code de vérification").fill(totp_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {advisor.user.first_name}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_accessible("tableau de bord conseiller, 360 px")


def test_advisor_enrols_by_qr_code_then_sees_recovery_codes(page, live_server, assert_accessible):
    advisor = AdvisorFactory()
    _log_in(page, live_server.url, advisor.user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name="QR code d'enrôlement")).to_be_visible()
    assert_accessible("enrôlement")
    # Nothing else is reachable before enrolment.
    page.goto(live_server.url + "/lieux/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")

    secret = page.locator("code.secret").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    page.get_by_label("Code à 6 chiffres").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    expect(page.get_by_role("list", name="Codes de secours").get_by_role("listitem")).to_have_count(
        10
    )
    assert_accessible("codes de secours")
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    # Back to the page the adviser asked for before enrolling.
    expect(page).to_have_url(live_server.url + "/lieux/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lieux d'intervention")


def test_wrong_password_shows_a_french_error(page, live_server, assert_accessible):
    user = UserFactory(role=Role.COMMITTEE_MEMBER)
    _log_in(page, live_server.url, user.email, "mauvais-mot-de-passe")
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    assert_accessible("erreur de connexion")


def test_a_stolen_password_never_reaches_enrolment_and_a_new_phone_needs_the_password(
    page, live_server, assert_accessible
):
    """Issue 12 §1, as a browser user: the password alone leads to the code prompt only; the
    owner, signed in with a recovery code on a phone, replaces the authenticator with the
    password."""
    user = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True)
    TOTPDeviceFactory(user=user)
    code = services.recovery_codes_regenerate(user=user)[0]
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server.url, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    for path in ("/compte/double-authentification/", "/compte/", "/admin/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")

    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Valider").click()
    page.goto(live_server.url + "/compte/")
    page.get_by_role("link", name=re.compile("Changer d'application")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Changer d'application d'authentification"
    )
    assert_accessible("changement d'application")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret), 30, 0, 6, 0)
    page.get_by_label("Code à 6 chiffres").fill(f"{totp.token():06d}")
    page.get_by_label("Mot de passe actuel").fill("pas-le-bon")
    page.get_by_role("button", name="Remplacer l'application").click()
    # At the field (the error summary above the form repeats it).
    expect(page.locator("#id_password_error")).to_have_text(
        "Mot de passe incorrect : rien n'a été changé."
    )
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360

    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
    page.get_by_label("Code à 6 chiffres").fill(f"{totp.token():06d}")
    page.get_by_label("Mot de passe actuel").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Remplacer l'application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    new = TOTPDevice.objects.get(user=user)
    assert new.confirmed and b32decode(secret) == new.bin_key
