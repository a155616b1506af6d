"""The poster of a place (« affiche », convention art. 1.2 and art. 5), as an A4 or A3 PDF.

It carries the weekly hours of the permanences, the address, a QR code to the public page,
whether residents can also book an appointment online (and where), the Département's logo
(``RELAIS_LOGO_PATH``; without one, its name set in type) and the mandatory mention of art. 5.
Like the other documents, WeasyPrint only reads local resources: the QR code and the logo are
embedded as data URLs.
"""

import base64
import hashlib
import mimetypes
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string

from relais.core.french import french_date

from .queries import online_booking_url, public_place_url, today, weekly_schedule

PDF_CSS = Path(__file__).resolve().parent / "templates" / "public" / "pdf" / "poster.css"
# Paper size → base font size (pt): A3 is A4 scaled by √2, so is the text.
FORMATS = {"a4": ("A4", 12), "a3": ("A3", 17)}
DEFAULT_FORMAT = "a4"
# A poster takes about a second to render and is public: identical ones come from the cache.
CACHE_SECONDS = 24 * 60 * 60


def mandatory_mention(department_name: str | None = None) -> str:
    """The mention art. 5 of the convention requires on every communication medium."""
    name = department_name or settings.RELAIS_DEPARTMENT_NAME
    return (
        f"Opération menée par le {name}, avec l'appui financier de l'État, "
        "dans le cadre de sa politique départementale d'inclusion Numérique"
    )


def qr_svg(data: str) -> str:
    """An SVG QR code (vector, sharp at any print size) encoding ``data``."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


def _data_url(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def logo_path() -> Path | None:
    """``RELAIS_LOGO_PATH``: an absolute file path, or a static path (``public/logo.svg``)."""
    configured = settings.RELAIS_LOGO_PATH
    if not configured:
        return None
    path = Path(configured)
    if path.is_absolute():
        return path if path.is_file() else None
    found = finders.find(configured)
    return Path(found) if found else None


def logo_data_url() -> str | None:
    path = logo_path()
    if path is None:
        return None
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return _data_url(path.read_bytes(), mime)


def poster_context(place) -> dict:
    url = public_place_url(place)
    return {
        "place": place,
        "schedule": weekly_schedule(place),
        "public_url": url,
        "booking_url": online_booking_url(place),
        "qr_data_url": _data_url(qr_svg(url).encode(), "image/svg+xml"),
        "logo_data_url": logo_data_url(),
        "department_name": settings.RELAIS_DEPARTMENT_NAME,
        "mention": mandatory_mention(),
        "printed_on": french_date(today()),
    }


def paper_format(value: str | None) -> str:
    """``a4`` or ``a3`` (anything else: ``a4``)."""
    value = (value or "").lower()
    return value if value in FORMATS else DEFAULT_FORMAT


def render_poster_pdf(place, paper: str = DEFAULT_FORMAT) -> bytes:
    """The PDF poster; cached under a hash of its HTML, so any change gives a fresh one."""
    paper = paper_format(paper)
    html = render_to_string("public/pdf/poster.html", poster_context(place))
    key = "relais-poster-" + hashlib.sha256(f"{paper}\n{html}".encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = _html_to_pdf(html, paper)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def _html_to_pdf(html: str, paper: str) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    size, font_size = FORMATS[paper]
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    stylesheets = [
        CSS(filename=str(PDF_CSS), url_fetcher=fetcher),
        CSS(string=f"@page {{ size: {size} portrait; }} html {{ font-size: {font_size}pt; }}"),
    ]
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(PDF_CSS.parent))
    return document.write_pdf(stylesheets=stylesheets)


def poster_filename(place, paper: str) -> str:
    return f"affiche-{place.slug}-{paper_format(paper)}.pdf"
