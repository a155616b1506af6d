"""Helpers shared by the tests: TOTP codes, verified logins, HTML inspection."""

import html
import re
import time
from html.parser import HTMLParser

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP


def totp_code(device, at: float | None = None) -> str:
    """The code an authenticator app would show now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def expire_throttle(device) -> None:
    """Act as if the user waited out django-otp's delay after a wrong code."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def login_verified(client, user, device=None):
    """Log a user in as if they had passed both factors (when they have a device)."""
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class _TagCounter(HTMLParser):
    def __init__(self, tag):
        super().__init__()
        self.tag, self.count = tag, 0

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self.count += 1


def count_tags(html: str, tag: str) -> int:
    parser = _TagCounter(tag)
    parser.feed(html)
    return parser.count


def page_text(response) -> str:
    """The visible text of a response: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def committed(function, *args, **kwargs):
    """Call ``function`` and run what it left for after the commit (the outbox's sending), as
    happens outside the test's wrapping transaction; returns its result."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)
