"""Rate limits of the public forms (no account): per client address and per e-mail or phone.

Anyone can submit the workshop registration, the appointment booking and the password reset
form, and each submission sends an e-mail or an SMS to the address given: without a limit, a
script could fill the waiting lists or flood someone's inbox (and the SMS bill). Each form's
POSTs are counted by django-ratelimit in the shared cache (``CACHES["default"]``), in fixed
windows:

* per client address, as ``client_ip`` below reads it (django-axes reads it too) behind the trusted
  proxies (IPv6 addresses by /64, what one subscriber gets): RELAIS_RATELIMIT_PER_ADDRESS;
* per e-mail address and per phone number typed in the form (whoever sends them):
  RELAIS_RATELIMIT_PER_CONTACT.

Past either limit the form is not processed: HTTP 429 and a page in French saying when to try
again. Reading the pages (GET) is never limited.
"""

import ipaddress
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django_ratelimit.core import get_usage


def client_ip(request) -> str | None:
    """The client's address for django-axes, trusting exactly AXES_PROXY_COUNT proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For,
    so the client is the N-th entry from the right; anything further left was written by the
    client itself and cannot be trusted. Without a proxy (N = 0), REMOTE_ADDR is the client.
    """
    trusted = settings.RELAIS_TRUSTED_PROXY_COUNT
    forwarded = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    if trusted and forwarded:
        return forwarded[-min(trusted, len(forwarded))]
    return request.META.get("REMOTE_ADDR")


RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """``"30/h"`` → (30, 3600); empty → None (no limit). ImproperlyConfigured otherwise."""
    rate = (rate or "").strip()
    if not rate:
        return None
    match = RATE.match(rate)
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f"Limite « {rate} » invalide : un nombre, « / » et une période (s, m, h ou d), "
            "par exemple 30/h."
        )
    return int(match[1]), int(match[2] or 1) * _PERIODS[match[3]]


def _address(group, request) -> str:
    address = client_ip(request) or ""
    try:
        network = ipaddress.ip_network(f"{address}/{64 if ':' in address else 32}", strict=False)
    except ValueError:
        # Not an address (a proxy misconfigured, or no proxy where one is declared): these
        # requests share one counter rather than escaping the limit.
        return "invalid"
    return str(network.network_address)


def _contacts(request) -> list[str]:
    """The e-mail address and the phone number posted, normalised so that variants of one
    address (case, spaces) or number (06…, +33 6…) share a counter."""
    keys = []
    email = request.POST.get("email", "").strip().lower()
    if email:
        keys.append(f"email:{email[:254]}")
    digits = re.sub(r"\D", "", request.POST.get("phone", ""))
    if digits:
        keys.append(f"phone:{digits[-9:]}")  # the national number, without 0 or +33
    return keys


def limit_exceeded(request, group: str) -> int | None:
    """Count this POST of the form ``group``; the seconds until the client may submit again
    when it is past a limit, else None. Every counter is incremented, even past a limit, so
    that keeping on submitting keeps the limit on."""
    waits = []
    checks = [(settings.RELAIS_RATELIMIT_PER_ADDRESS, lambda g, r: _address(g, r))]
    for contact in _contacts(request):
        checks.append((settings.RELAIS_RATELIMIT_PER_CONTACT, lambda g, r, c=contact: c))
    for rate, key in checks:
        parsed = parse_rate(rate)
        if parsed is None:
            continue
        usage = get_usage(request, group=group, key=key, rate=parsed, method="POST", increment=True)
        if usage and usage["should_limit"]:
            waits.append(max(usage["time_left"], 1))
    return max(waits) if waits else None


def public_form_limit(group: str):
    """Decorator of a public view whose POSTs are limited (see the module's docstring)."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST":
                wait = limit_exceeded(request, group)
                if wait is not None:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many_requests(request, wait_seconds: int):
    """HTTP 429, in French, with the wait rounded up to the minute."""
    minutes = max(1, -(-wait_seconds // 60))
    response = render(request, "core/too_many_requests.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response
