"""Signed documents uploaded by the staff (a mandate's scan, an insurance certificate, a
communication draft): a PDF, a JPEG photo or a PNG image of 10 Mo at most, recognised by its
first bytes. The declared content type and the file's name are not trusted."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Magic numbers: the declared content type and the file name are not trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def document_check(uploaded) -> CheckedDocument:
    if uploaded.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            f"Fichier trop lourd : {MAX_DOCUMENT_BYTES // (1024 * 1024)} Mo au plus.", code="size"
        )
    content = uploaded.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError("Fichier trop lourd.", code="size")
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return CheckedDocument(content, content_type, extension)
    raise ValidationError(
        "Format refusé : déposez un PDF, une photo JPEG ou une image PNG.", code="format"
    )
