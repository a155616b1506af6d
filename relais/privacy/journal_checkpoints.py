"""Checkpoints of the journal's head, kept outside the database.

Whoever can write to the database can delete the end of the journal, restore an older copy of
it, or (with the key) recompute the whole chain: nothing inside the database can tell. Each
checkpoint is one JSON line appended to ``RELAIS_JOURNAL_CHECKPOINT_FILE`` (and logged, so that
journald or a syslog destination keeps a second copy): when it was taken, the last entry's
sequence and hash, and where the plain SHA-256 entries of the chain end (``legacy_until``, the
switch to the keyed chain). ``journal.journal_verify`` then checks that each checkpointed entry
is still there, unchanged, and that no unkeyed entry appears after the switch.

Example line::

    {"at":"2026-11-24T03:00:00.000000Z","sequence":42,"hash":"9f…","key_id":"1a2b…","legacy_until":0}
"""

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("relais.privacy.journal")

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class Checkpoint:
    at: datetime
    sequence: int  # 0: the journal was empty
    hash: str
    key_id: str
    legacy_until: int  # last entry of the plain SHA-256 chain (0: none)

    def line(self) -> str:
        return json.dumps(
            {
                "at": self.at.astimezone(UTC).strftime(TIMESTAMP_FORMAT),
                "sequence": self.sequence,
                "hash": self.hash,
                "key_id": self.key_id,
                "legacy_until": self.legacy_until,
            },
            separators=(",", ":"),
        )


@dataclass(frozen=True)
class CheckpointLog:
    path: str  # empty: no checkpoint file configured
    checkpoints: tuple[Checkpoint, ...] = ()
    problem: str = ""  # French; the file could not be read or a line is not a checkpoint

    @property
    def last(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None

    @property
    def legacy_until(self) -> int | None:
        """Entries after this sequence must be keyed; ``None`` when no checkpoint says so.

        Every checkpoint records the same switch in an honest history; the smallest is kept
        should they disagree.
        """
        return min((c.legacy_until for c in self.checkpoints), default=None)


def checkpoint_path() -> str:
    return str(settings.RELAIS_JOURNAL_CHECKPOINT_FILE or "")


def _parse(line: str) -> Checkpoint:
    data = json.loads(line)
    checkpoint = Checkpoint(
        at=datetime.strptime(data["at"], TIMESTAMP_FORMAT).replace(tzinfo=UTC),
        sequence=data["sequence"],
        hash=data["hash"],
        key_id=data["key_id"],
        legacy_until=data["legacy_until"],
    )
    if not (
        isinstance(checkpoint.sequence, int)
        and isinstance(checkpoint.legacy_until, int)
        and isinstance(checkpoint.hash, str)
        and isinstance(checkpoint.key_id, str)
        and checkpoint.sequence >= 0
        and 0 <= checkpoint.legacy_until <= checkpoint.sequence
        and (checkpoint.hash == "") == (checkpoint.sequence == 0)
    ):
        raise ValueError("incoherent checkpoint")
    return checkpoint


def read_checkpoints(path: str | None = None) -> CheckpointLog:
    """Every checkpoint of the file, oldest first. A missing file holds none (first run)."""
    path = checkpoint_path() if path is None else path
    if not path:
        return CheckpointLog(path="")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return CheckpointLog(path=path)
    except (OSError, UnicodeDecodeError) as error:
        return CheckpointLog(
            path=path, problem=f"fichier des points de contrôle {path} illisible ({error})"
        )
    checkpoints = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            checkpoints.append(_parse(line))
        except (ValueError, KeyError, TypeError):
            return CheckpointLog(
                path=path,
                checkpoints=tuple(checkpoints),
                problem=f"la ligne {number} de {path} n'est pas un point de contrôle",
            )
    return CheckpointLog(path=path, checkpoints=tuple(checkpoints))


def append_checkpoint(checkpoint: Checkpoint, path: str | None = None) -> None:
    """Append one line (O_APPEND: a file set append-only with ``chattr +a`` accepts it)."""
    path = checkpoint_path() if path is None else path
    logger.info("Point de contrôle du journal : %s", checkpoint.line())
    if not path:
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (checkpoint.line() + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
