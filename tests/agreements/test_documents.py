"""PDF documents: the agreement and the deliberation's certified extract, and who may get them."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from relais.agreements import documents
from relais.agreements.models import Amendment, Commitment

from ..factories import PlaceFactory
from .factories import (
    SEED_COMMITMENTS,
    SEED_PROXIES,
    SEED_SIGNATORIES,
    make_agreement,
    make_deliberation,
    make_signed_agreement,
)

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace collapsed (pypdf splits lines where the PDF wraps)."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def agreement(department, partner):
    return make_agreement(department, partner, sent_for_signature_on=date(2024, 3, 1))


@pytest.fixture
def deliberation(partner):
    return make_deliberation(partner)


def test_agreement_pdf_has_the_parties_blanks_commitments_and_signatories(agreement):
    text = pdf_text(documents.render_agreement_pdf(agreement, on=date(2024, 3, 1)))
    assert agreement.title.upper()[:40] in text.upper()
    assert "ENTRE" in text and " ET " in text
    assert (
        "Le Département des Pyrénées-Orientales, représenté par sa Présidente en exercice, "
        "Madame Hermeline MALHERBE" in text
    )
    assert "dûment autorisée en vertu de la délibération du Conseil Départemental n°15 du " in text
    assert "11 mai 2023" in text
    assert "Médiathèques Conflent Canigó (test)" in text
    assert "Monsieur Jean-Louis JALLAT" in text
    # The partner's authorising deliberation is blank, printed as the seed prints it.
    assert "agissant en vertu de la délibération n°….. du ….." in text
    for name, _count, _unit in SEED_COMMITMENTS:
        assert name in text
    assert "Médiathèque de Prades 2 journées Par semaine Présentiel" in text
    assert "Médiathèque de Vinça 1 demi-journée Par semaine Présentiel" in text
    assert "Commune de Los Masos 2 demi-journées Par semaine Présentiel" in text
    for _title, name in SEED_SIGNATORIES:
        assert name in text
    assert "Page 1 / " in text
    assert "Fait en 2 exemplaires originaux" in text
    assert "À Perpignan, le ….." in text


def test_agreement_pdf_computes_the_duration_and_clauses(agreement):
    text = pdf_text(documents.render_agreement_pdf(agreement))
    assert (
        "conclue pour une durée de 1 an, reconduite tacitement sauf opposition expresse d'une des "
        "parties au plus tard 2 mois avant sa date anniversaire, et prendra fin au plus tard le "
        "22 juin 2026." in text
    )
    assert "trente (30) jours calendaires" in text
    assert "Tribunal Administratif de Montpellier" in text
    assert "« Opération menée par le Département des Pyrénées-Orientales" in text
    assert "responsable de traitement" in text
    assert "avenant dûment daté et signé" in text


def test_signed_agreement_pdf_dates_each_signature(department, partner):
    agreement = make_signed_agreement(
        department, partner, tacit_renewal=False, duration_months=24, notice_days=45
    )
    text = pdf_text(documents.render_agreement_pdf(agreement))
    assert "Signé le 5 mars 2024" in text and "Signé le 20 mars 2024" in text
    assert "À Perpignan, le 20 mars 2024" in text
    assert "durée de 2 ans, sans reconduction tacite" in text
    assert "quarante-cinq (45) jours calendaires" in text


def test_agreement_pdf_prints_the_table_valid_on_its_date(agreement, partner):
    amendment = Amendment.objects.create(
        agreement=agreement,
        number=1,
        subject="Ajout de Sahorre",
        dated_on=date(2025, 1, 1),
        effective_from=date(2025, 2, 1),
        department_signed_on=date(2025, 1, 10),
        partner_signed_on=date(2025, 1, 15),
    )
    Commitment.objects.create(
        agreement=agreement,
        place=PlaceFactory(partner=partner, name="Bibliothèque de Sahorre"),
        count=1,
        unit="half_day",
        introduced_by=amendment,
    )
    before = pdf_text(documents.render_agreement_pdf(agreement, on=date(2025, 1, 31)))
    after = pdf_text(documents.render_agreement_pdf(agreement, on=date(2025, 2, 1)))
    assert "Sahorre" not in before
    assert "Bibliothèque de Sahorre 1 demi-journée" in after and "avenant n° 1" in after


def test_deliberation_extract(deliberation):
    text = pdf_text(documents.render_deliberation_pdf(deliberation))
    assert "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL COMMUNAUTAIRE DE LA" in text
    assert "SÉANCE DU 15 FÉVRIER 2024" in text
    assert "Nombre de conseillers en exercice : 71" in text
    assert "Présents à la séance : 51" in text
    assert "Ont participé au vote : 55" in text
    assert "Pour : 55" in text and "Contre : 0" in text and "Abstention : 0" in text
    assert "Date de la convocation : 8 février 2024" in text
    assert "L'an deux mille vingt-quatre, le quinze février" in text
    for giver, holder in SEED_PROXIES:
        assert f"{giver} a donné procuration à {holder}" in text
    assert "ABSENTS EXCUSÉS : Sébastien NENS" in text
    assert "N° d'ordre : 37-24" in text
    assert "Classification @ctes : 8.4 Aménagement du Territoire" in text
    # The table of places comes where the text announces it (« comme suit : »).
    assert "comme suit : LIEUX DURÉE FRÉQUENCES MODALITÉS Médiathèque de Prades 2 journées" in text
    assert "Le 26 février 2024." in text
    assert "Pour extrait certifié conforme, Le Président, Jean-Louis JALLAT" in text


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "un"),
        (21, "vingt et un"),
        (30, "trente"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (91, "quatre-vingt-onze"),
        (200, "deux cents"),
        (2024, "deux mille vingt-quatre"),
    ],
)
def test_numbers_in_words(n, words):
    assert documents.number_in_words(n) == words


def test_agreement_pdf_view(coordinator_client, partner_client, agreement):
    response = coordinator_client.get(reverse("agreements:pdf", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="convention-')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert "Hermeline MALHERBE" in pdf_text(response.content)
    assert partner_client.get(reverse("agreements:pdf", args=[agreement.pk])).status_code == 200


def test_agreement_pdf_refused_to_other_partners_and_advisors(
    outsider_client, advisor_client, client, agreement
):
    url = reverse("agreements:pdf", args=[agreement.pk])
    assert outsider_client.get(url).status_code == 403
    assert advisor_client.get(url).status_code == 403
    assert client.get(url).status_code == 302  # anonymous: to the login page


def test_deliberation_pdf_view(coordinator_client, partner_client, outsider_client, deliberation):
    url = reverse("agreements:deliberation_pdf", args=[deliberation.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="deliberation-37-24-' in response["Content-Disposition"]
    assert "Pour extrait certifié conforme" in pdf_text(response.content)
    assert partner_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 403


def test_detail_pages_link_to_the_pdfs(coordinator_client, agreement, deliberation):
    page = coordinator_client.get(agreement.get_absolute_url()).content.decode()
    assert reverse("agreements:pdf", args=[agreement.pk]) in page
    page = coordinator_client.get(deliberation.get_absolute_url()).content.decode()
    assert reverse("agreements:deliberation_pdf", args=[deliberation.pk]) in page


def test_an_annex_file_is_served_to_those_who_may_read_the_agreement(
    draft_agreement, client, coordinator_client, partner_client, outsider_client, advisor_client
):
    from django.core.files.base import ContentFile

    from relais.agreements.models import Annex

    annex = Annex(agreement=draft_agreement, number=1, title="Programmation des ateliers")
    annex.file.save("programmation.pdf", ContentFile(b"%PDF-1.7 programme"), save=True)
    url = reverse("agreements:annex_file", args=[draft_agreement.pk, 1])
    page = coordinator_client.get(draft_agreement.get_absolute_url()).content.decode()
    assert url in page and "/media/" not in page  # the web server never publishes media/

    for allowed in (coordinator_client, partner_client):
        response = allowed.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.7 programme"
        assert response["Cache-Control"] == "private, no-store"
    assert outsider_client.get(url).status_code == 403  # another partner's staff
    assert advisor_client.get(url).status_code == 403
    assert client.get(url).status_code == 302  # anonymous: to the login page
    missing = reverse("agreements:annex_file", args=[draft_agreement.pk, 2])
    assert coordinator_client.get(missing).status_code == 404
