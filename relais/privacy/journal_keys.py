"""The journal's HMAC keys: read from the settings (the environment), never from the database.

``RELAIS_JOURNAL_KEY`` signs new entries; ``RELAIS_JOURNAL_KEYS`` lists the retired keys, oldest
first, so that the entries they signed can still be verified after a rotation. Each entry stores
the *id* of its key, derived from the key itself, so the operator has no id to keep in step.

The position of a key in that list is its rank, and the chain may only move forward: once an
entry is signed with a newer key, an entry signed with an older one is refused. A retired key
that leaked therefore cannot forge entries after the rotation.
"""

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings

# A key from `secrets.token_urlsafe(32)` has 43 characters; shorter keys could be guessed from
# the (entry, HMAC) pairs anyone with read access to the database sees.
MIN_KEY_LENGTH = 32
KEY_ID_LENGTH = 12


def key_id(secret: str) -> str:
    """The public name of a key: an HMAC of a constant under the key, so it reveals nothing."""
    return hmac.new(secret.encode(), b"relais-journal-key-id", hashlib.sha256).hexdigest()[
        :KEY_ID_LENGTH
    ]


@dataclass(frozen=True)
class JournalKey:
    id: str
    rank: int  # 0 for the oldest retired key; the current key has the highest rank
    secret: bytes = field(repr=False)

    def sign(self, text: str) -> str:
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, JournalKey]
    current: JournalKey | None

    def get(self, identifier: str) -> JournalKey | None:
        return self.keys.get(identifier)


def _secrets() -> list[str]:
    """Retired keys oldest first, then the current one (when set)."""
    retired = [key.strip() for key in settings.RELAIS_JOURNAL_KEYS if key.strip()]
    current = settings.RELAIS_JOURNAL_KEY.strip()
    return [*retired, current] if current else retired


def journal_keyring() -> Keyring:
    """The configured keys. Read at each call: a rotation takes effect without a code path
    holding the old key, and tests can change the settings."""
    keys: dict[str, JournalKey] = {}
    for rank, secret in enumerate(_secrets()):
        # A key listed twice keeps its latest rank (checks.py reports the duplicate).
        keys[key_id(secret)] = JournalKey(id=key_id(secret), rank=rank, secret=secret.encode())
    current = (
        keys[key_id(settings.RELAIS_JOURNAL_KEY.strip())]
        if settings.RELAIS_JOURNAL_KEY.strip()
        else None
    )
    return Keyring(keys=keys, current=current)


def key_problems() -> list[tuple[str, str]]:
    """(code, French message) for each problem of the configured keys, for the system checks."""
    problems = []
    if not settings.RELAIS_JOURNAL_KEY.strip():
        problems.append(
            (
                "E001",
                "RELAIS_JOURNAL_KEY n'est pas défini : le journal ne peut rien enregistrer.",
            )
        )
    seen: set[str] = set()
    for name, secret in [
        *(("RELAIS_JOURNAL_KEYS", key.strip()) for key in settings.RELAIS_JOURNAL_KEYS),
        ("RELAIS_JOURNAL_KEY", settings.RELAIS_JOURNAL_KEY.strip()),
    ]:
        if not secret:
            continue
        if len(secret) < MIN_KEY_LENGTH:
            problems.append(
                (
                    "E002",
                    f"Une clé de {name} compte moins de {MIN_KEY_LENGTH} caractères "
                    f"(clé {key_id(secret)}).",
                )
            )
        if secret in seen:
            problems.append(
                (
                    "E003",
                    f"La clé {key_id(secret)} figure deux fois dans {name} ou ses anciennes clés.",
                )
            )
        seen.add(secret)
    return problems
