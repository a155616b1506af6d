"""Second-factor gate: a signed-in user who must use 2FA reaches only the 2FA pages until done."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .services import has_confirmed_device

# URL names an authenticated but unverified user may still open. Which ones depends on whether
# the account already has an authenticator: with one, only the code prompt (a password alone
# must never reach enrolment, which would let its holder replace the victim's device).
ALWAYS_EXEMPT = frozenset({"accounts:logout", "core:health"})
EXEMPT_WITH_DEVICE = ALWAYS_EXEMPT | {"accounts:otp_verify"}
EXEMPT_WITHOUT_DEVICE = ALWAYS_EXEMPT | {"accounts:otp_setup"}


class TwoFactorRequiredMiddleware:
    """Sends unverified users to enrolment (no device yet) or to the code prompt.

    Runs after django-otp's OTPMiddleware, which sets ``request.user.is_verified()``. A user who
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
