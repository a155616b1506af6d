"""Who is signed in, and the second-factor gate: a signed-in user who must use 2FA reaches only
the 2FA pages until done."""

import functools
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware, is_verified
from django_otp.models import Device

from .services import has_confirmed_device

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class VerifiedUserMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware`` and django-otp's ``OTPMiddleware`` in one: sets
    ``request.user`` with ``otp_device`` and ``is_verified()``, reading the user and the device
    that verified the session in one query instead of two (issue 19 §2: every signed-in
    request paid a user read and a device read besides the session's).

    The checks are those of both middlewares: the session's backend is configured, the user is
    active and the session's password hash matches (else Django's own ``get_user`` decides:
    fallback secrets, or the session is flushed); the device is confirmed and belongs to that
    user (else the session loses its verification). Lazy as theirs: a request that never reads
    ``request.user`` reads nothing.
    """

    def process_request(self, request):
        super().process_request(request)  # its checks (a session middleware before it)
        request.user = SimpleLazyObject(lambda: _verified_user(request))
        request.auser = functools.partial(_averified_user, request)


async def _averified_user(request):
    return await sync_to_async(_verified_user)(request)


def _verified_user(request):
    if hasattr(request, "_cached_user"):
        return request._cached_user
    session = request.session
    device = _session_device(session)
    user = device.user if device is not None else None
    if (
        user is None
        or session.get(auth.BACKEND_SESSION_KEY) != MODEL_BACKEND
        or MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS
        or not ModelBackend().user_can_authenticate(user)
        or not constant_time_compare(
            session.get(auth.HASH_SESSION_KEY) or "", user.get_session_auth_hash()
        )
    ):
        # Anything but the common case: Django's own reading of the session decides.
        user = auth.get_user(request)
    if device is not None and device.user_id != user.pk:
        device = None
    user.otp_device = None
    user.is_verified = functools.partial(is_verified, user)
    if user.is_authenticated:
        user.otp_device = device
        if device is None and DEVICE_ID_SESSION_KEY in session:
            del session[DEVICE_ID_SESSION_KEY]
    request._cached_user = user
    return user


def _session_device(session):
    """The confirmed device named by the session, with its user (one query), if it belongs to
    the session's user; None otherwise."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    user_id = session.get(auth.SESSION_KEY)
    if not persistent_id or not user_id:
        return None
    try:
        model_label, device_id = OTPMiddleware._normalize_persistent_id(persistent_id).rsplit(
            "/", 1
        )
        model = apps.get_model(model_label)
        if not issubclass(model, Device):
            return None
        return (
            model.objects.select_related("user", *_user_profiles())
            .filter(pk=int(device_id), user_id=int(user_id), confirmed=True)
            .first()
        )
    except (ValueError, LookupError):
        return None


@functools.cache
def _user_profiles() -> tuple[str, ...]:
    """The user's one-to-one profiles (the adviser's record), read in the same query: an
    adviser's every page needs it (issue 19 §2). Found on the model, so that this layer names
    no app above it; an account without one reads as before (``RelatedObjectDoesNotExist``)."""
    user_model = auth.get_user_model()
    return tuple(
        f"user__{relation.name}"
        for relation in user_model._meta.related_objects
        if relation.one_to_one
    )


# URL names an authenticated but unverified user may still open. Which ones depends on whether
# the account already has an authenticator: with one, only the code prompt (a password alone
# must never reach enrolment, which would let its holder replace the victim's device).
ALWAYS_EXEMPT = frozenset({"accounts:logout", "core:health"})
EXEMPT_WITH_DEVICE = ALWAYS_EXEMPT | {"accounts:otp_verify"}
EXEMPT_WITHOUT_DEVICE = ALWAYS_EXEMPT | {"accounts:otp_setup"}


class TwoFactorRequiredMiddleware:
    """Sends unverified users to enrolment (no device yet) or to the code prompt.

    Runs after ``VerifiedUserMiddleware``, which sets ``request.user.is_verified()``. A user who
    enrolled voluntarily (partner staff, committee) is held to their device too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Static files only: uploaded files (mandate scans) are served by views that check rights.
        self.exempt_prefixes = tuple(p for p in (settings.STATIC_URL,) if p and p != "/")

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if has_confirmed_device(user):
                if not self._exempt(request, EXEMPT_WITH_DEVICE):
                    return self._redirect("accounts:otp_verify", request)
            elif user.requires_two_factor and not self._exempt(request, EXEMPT_WITHOUT_DEVICE):
                return self._redirect("accounts:otp_setup", request)
        return self.get_response(request)

    def _exempt(self, request, url_names: frozenset) -> bool:
        if request.path.startswith(self.exempt_prefixes):
            return True
        match = request.resolver_match or _resolve(request.path_info)
        return match is not None and match.view_name in url_names

    @staticmethod
    def _redirect(url_name: str, request):
        query = ""
        if request.method == "GET":
            query = "?" + urlencode({"next": request.get_full_path()})
        return redirect(reverse(url_name) + query)


def _resolve(path):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None
