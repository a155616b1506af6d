"""The journal: append, verify, and the helper other apps call when personal data is seen.

Each entry's ``hash`` is the HMAC-SHA256, under the key its ``key_id`` names
(``journal_keys``: the key lives in the environment, never in the database), of a canonical
JSON (sorted keys, no spaces, UTF-8) of its content and of the previous entry's hash; the first
entry chains to ``GENESIS_HASH``. Entries written before the journal had a key (empty
``key_id``) keep their plain SHA-256 and may only form the start of the chain. Checkpoints of
the head kept outside the database (``journal_checkpoints``) catch what a chain cannot: a
deleted tail, an older copy restored, a chain recomputed by someone who stole the key.

Entries name people by account id and role and subjects by type and id, never by name: the
journal outlives the purge of what it talks about.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from relais.core import french

from .enums import SYSTEM_ROLE, JournalAction
from .journal_checkpoints import Checkpoint, CheckpointLog, append_checkpoint, read_checkpoints
from .journal_keys import Keyring, journal_keyring
from .models import GENESIS_HASH, JournalEntry, JournalVerification

# Key of the PostgreSQL advisory lock that serialises appends ("relais-journal" in ASCII hex).
JOURNAL_LOCK_KEY = 0x72656C616973
# Keys that would put personal data in the journal: refused outright.
FORBIDDEN_DETAIL_KEYS = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "email",
        "phone",
        "address",
        "birth_date",
        "birth_year",
        "notes",
        "ip",
        "ip_address",
    }
)
MAX_DETAIL_TEXT = 300


class UnknownJournalKeyError(Exception):
    """The entry names a key that is not configured (retired key missing, or a forgery)."""


def canonical_content(entry: JournalEntry) -> str:
    """The exact text that is signed: every field but ``hash`` itself."""
    content = {
        "sequence": entry.sequence,
        "timestamp": entry.timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": entry.actor_id,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "details": entry.details,
        "previous_hash": entry.previous_hash,
    }
    if entry.key_id:
        # Signed too, so an entry cannot be passed off as signed by another key. Absent from the
        # entries of the plain chain, whose text must stay what was hashed when they were written.
        content["key_id"] = entry.key_id
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: JournalEntry, keyring: Keyring | None = None) -> str:
    """The HMAC of the entry under its key, or the plain SHA-256 of an entry without a key."""
    text = canonical_content(entry)
    if not entry.key_id:
        return hashlib.sha256(text.encode()).hexdigest()
    key = (keyring or journal_keyring()).get(entry.key_id)
    if key is None:
        raise UnknownJournalKeyError(entry.key_id)
    return key.sign(text)


def _check_details(value, path: str = "details") -> None:
    """Minimal JSON only: no personal-data keys, short texts, no floats.

    Floats are refused because their text form may change on the way through a database
    (PostgreSQL's jsonb), which would break the recomputed hash.
    """
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: keys must be strings")
            if key.lower() in FORBIDDEN_DETAIL_KEYS:
                raise ValueError(f"{path}.{key}: personal data has no place in the journal")
            _check_details(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_details(item, f"{path}[{index}]")
    elif isinstance(value, str):
        if len(value) > MAX_DETAIL_TEXT:
            raise ValueError(f"{path}: text longer than {MAX_DETAIL_TEXT} characters")
    elif value is not None and not isinstance(value, bool | int):
        raise ValueError(f"{path}: only strings, integers, booleans, lists and objects")


def _actor(actor) -> tuple[int | None, str]:
    if actor is None:
        return None, SYSTEM_ROLE
    if not getattr(actor, "is_authenticated", False):
        raise ValueError("The journal records an authenticated account or the system (None).")
    return actor.pk, actor.role


def _subject(subject) -> tuple[str, str]:
    if subject is None:
        return "", ""
    if isinstance(subject, Model):
        return subject._meta.label_lower, str(subject.pk)
    subject_type, subject_id = subject
    return str(subject_type), str(subject_id)


def _lock_journal() -> None:
    """Serialise appenders until the end of the transaction.

    PostgreSQL: an advisory lock rather than ``SELECT … FOR UPDATE`` on the last row, which
    locks nothing while the journal is empty and, after waiting, hands the second writer the
    same "last" row again (so both would compute the same sequence). SQLite: the IMMEDIATE
    transactions of config/settings/base.py already hold the database's write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [JOURNAL_LOCK_KEY])
    elif connection.vendor != "sqlite":
        list(JournalEntry.objects.select_for_update().order_by("-sequence")[:1])


def journal_append(*, actor, action: str, subject=None, details: dict | None = None):
    """Append one entry to the journal and return it.

    ``actor``: the account acting (``None`` for a scheduled job). ``subject``: a model instance,
    a ``(type, id)`` pair or ``None``. ``details``: minimal JSON without personal data. Safe
    under concurrency: appends are serialised, so sequences are gapless and each entry chains
    to the one before it.
    """
    action = JournalAction(action)
    details = dict(details or {})
    _check_details(details)
    actor_id, actor_role = _actor(actor)
    subject_type, subject_id = _subject(subject)
    key = journal_keyring().current
    if key is None:
        # Never an unkeyed entry: anyone with access to the database could recompute it.
        raise ImproperlyConfigured(
            "RELAIS_JOURNAL_KEY n'est pas défini : le journal ne peut rien enregistrer."
        )
    with transaction.atomic():
        _lock_journal()
        last = JournalEntry.objects.order_by("-sequence").values("sequence", "hash").first()
        entry = JournalEntry(
            sequence=(last["sequence"] + 1) if last else 1,
            timestamp=timezone.now(),
            actor_id=actor_id,
            actor_role=actor_role,
            action=action.value,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
            previous_hash=last["hash"] if last else GENESIS_HASH,
            key_id=key.id,
        )
        entry.hash = key.sign(canonical_content(entry))
        entry.full_clean()
        entry.save()
    return entry


def journal_personal_data_access(request, subject, what: str, *, export: bool = False):
    """Record that ``request.user`` viewed (or exported) personal data of ``subject``.

    ``what`` says which data in a few words without naming anybody ("fiche", "notes",
    "export CSV"). Call it from the view that shows or exports the data, once per response.
    """
    match = getattr(request, "resolver_match", None)
    details = {"what": what}
    if match is not None and match.view_name:
        details["view"] = match.view_name
    return journal_append(
        actor=request.user,
        action=JournalAction.PERSONAL_DATA_EXPORT if export else JournalAction.PERSONAL_DATA_VIEW,
        subject=subject,
        details=details,
    )


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalCheck:
    ok: bool
    entry_count: int
    message: str
    broken_sequence: int | None = None
    last_sequence: int | None = None
    last_hash: str = ""
    last_key_id: str = ""
    # Entries 1 to legacy_until form the plain SHA-256 chain written before the journal had a
    # key (0: none); every later entry is signed.
    legacy_until: int = 0
    checkpoints: CheckpointLog = field(default_factory=lambda: CheckpointLog(path=""))
    # Incremental verification from this checkpointed entry (0: the whole chain was read).
    since_sequence: int = 0


@dataclass(frozen=True)
class _Anchor:
    """A (sequence, hash) pair attested earlier: by a checkpoint outside the database, or by the
    last verification recorded inside it (which whoever writes to the database can change)."""

    sequence: int
    hash: str
    when: str
    external: bool

    def changed(self) -> str:
        if self.external:
            return (
                f"l'entrée n° {self.sequence} ne correspond plus au point de contrôle externe "
                f"du {self.when} : journal réécrit ou recalculé"
            )
        return self.vanished()

    def vanished(self) -> str:
        if self.external:
            return (
                f"l'entrée n° {self.sequence}, attestée par le point de contrôle externe du "
                f"{self.when}, a disparu (fin du journal supprimée, ou base restaurée d'une "
                "sauvegarde)"
            )
        return (
            f"l'entrée n° {self.sequence}, attestée lors de la vérification du {self.when}, "
            "a disparu ou a changé (fin du journal supprimée ?)"
        )


def _when(moment) -> str:
    return french.short_datetime(moment)


def _anchors(log: CheckpointLog) -> dict[int, list[_Anchor]]:
    anchors: dict[int, list[_Anchor]] = {}
    seen: set[tuple[int, str]] = set()
    for checkpoint in log.checkpoints:
        if checkpoint.sequence and (checkpoint.sequence, checkpoint.hash) not in seen:
            seen.add((checkpoint.sequence, checkpoint.hash))
            anchors.setdefault(checkpoint.sequence, []).append(
                _Anchor(checkpoint.sequence, checkpoint.hash, _when(checkpoint.at), external=True)
            )
    verification = (
        JournalVerification.objects.filter(ok=True, last_sequence__isnull=False)
        .order_by("-verified_at", "-pk")
        .first()
    )
    if verification is not None:
        anchors.setdefault(verification.last_sequence, []).append(
            _Anchor(
                verification.last_sequence,
                verification.last_hash,
                _when(verification.verified_at),
                external=False,
            )
        )
    return anchors


class _Walk:
    """Reads the chain in order and names the first entry that breaks it."""

    def __init__(self, *, keyring: Keyring, log: CheckpointLog, start: Checkpoint | None):
        self.keyring = keyring
        self.legacy_limit = log.legacy_until
        self.switch_when = _when(log.checkpoints[0].at) if log.checkpoints else ""
        self.anchors = _anchors(log)
        # Incremental: the checkpointed entry is re-read, its link to the one before is not.
        self.expected = start.sequence if start else 1
        self.previous_hash = None if start else GENESIS_HASH
        self.rank = -1  # rank of the newest key seen so far; -1: only plain SHA-256 entries
        self.count = 0
        self.legacy_until = (log.legacy_until or 0) if start else 0
        self.last: JournalEntry | None = None

    def problem(self, entry: JournalEntry) -> tuple[str, int] | None:
        sequence = entry.sequence
        if sequence != self.expected:
            return (
                f"entrée n° {self.expected} manquante : le journal passe du n° "
                f"{self.expected - 1} au n° {sequence}",
                self.expected,
            )
        if entry.key_id:
            key = self.keyring.get(entry.key_id)
            if key is None:
                return (
                    f"entrée n° {sequence} : signée avec une clé inconnue ({entry.key_id}) ; "
                    "si c'est une ancienne clé, ajoutez-la à RELAIS_JOURNAL_KEYS, sinon "
                    "l'entrée est forgée",
                    sequence,
                )
            if key.rank < self.rank:
                return (
                    f"entrée n° {sequence} : signée avec une clé retirée ({entry.key_id}) après "
                    "des entrées signées avec une clé plus récente (entrée forgée avec une "
                    "ancienne clé, ou RELAIS_JOURNAL_KEYS dans le désordre)",
                    sequence,
                )
        elif self.rank >= 0:
            return (
                f"entrée n° {sequence} : sans clé (SHA-256 seul) après des entrées signées : "
                "ajoutée ou réécrite sans la clé",
                sequence,
            )
        elif self.legacy_limit is not None and sequence > self.legacy_limit:
            return (
                f"entrée n° {sequence} : sans clé (SHA-256 seul) alors que le point de contrôle "
                f"externe du {self.switch_when} atteste que le journal est signé à partir du "
                f"n° {self.legacy_limit + 1}",
                sequence,
            )
        if entry_hash(entry, self.keyring) != entry.hash:
            return f"entrée n° {sequence} : contenu modifié ou entrée déplacée", sequence
        if self.previous_hash is not None and entry.previous_hash != self.previous_hash:
            return (
                f"entrée n° {sequence} : chaînage rompu, elle ne suit pas l'entrée "
                f"n° {sequence - 1} (entrée supprimée, insérée ou réécrite)",
                sequence,
            )
        for anchor in self.anchors.get(sequence, ()):
            if anchor.hash != entry.hash:
                return anchor.changed(), sequence
        return None

    def advance(self, entry: JournalEntry) -> None:
        if entry.key_id:
            self.rank = max(self.rank, self.keyring.get(entry.key_id).rank)
        else:
            self.legacy_until = entry.sequence
        self.previous_hash = entry.hash
        self.expected = entry.sequence + 1
        self.count += 1
        self.last = entry

    def vanished_anchor(self) -> _Anchor | None:
        """The first attested entry beyond the end of the journal (a deleted tail)."""
        beyond = [
            anchor
            for sequence, anchors in self.anchors.items()
            if sequence >= self.expected
            for anchor in anchors
        ]
        return min(beyond, key=lambda a: (a.sequence, not a.external), default=None)


def journal_verify(*, since_last_checkpoint: bool = False) -> JournalCheck:
    """Re-read the chain; name the first broken entry.

    Detects an edited entry (its HMAC no longer matches its content), a deleted one (a gap, or
    the next entry's ``previous_hash`` pointing nowhere), reordered and inserted ones (the
    sequence is signed; nobody without the key can sign), a deleted tail and a chain recomputed
    in full, with the key or as plain SHA-256 (against the checkpoints kept outside the
    database and, for the tail, the last recorded verification).

    ``since_last_checkpoint``: re-read only from the last external checkpoint's entry (the
    cheap, frequent ``relais journal-checkpoint``); the daily ``verify-journal`` reads it all.
    """
    log = read_checkpoints()
    if log.problem:
        return JournalCheck(
            ok=False,
            entry_count=0,
            message=f"Vérification impossible : {log.problem}.",
            checkpoints=log,
        )
    start = log.last if since_last_checkpoint and log.last and log.last.sequence else None
    walk = _Walk(keyring=journal_keyring(), log=log, start=start)
    entries = JournalEntry.objects.order_by("sequence")
    if start:
        entries = entries.filter(sequence__gte=start.sequence)
    for entry in entries.iterator(chunk_size=2000):
        found = walk.problem(entry)
        if found:
            problem, broken = found
            return JournalCheck(
                ok=False,
                entry_count=walk.count,
                message=f"Journal altéré : {problem}.",
                broken_sequence=broken,
                checkpoints=log,
            )
        walk.advance(entry)
    vanished = walk.vanished_anchor()
    if vanished:
        return JournalCheck(
            ok=False,
            entry_count=walk.count,
            message=f"Journal altéré : {vanished.vanished()}.",
            broken_sequence=walk.expected,
            checkpoints=log,
        )
    total = walk.last.sequence if walk.last else 0
    if start:
        message = (
            f"Journal intègre depuis le point de contrôle du {_when(start.at)} (n° "
            f"{start.sequence}) : {total} entrées."
        )
    else:
        message = f"Journal intègre : {total} entrées."
    last = walk.last
    return JournalCheck(
        ok=True,
        entry_count=total,
        message=message,
        last_sequence=last.sequence if last else None,
        last_hash=last.hash if last else "",
        last_key_id=last.key_id if last else "",
        legacy_until=walk.legacy_until,
        checkpoints=log,
        since_sequence=start.sequence if start else 0,
    )


def journal_verification_record(*, check: JournalCheck) -> JournalVerification:
    """Keep the outcome of a verification (the anchor of the next one, and the status page)."""
    verification = JournalVerification(
        ok=check.ok,
        entry_count=check.entry_count,
        last_sequence=check.last_sequence,
        last_hash=check.last_hash,
        message=check.message,
    )
    verification.full_clean()
    verification.save()
    return verification


def journal_checkpoint(*, check: JournalCheck) -> Checkpoint:
    """Append the verified head to the checkpoints kept outside the database (and the log)."""
    if not check.ok:
        raise ValueError("Only a verified journal is checkpointed.")
    checkpoint = Checkpoint(
        at=timezone.now(),
        sequence=check.last_sequence or 0,
        hash=check.last_hash,
        key_id=check.last_key_id,
        legacy_until=check.legacy_until,
    )
    append_checkpoint(checkpoint)
    return checkpoint
