"""The poster of a place: A4 and A3 PDF, weekly hours, QR code to the public page, art. 5."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from relais.planning.enums import Recurrence
from relais.public import posters

pytestmark = pytest.mark.django_db

MENTION = (
    "Opération menée par le Département des Pyrénées-Orientales, avec l'appui financier de "
    "l'État, dans le cadre de sa politique départementale d'inclusion Numérique"
)
A4 = (595.28, 841.89)  # points
A3 = (841.89, 1190.55)


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def size_of(reader: PdfReader) -> tuple[float, float]:
    box = reader.pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


@pytest.fixture
def poster_url(prades, advisor, make_slot):
    make_slot(prades, [advisor], weekday=1, start="09:00", end="12:00")
    make_slot(prades, [advisor], weekday=1, start="14:00", end="17:30")
    make_slot(
        prades, [advisor], weekday=3, start="14:00", end="17:00", recurrence=Recurrence.FORTNIGHTLY
    )
    return reverse("public:place_poster", kwargs={"slug": prades.slug})


def test_the_a4_poster_has_the_hours_the_address_and_the_mandatory_mention(client, poster_url):
    reader = pdf_of(client.get(poster_url))
    assert size_of(reader) == A4
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert MENTION in text
    assert "Mardi 9 h – 12 h, 14 h – 17 h 30" in text
    assert "Un jeudi sur deux 14 h – 17 h" in text
    assert "Château Pams, route de Ria, 66500 Prades" in text
    assert "Sans rendez-vous" in text
    # The address under the QR code may wrap: compare without spaces.
    assert "http://127.0.0.1:8000/permanences/mediatheque-prades/" in text.replace(" ", "")


def test_the_a3_poster_is_a3_on_one_page(client, poster_url):
    response = client.get(poster_url, {"format": "a3"})
    reader = pdf_of(response)
    assert size_of(reader) == A3
    assert len(reader.pages) == 1
    assert MENTION in text_of(reader)
    assert "affiche-mediatheque-prades-a3.pdf" in response["Content-Disposition"]


def test_an_unknown_format_falls_back_to_a4(client, poster_url):
    assert size_of(pdf_of(client.get(poster_url, {"format": "a0"}))) == A4


def test_the_mention_names_the_configured_department(settings):
    settings.RELAIS_DEPARTMENT_NAME = "Département de l'Aude"
    assert posters.mandatory_mention().startswith("Opération menée par le Département de l'Aude,")


def test_the_qr_code_encodes_the_absolute_public_url(settings, prades, monkeypatch):
    settings.RELAIS_SITE_URL = "https://relais.exemple.fr/"
    encoded = []
    real_make = posters.qrcode.make

    def spy(data, **kwargs):
        encoded.append(data)
        return real_make(data, **kwargs)

    monkeypatch.setattr(posters.qrcode, "make", spy)
    context = posters.poster_context(prades)
    assert encoded == ["https://relais.exemple.fr/permanences/mediatheque-prades/"]
    assert context["public_url"] == encoded[0]
    assert context["qr_data_url"].startswith("data:image/svg+xml;base64,")
    assert posters.qr_svg(encoded[0]).startswith("<svg")


def test_the_logo_comes_from_a_file_or_the_static_files(settings, tmp_path):
    assert posters.logo_data_url() is None  # none by default: the name is set in type
    settings.RELAIS_LOGO_PATH = "relais/favicon.svg"  # a path among the static files
    assert posters.logo_data_url().startswith("data:image/svg+xml;base64,")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    settings.RELAIS_LOGO_PATH = str(logo)
    assert posters.logo_data_url().startswith("data:image/png;base64,")
    settings.RELAIS_LOGO_PATH = str(tmp_path / "absent.svg")
    assert posters.logo_data_url() is None


def test_a_poster_without_logo_nor_slots_still_prints(client, settings, prades):
    settings.RELAIS_LOGO_PATH = ""
    reader = pdf_of(client.get(reverse("public:place_poster", kwargs={"slug": prades.slug})))
    assert MENTION in text_of(reader)


def test_an_unchanged_poster_comes_from_the_cache_and_a_change_redraws_it(
    prades, advisor, make_slot, monkeypatch
):
    drawn = []
    monkeypatch.setattr(posters, "_html_to_pdf", lambda html, paper: drawn.append(paper) or b"%PDF")
    posters.render_poster_pdf(prades, "a4")
    posters.render_poster_pdf(prades, "a4")
    posters.render_poster_pdf(prades, "a3")
    assert drawn == ["a4", "a3"]
    make_slot(prades, [advisor], weekday=1)
    posters.render_poster_pdf(prades, "a4")
    assert drawn == ["a4", "a3", "a4"]


def test_without_a_logo_the_poster_prints_the_departments_name_not_a_placeholder(
    client, settings, poster_url
):
    settings.RELAIS_LOGO_PATH = ""
    response = client.get(poster_url)
    text = text_of(pdf_of(response))
    assert "Logo du" not in text
    assert text.startswith("Département des Pyrénées-Orientales")


def test_the_poster_says_when_residents_can_book_online(poster_url, prades):
    """Rendered directly: the public page's response may be cached by the view."""
    from relais.appointments.models import AppointmentType, PlaceAppointmentSettings

    def poster_text() -> str:
        return text_of(PdfReader(BytesIO(posters.render_poster_pdf(prades))))

    assert "Gratuit · Sans rendez-vous" in poster_text()
    AppointmentType.objects.create(name="Aide aux démarches", duration_minutes=30)
    text = poster_text()
    assert "Gratuit · Avec ou sans rendez-vous" in text
    assert "Rendez-vous en ligne :" in text
    assert "http://127.0.0.1:8000/rendez-vous/mediatheque-prades/" in text.replace(" ", "")
    # The place turns online booking off: the poster no longer promises it.
    PlaceAppointmentSettings.objects.create(place=prades, appointments_enabled=False)
    prades.refresh_from_db()
    text = poster_text()
    assert "Rendez-vous en ligne" not in text and "Gratuit · Sans rendez-vous" in text
