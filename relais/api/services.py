"""Tokens: create (the secret is returned once), revoke, authenticate."""

import hashlib
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from relais.core.perms import require

from . import perms
from .enums import Scope
from .models import ApiToken

TOKEN_PREFIX = "rls_"  # noqa: S105 - a public marker, not a secret
# Do not write last_used_at more often than this (one UPDATE per token per minute at most).
LAST_USED_PRECISION_SECONDS = 60


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *, user, name: str, scopes: list[str], expires_on: date | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret — the only time the secret exists in clear.

    ``expires_on``: its last valid day, a year from today unless given."""
    require(perms.can_manage_tokens(user))
    scopes = sorted(set(scopes or []))
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError({"scopes": "Choisissez au moins une portée valide."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret),
        scopes=scopes,
        created_by=user,
        expires_on=expires_on or timezone.localdate() + timedelta(days=365),
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, user, token: ApiToken) -> ApiToken:
    require(perms.can_manage_tokens(user))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, or ``None``; records its last use."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.active().filter(token_hash=token_hash(secret)).first()
    if token is None:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
