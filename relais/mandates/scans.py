"""The signed scan of a mandate: checked by content, stored under a random name, never public.

Files live in the default storage under ``mandates/`` (MEDIA_ROOT/mandates/ on disk). The name
is random (no person's name, not guessable) and the web server must not serve MEDIA_ROOT: the
only way to read a scan is ``mandates:scan``, which checks the permission and journals the access.
"""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from relais.core.uploads import CheckedDocument

SCAN_DIRECTORY = "mandates/"


def scan_store(scan: CheckedDocument) -> str:
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
