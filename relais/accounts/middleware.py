"""Second-factor gate: a signed-in user who must use 2FA reaches only the 2FA pages until done."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .services import has_confirmed_device

# URL names an authenticated but unverified user may still open.
EXEMPT_URL_NAMES = frozenset(
    {"accounts:otp_verify", "accounts:otp_setup", "accounts:logout", "core:health"}
)


class TwoFactorRequiredMiddleware:
    """Sends unverified users to enrolment (no device yet) or to the code prompt.

    Runs after django-otp's OTPMiddleware, which sets ``request.user.is_verified()``. A user who
    enrolled voluntarily (partner staff, committee) is held to their device too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = tuple(
            p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p != "/"
        )

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._exempt(request):
            if has_confirmed_device(user):
                return self._redirect("accounts:otp_verify", request)
            if user.requires_two_factor:
                return self._redirect("accounts:otp_setup", request)
        return self.get_response(request)

    def _exempt(self, request) -> bool:
        if request.path.startswith(self.exempt_prefixes):
            return True
        match = request.resolver_match or _resolve(request.path_info)
        return match is not None and match.view_name in EXEMPT_URL_NAMES

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
