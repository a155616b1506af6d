"""The cost of a signed-in request (issue 19 §2) and the security of the one query that reads the
user and the device that verified the session (``VerifiedUserMiddleware``).

The differential test compares it, session state by session state, with what Django's
``AuthenticationMiddleware`` and django-otp's ``OTPMiddleware`` — the pair it replaces, run
unmodified — decide for the same session: same user, same verification.
"""

import itertools

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice

from relais.accounts.enums import Role
from relais.accounts.middleware import VerifiedUserMiddleware

from ..factories import AdvisorFactory, TOTPDeviceFactory, UserFactory
from ..helpers import login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def hello(request):
    """The trivial view of ``make bench-load``, telling who it saw."""
    user = request.user
    return HttpResponse(f"{user.is_authenticated} {user.is_verified()}")


# The second-factor pages beside it, not the whole project: this test measures the middleware.
urlpatterns = [path("bonjour/", hello), path("compte/", include("relais.accounts.urls"))]


def _adviser():
    user = UserFactory(role=Role.ADVISOR)
    return user, TOTPDeviceFactory(user=user)


def test_a_verified_request_reads_the_session_then_the_user_with_its_device(
    django_assert_num_queries,
):
    user, device = _adviser()
    client = login_verified(Client(), user, device)
    # Before: three (session, user, device).
    with django_assert_num_queries(2):
        response = client.get("/bonjour/")
    assert response.content == b"True True"


@pytest.mark.urls("config.urls")
@pytest.mark.parametrize("persona", ["advisor_user", "coordinator"])
def test_a_staff_page_adds_no_query_of_its_own(persona, request, django_assert_num_queries):
    """The 404 page: base.html with its menu and every context processor, and no view work.
    The middlewares and the context processors read nothing beyond the session and the user."""
    user = request.getfixturevalue(persona)
    client = login_verified(Client(), user, user.totpdevice_set.get())
    with django_assert_num_queries(2):
        response = client.get("/pas-de-page-ici/")
    assert response.status_code == 404
    assert b"<nav" in response.content


def test_an_anonymous_request_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/bonjour/")
    assert response.content == b"False False"


def test_a_password_changed_elsewhere_ends_the_session():
    user, device = _adviser()
    client = login_verified(Client(), user, device)
    user.set_password("un autre mot de passe, long")
    user.save()
    response = client.get("/bonjour/")
    assert response.content == b"False False"
    assert "_auth_user_id" not in client.session


def test_a_deleted_device_loses_the_verification():
    user, device = _adviser()
    client = login_verified(Client(), user, device)
    device.delete()
    response = client.get("/bonjour/")
    # The adviser must use a second factor and has none left: enrolment, not the page.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_unconfirmed_device_does_not_verify():
    user, device = _adviser()
    client = login_verified(Client(), user, device)
    device.confirmed = False
    device.save()
    response = client.get("/bonjour/")
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_another_users_device_does_not_verify():
    user, device = _adviser()
    _other, others_device = _adviser()
    client = login_verified(Client(), user, others_device)
    response = client.get("/bonjour/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert device.pk != others_device.pk


# --- Differential: the same decision as the two middlewares it replaces --------------------

DEVICES = ["own", "own unconfirmed", "own static", "deleted", "another user's", "none", "garbage"]


def _session(user, other, device_state: str, backend: str) -> SessionStore:
    totp = TOTPDeviceFactory(user=user)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = backend
    session["_auth_user_hash"] = user.get_session_auth_hash()
    if device_state == "own":
        session[DEVICE_ID_SESSION_KEY] = totp.persistent_id
    elif device_state == "own unconfirmed":
        totp.confirmed = False
        totp.save()
        session[DEVICE_ID_SESSION_KEY] = totp.persistent_id
    elif device_state == "own static":
        static = StaticDevice.objects.create(user=user, name="codes", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = static.persistent_id
    elif device_state == "deleted":
        session[DEVICE_ID_SESSION_KEY] = totp.persistent_id
        totp.delete()
    elif device_state == "another user's":
        session[DEVICE_ID_SESSION_KEY] = TOTPDeviceFactory(user=other).persistent_id
    elif device_state == "garbage":
        session[DEVICE_ID_SESSION_KEY] = "otp_totp.totpdevice/not-a-number"
    session.create()
    session.save()
    return session


def _ok(request):
    return HttpResponse()


def _reference(request):
    AuthenticationMiddleware(_ok).process_request(request)
    OTPMiddleware(_ok)._install_lazy_accessors(request)


def _ours(request):
    VerifiedUserMiddleware(_ok).process_request(request)


def _decide(install, session_key: str) -> tuple:
    request = RequestFactory().get("/bonjour/")
    request.session = SessionStore(session_key)
    install(request)
    user = request.user
    return (
        user.pk,
        user.is_authenticated,
        user.is_verified(),
        DEVICE_ID_SESSION_KEY in request.session,
        request.session.session_key is not None,
    )


@pytest.mark.parametrize(
    ("device_state", "password_changed", "active", "backend"),
    list(
        itertools.product(
            DEVICES,
            [False, True],
            [True, False],
            ["django.contrib.auth.backends.ModelBackend", "some.removed.Backend"],
        )
    ),
)
def test_same_decision_as_django_and_django_otp(device_state, password_changed, active, backend):
    user = UserFactory(role=Role.ADVISOR)
    other = UserFactory(role=Role.ADVISOR)
    keys = [_session(user, other, device_state, backend).session_key for _ in range(2)]
    if password_changed:
        user.set_password("un autre mot de passe, long")
    user.is_active = active
    user.save()

    reference = _decide(_reference, keys[0])
    ours = _decide(_ours, keys[1])
    assert ours == reference


def test_the_advisers_record_comes_with_the_user_and_the_device(django_assert_num_queries):
    """An adviser's pages all read ``request.user.advisor``: in the middleware's one query."""
    user, device = _adviser()
    advisor = AdvisorFactory(user=user)
    client = login_verified(Client(), user, device)
    request = RequestFactory().get("/bonjour/")
    request.session = SessionStore(client.session.session_key)
    VerifiedUserMiddleware(lambda r: HttpResponse()).process_request(request)
    with django_assert_num_queries(2):  # the session, then the device with user and adviser
        assert request.user.advisor == advisor


def test_an_account_without_an_advisers_record_still_has_none():
    user = UserFactory(role=Role.COORDINATOR)
    client = login_verified(Client(), user, TOTPDeviceFactory(user=user))
    request = RequestFactory().get("/bonjour/")
    request.session = SessionStore(client.session.session_key)
    VerifiedUserMiddleware(lambda r: HttpResponse()).process_request(request)
    assert request.user.is_verified()
    assert not hasattr(request.user, "advisor")
