"""The signed scan of a mandate: checked by content, stored under a random name, never public.

Files live in the default storage under ``mandates/`` (MEDIA_ROOT/mandates/ on disk). The name
is random (no person's name, not guessable) and the web server must not serve MEDIA_ROOT: the
only way to read a scan is ``mandates:scan``, which checks the permission and journals the access.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

SCAN_DIRECTORY = "mandates/"
MAX_SCAN_BYTES = 10 * 1024 * 1024
# Magic numbers: the declared content type and the file name are not trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class CheckedScan:
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def scan_check(uploaded) -> CheckedScan:
    if uploaded.size > MAX_SCAN_BYTES:
        raise ValidationError(
            f"Fichier trop lourd : {MAX_SCAN_BYTES // (1024 * 1024)} Mo au plus.", code="size"
        )
    content = uploaded.read(MAX_SCAN_BYTES + 1)
    if len(content) > MAX_SCAN_BYTES:
        raise ValidationError("Fichier trop lourd.", code="size")
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return CheckedScan(content, content_type, extension)
    raise ValidationError(
        "Format refusé : déposez un PDF, une photo JPEG ou une image PNG.", code="format"
    )


def scan_store(scan: CheckedScan) -> str:
    name = f"{SCAN_DIRECTORY}{secrets.token_urlsafe(24)}{scan.extension}"
    return default_storage.save(name, ContentFile(scan.content))


def scan_open(name: str):
    if not is_scan_name(name):
        raise FileNotFoundError(name)
    return default_storage.open(name, "rb")


def is_scan_name(name: str) -> bool:
    return name.startswith(SCAN_DIRECTORY) and ".." not in name


def scan_delete(name: str) -> None:
    if is_scan_name(name) and default_storage.exists(name):
        default_storage.delete(name)
