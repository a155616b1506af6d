"""A stolen password is not enough: an account with an authenticator, signed in with its password
only, reaches the code prompt and logout, and nothing else — above all not enrolment, which would
let the thief replace the victim's device (issue 12, §1).

Every URL of the project is tried, with GET and with POST, for every role, and the account's
second factors (TOTP devices, recovery codes) are compared before and after: none may change.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts import services
from relais.accounts.enums import Role

from ..factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory
from ..helpers import expire_throttle, login_verified, totp_code
from ..test_meta import _project_urls

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")
LOGOUT = reverse("accounts:logout")
HOME = reverse("dashboards:home")
# What an unverified session may open: the code prompt, logout and the health check.
REACHABLE = {"accounts:otp_verify", "accounts:logout", "core:health"}


def _enrolled(role):
    user = UserFactory(role=role, is_superuser=role == Role.ADMINISTRATOR)
    device = TOTPDeviceFactory(user=user)
    services.recovery_codes_regenerate(user=user)
    return user, device


def _second_factors(user) -> tuple:
    """Everything that decides who can pass the account's second factor."""
    return (
        sorted(TOTPDevice.objects.filter(user=user).values_list("pk", "key", "confirmed")),
        sorted(StaticDevice.objects.filter(user=user).values_list("pk", "confirmed")),
        sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)),
    )


def _password_only(user) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    return client


@pytest.mark.parametrize("role", list(Role))
def test_enrolment_page_is_out_of_reach_with_a_password_alone(role):
    user, _device = _enrolled(role)
    before = _second_factors(user)
    client = _password_only(user)

    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    # Not even a pending device (whose QR code the page would show) was created.
    assert _second_factors(user) == before

    # A pending device left by an earlier, legitimate visit: its code is known to whoever
    # scanned it, yet a password-only session cannot confirm it.
    pending = services.totp_enrolment_start(user=user)
    before = _second_factors(user)
    response = client.post(SETUP, {"token": totp_code(pending), "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert _second_factors(user) == before
    assert not client.session.get("otp_device_id")


@pytest.mark.parametrize("role", list(Role))
def test_every_url_answers_a_password_only_session_with_the_code_prompt(role):
    user, _device = _enrolled(role)
    services.totp_enrolment_start(user=user)  # a pending device to tempt a confirmation
    before = _second_factors(user)
    client = _password_only(user)
    tried = 0
    for name, url in _project_urls():
        if name in REACHABLE:
            continue
        for method in (client.get, client.post):
            response = method(url, {"token": "123456", "password": TEST_PASSWORD})
            tried += 1
            assert response.status_code == 302, (method.__name__, name, response.status_code)
            assert response["Location"].startswith(VERIFY), (name, response["Location"])
        assert _second_factors(user) == before, name
    assert tried > 300
    # The prompt itself and logout still work.
    assert client.get(VERIFY).status_code == 200
    assert client.post(LOGOUT).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_service_refuses_to_replace_a_device_without_the_password():
    user, old = _enrolled(Role.ADMINISTRATOR)
    pending = services.totp_enrolment_start(user=user)
    for password in (None, "", "pas-le-bon"):
        result = services.totp_enrolment_confirm(
            user=user, token=totp_code(pending), password=password
        )
        assert not result.confirmed
        assert result.refusal == services.EnrolmentRefusal.REAUTHENTICATION_FAILED
        expire_throttle(pending)
    assert TOTPDevice.objects.get(pk=old.pk).confirmed
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed


def test_replacing_the_authenticator_takes_a_verified_session_and_the_password(client):
    user, old = _enrolled(Role.COORDINATOR)
    login_verified(client, user, old)
    page = client.get(SETUP)
    assert "Mot de passe actuel" in page.content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(SETUP, {"token": totp_code(new), "password": "pas-le-bon"})
    assert "Mot de passe incorrect : rien n&#x27;a été changé." in response.content.decode()
    assert TOTPDevice.objects.get(pk=old.pk).confirmed
    response = client.post(SETUP, {"token": totp_code(new)})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert TOTPDevice.objects.get(pk=old.pk).confirmed

    expire_throttle(new)
    old_codes = _second_factors(user)[2]
    response = client.post(
        SETUP, {"token": totp_code(new), "password": TEST_PASSWORD, "next": HOME}
    )
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    assert not set(old_codes) & set(_second_factors(user)[2])  # fresh recovery codes


def test_a_lost_phone_is_replaced_after_signing_in_with_a_recovery_code(client):
    user, old = _enrolled(Role.ADVISOR)
    code = services.recovery_codes_regenerate(user=user)[0]
    client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})
    assert client.post(VERIFY, {"token": code, "next": HOME})["Location"] == HOME
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"token": totp_code(new), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_recovery_codes_cannot_be_minted_without_an_authenticator(client):
    user = UserFactory(role=Role.PARTNER_STAFF)
    client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    assert response["Location"] == reverse("accounts:account")
    assert not StaticToken.objects.filter(device__user=user).exists()
