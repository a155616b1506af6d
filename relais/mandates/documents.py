"""Printable documents of a mandate (WeasyPrint, A4): the mandate itself and the revocation
receipt. Both carry the integrity hash and a QR code of it; resources are local only.
"""

import base64
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from relais.core import french

from .models import Mandate

PDF_DIR = Path(__file__).resolve().parent / "templates" / "mandates" / "pdf"


def qr_payload(mandate: Mandate) -> str:
    """What the QR code holds: the mandate's number and hash, no name (it is printed anyway)."""
    return f"RELAIS-MANDAT:{mandate.pk}:SHA256:{mandate.integrity_hash}"


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=6)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _render(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    html = render_to_string(template, context)
    stylesheet = CSS(filename=str(PDF_DIR / "mandate.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=str(PDF_DIR), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


BORN = {"female": "née", "male": "né"}


def page_reference(mandate: Mandate) -> str:
    """The line every page carries: which mandate, and the hash of its signed content."""
    return f"Mandat n° {mandate.pk} — empreinte SHA-256 :\\A {mandate.integrity_hash}"


def revoked_mark(mandate: Mandate) -> str:
    if not mandate.revoked_at:
        return ""
    at = timezone.localtime(mandate.revoked_at)
    return f"MANDAT RÉVOQUÉ — révoqué le {french.short_datetime(at)}, sans effet depuis"


def _context(mandate: Mandate) -> dict:
    return {
        "born": BORN.get(mandate.beneficiary.gender, "né(e)"),
        "page_reference": page_reference(mandate),
        "revoked_mark": revoked_mark(mandate),
        "revoked_by_name": mandate.revoked_by.get_full_name() if mandate.revoked_by else "",
        "mandate": mandate,
        "beneficiary": mandate.beneficiary,
        "advisor_name": mandate.advisor.user.get_full_name(),
        "verifier_name": mandate.identity_verified_by.get_full_name(),
        "department_name": settings.RELAIS_DEPARTMENT_NAME,
        "qr": qr_data_uri(qr_payload(mandate)),
        "printed_at": timezone.now(),
    }


def render_mandate_pdf(mandate: Mandate) -> bytes:
    return _render("mandates/pdf/mandate.html", _context(mandate))


def render_revocation_receipt_pdf(mandate: Mandate) -> bytes:
    return _render("mandates/pdf/revocation_receipt.html", _context(mandate))
