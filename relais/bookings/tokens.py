"""Secret links for people without an account (registrations now, appointments later).

The token is an HMAC-SHA256, keyed by ``SECRET_KEY``, of a purpose and a random public id
(UUID4): 256 bits nobody can compute without the key. Nothing secret is stored, so a copy of the
database gives no working link, and the same link can be written again in every message
(confirmation, reminder, promotion). It is checked in constant time, against
``SECRET_KEY_FALLBACKS`` too so that rotating the key does not break links already sent.
"""

from base64 import urlsafe_b64encode

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac


def _digest(purpose: str, public_id, secret: str) -> str:
    mac = salted_hmac(f"relais.tokens.{purpose}", str(public_id), secret=secret, algorithm="sha256")
    return urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def make_token(purpose: str, public_id) -> str:
    return _digest(purpose, public_id, settings.SECRET_KEY)


def check_token(purpose: str, public_id, token: str) -> bool:
    if not token:
        return False
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    # Every key is tried, so the time taken does not tell which one matched.
    matches = [constant_time_compare(_digest(purpose, public_id, key), token) for key in keys]
    return any(matches)
