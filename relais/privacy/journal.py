"""The journal: append, verify, and the helper other apps call when personal data is seen.

Each entry's ``hash`` is the SHA-256 of a canonical JSON (sorted keys, no spaces, UTF-8) of its
content and of the previous entry's hash; the first entry chains to ``GENESIS_HASH``. Entries
name people by account id and role and subjects by type and id, never by name: the journal
outlives the purge of what it talks about.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from .enums import SYSTEM_ROLE, JournalAction
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


def canonical_content(entry: JournalEntry) -> str:
    """The exact text that is hashed: every field but ``hash`` itself."""
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
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: JournalEntry) -> str:
    return hashlib.sha256(canonical_content(entry).encode()).hexdigest()


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
        )
        entry.hash = entry_hash(entry)
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


def _anchor_problem(entries_by_sequence_hash: set[tuple[int, str]]) -> str:
    anchor = (
        JournalVerification.objects.filter(ok=True, last_sequence__isnull=False)
        .order_by("-verified_at", "-pk")
        .first()
    )
    if anchor is None or (anchor.last_sequence, anchor.last_hash) in entries_by_sequence_hash:
        return ""
    return (
        f"l'entrée n° {anchor.last_sequence}, attestée lors de la vérification du "
        f"{timezone.localtime(anchor.verified_at):%d/%m/%Y à %H:%M}, a disparu ou a changé "
        "(fin du journal supprimée ?)"
    )


def journal_verify() -> JournalCheck:
    """Recompute the whole chain; name the first broken entry.

    Detects an edited entry (its hash no longer matches its content), a deleted one (a gap in
    the sequence, or the next entry's ``previous_hash`` pointing nowhere), reordered ones (the
    sequence is part of the hashed content) and a deleted tail (the last verified entry is gone).
    """
    expected, previous_hash, count = 1, GENESIS_HASH, 0
    last = None
    seen: set[tuple[int, str]] = set()
    for entry in JournalEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        problem = ""
        if entry.sequence != expected:
            problem = (
                f"entrée n° {expected} manquante : le journal passe du n° {expected - 1} "
                f"au n° {entry.sequence}"
            )
            broken = expected
        elif entry_hash(entry) != entry.hash:
            problem = f"entrée n° {entry.sequence} : contenu modifié ou entrée déplacée"
            broken = entry.sequence
        elif entry.previous_hash != previous_hash:
            problem = (
                f"entrée n° {entry.sequence} : chaînage rompu, elle ne suit pas l'entrée "
                f"n° {expected - 1} (entrée supprimée, insérée ou réécrite)"
            )
            broken = entry.sequence
        if problem:
            return JournalCheck(
                ok=False,
                entry_count=count,
                message=f"Journal altéré : {problem}.",
                broken_sequence=broken,
            )
        seen.add((entry.sequence, entry.hash))
        previous_hash, expected, count, last = entry.hash, expected + 1, count + 1, entry
    anchor_problem = _anchor_problem(seen)
    if anchor_problem:
        return JournalCheck(
            ok=False,
            entry_count=count,
            message=f"Journal altéré : {anchor_problem}.",
            broken_sequence=count + 1,
        )
    return JournalCheck(
        ok=True,
        entry_count=count,
        message=f"Journal intègre : {count} entrées.",
        last_sequence=last.sequence if last else None,
        last_hash=last.hash if last else "",
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
