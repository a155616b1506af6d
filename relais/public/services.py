"""Writes of the app: issue, revoke and check the secret links of advisers' calendar feeds."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from relais.core.writes import insert_or_get

from .models import FeedToken

KEY_BYTES = 6  # 12 hex characters: the public selector
SECRET_BYTES = 32  # 256 bits: the secret, of which only the hash is kept


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    feed_token: FeedToken
    # ``<key>.<secret>``: shown once, never stored. ``None`` when a simultaneous request (a
    # double click) issued the link: its secret is in that request's response only.
    token: str | None


@transaction.atomic
def feed_token_issue(*, advisor) -> IssuedToken:
    """A new secret link for ``advisor``; the previous one, if any, stops working."""
    feed_token_revoke(advisor=advisor)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    feed_token = FeedToken(
        advisor=advisor, key=secrets.token_hex(KEY_BYTES), token_hash=token_digest(secret)
    )
    # Another request may have issued a link since our revocation (one active link per
    # adviser): that link is the one in use, and this request does not replace it.
    feed_token, inserted = insert_or_get(feed_token, advisor=advisor, revoked_at__isnull=True)
    if not inserted:
        return IssuedToken(feed_token, None)
    return IssuedToken(feed_token, f"{feed_token.key}.{secret}")


def feed_token_revoke(*, advisor) -> int:
    """Revoke the adviser's link in use; returns how many were revoked (0 or 1)."""
    return FeedToken.objects.active().filter(advisor=advisor).update(revoked_at=timezone.now())


def feed_token_check(token: str) -> FeedToken | None:
    """The active link matching ``token`` (``<key>.<secret>``), or ``None``.

    The row is found by its public key; the secret's hash is compared in constant time. A
    link of an adviser whose account is deactivated no longer works.
    """
    key, _, secret = (token or "").partition(".")
    if not key or not secret:
        return None
    found = (
        FeedToken.objects.active()
        .select_related("advisor__user", "advisor__home_commune")
        .filter(key=key)
        .first()
    )
    if found is None or not hmac.compare_digest(found.token_hash, token_digest(secret)):
        return None
    if not found.advisor.user.is_active:
        return None
    return found
