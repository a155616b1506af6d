"""Login with e-mail and password, then the second factor, as each role experiences it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts import services
from relais.accounts.enums import Role

from ..factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory
from ..helpers import committed, expire_throttle, totp_code

LOGIN = reverse("accounts:login")
HOME = reverse("dashboards:home")
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")

pytestmark = pytest.mark.django_db


def _login(client, email, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_page_is_in_french(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Adresse e-mail" in response.content.decode()
    assert '<html lang="fr">' in response.content.decode()


def test_wrong_password_gives_a_french_error_and_no_session(client):
    user = UserFactory(role=Role.COMMITTEE_MEMBER)
    response = _login(client, user.email, "faux-mot-de-passe")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_email_is_matched_case_insensitively(client):
    user = UserFactory(role=Role.COMMITTEE_MEMBER, email="paul.bilan@exemple.test")
    response = _login(client, "Paul.Bilan@Exemple.TEST")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_committee_member_without_device_reaches_dashboard_with_password_only(client):
    user = UserFactory(role=Role.COMMITTEE_MEMBER)
    response = _login(client, user.email)
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADVISOR, Role.ADMINISTRATOR])
def test_roles_requiring_2fa_without_device_reach_only_enrolment(client, role, place):
    user = UserFactory(role=role)
    _login(client, user.email)
    for url in [
        HOME,
        reverse("places:list"),
        reverse("team:list"),
        reverse("accounts:account"),
        place.get_absolute_url(),
        reverse("admin:index"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    assert client.get(SETUP).status_code == 200


def test_user_with_device_must_give_a_code_before_anything_else(client):
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR))
    _login(client, device.user.email)
    response = client.get(HOME)
    assert response["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"token": "000000", "next": HOME})
    assert "Code incorrect ou expiré" in response.content.decode()
    assert client.get(HOME).status_code == 302
    response = client.post(VERIFY, {"token": totp_code(device), "next": HOME})
    assert "patientez 1 seconde avant de réessayer" in response.content.decode()
    expire_throttle(device)
    response = client.post(VERIFY, {"token": totp_code(device), "next": HOME})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_partner_staff_who_enrolled_voluntarily_is_held_to_the_device(client, partner):
    device = TOTPDeviceFactory(user=UserFactory(role=Role.PARTNER_STAFF, organisation=partner))
    _login(client, device.user.email)
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_enrolment_by_qr_code_then_recovery_codes_shown_once(client):
    user = UserFactory(role=Role.ADVISOR)
    _login(client, user.email)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "Saisissez cette clé" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get(SETUP).status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1  # reload keeps the same QR code

    response = client.post(SETUP, {"token": "12345"})
    assert "Saisissez les 6 chiffres" in response.content.decode()
    response = client.post(SETUP, {"token": "000000" if totp_code(device) != "000000" else "1"})
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    expire_throttle(device)

    response = client.post(SETUP, {"token": totp_code(device), "next": HOME})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(c in codes_page.content.decode() for c in codes)
    # Shown once: the page now sends the user to their account.
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse("accounts:account")
    assert client.get(HOME).status_code == 200


def test_recovery_code_works_exactly_once(client):
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR))
    codes = services.recovery_codes_regenerate(user=device.user)
    _login(client, device.user.email)
    response = client.post(VERIFY, {"token": codes[0].upper(), "next": HOME})
    assert response["Location"] == HOME
    assert StaticToken.objects.filter(device__user=device.user).count() == 9

    other = Client()
    _login(other, device.user.email)
    response = other.post(VERIFY, {"token": codes[0], "next": HOME})
    assert response.status_code == 200
    assert "Code incorrect" in response.content.decode()


def test_regenerating_recovery_codes_invalidates_the_old_ones(client_for, coordinator):
    old = services.recovery_codes_regenerate(user=coordinator)
    client = client_for(coordinator)
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    assert response["Location"] == reverse("accounts:recovery_codes")
    new = client.get(response["Location"]).context["codes"]
    assert set(new).isdisjoint(old)
    tokens = set(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    assert tokens == set(new)


def test_lockout_after_repeated_failures_with_a_french_message(client, settings):
    user = UserFactory(role=Role.COMMITTEE_MEMBER)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, user.email, "mauvais").status_code == 200
    response = _login(client, user.email, "mauvais")
    assert response.status_code == 429
    assert "Compte bloqué temporairement" in response.content.decode()
    # Even the right password is refused while the lock holds.
    response = _login(client, user.email)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    user = UserFactory(role=Role.COMMITTEE_MEMBER, email="comite@exemple.test")
    response = committed(
        client.post, reverse("accounts:password_reset"), {"email": "comite@exemple.test"}
    )
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Relais : réinitialisation de votre mot de passe"
    link = next(line for line in message.body.splitlines() if "/mot-de-passe/nouveau/" in line)
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    new_password = "un-nouveau-mot-de-passe-solide"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.test"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_logout_requires_post_and_ends_the_session(coordinator_client):
    assert coordinator_client.get(reverse("accounts:logout")).status_code == 405
    response = coordinator_client.post(reverse("accounts:logout"))
    assert response["Location"] == LOGIN
    assert coordinator_client.get(HOME).status_code == 302


def test_open_redirect_is_refused_after_verification(client):
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR))
    _login(client, device.user.email)
    response = client.post(VERIFY, {"token": totp_code(device), "next": "https://evil.example"})
    assert response["Location"] == HOME


def test_two_factor_reset_sends_user_back_to_enrolment(client):
    device = TOTPDeviceFactory(user=UserFactory(role=Role.ADVISOR))
    services.recovery_codes_regenerate(user=device.user)
    services.two_factor_reset(user=device.user)
    assert not services.has_confirmed_device(device.user)
    assert services.recovery_codes_remaining(user=device.user) == 0
    _login(client, device.user.email)
    assert client.get(HOME)["Location"].startswith(SETUP)


def test_coordinator_resets_an_advisors_lost_phone(coordinator_client, advisor_user):
    team = reverse("team:list")
    assert "Réinitialiser (téléphone perdu)" in coordinator_client.get(team).content.decode()
    response = coordinator_client.post(
        reverse("accounts:two_factor_reset", args=[advisor_user.pk]), {"next": team}
    )
    assert response["Location"] == team
    assert not services.has_confirmed_device(advisor_user)


def test_advisor_cannot_reset_a_colleagues_second_factor(advisor_client, coordinator):
    assert services.has_confirmed_device(coordinator)
    response = advisor_client.post(reverse("accounts:two_factor_reset", args=[coordinator.pk]))
    assert response.status_code == 403
    assert services.has_confirmed_device(coordinator)
    assert "Réinitialiser" not in advisor_client.get(reverse("team:list")).content.decode()


def test_lockout_cannot_be_sidestepped_by_changing_the_case(client, settings):
    user = UserFactory(role=Role.COMMITTEE_MEMBER, email="paul@exemple.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "paul@exemple.test", "mauvais")
    response = _login(client, "PAUL@Exemple.test")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account itself is untouched


def test_lockout_is_per_client_address_behind_the_proxy(client, settings):
    user = UserFactory(role=Role.COMMITTEE_MEMBER)
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": user.email, "password": "mauvais"}, **attacker)
    assert (
        client.post(
            LOGIN, {"username": user.email, "password": TEST_PASSWORD}, **attacker
        ).status_code
        == 429
    )
    # The real user, from another address behind the same proxy, still gets in.
    other = Client(HTTP_X_FORWARDED_FOR="198.51.100.20")
    response = other.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    from relais.core.ratelimits import client_ip

    settings.RELAIS_TRUSTED_PROXY_COUNT = 1
    spoofed = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20", REMOTE_ADDR="127.0.0.1")
    assert client_ip(spoofed) == "198.51.100.20"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    settings.RELAIS_TRUSTED_PROXY_COUNT = 0
    assert client_ip(spoofed) == "127.0.0.1"
