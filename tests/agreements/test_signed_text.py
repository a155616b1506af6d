"""The signed text, verbatim (issue 13, §1): the document of record, a PDF that reproduces the
articles word for word, amendments with their text and a consolidated version, and a successor
drafted from the previous text."""

import hashlib
import io
import re
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from relais.agreements import consolidation, services
from relais.agreements.documents import render_agreement_pdf
from relais.agreements.enums import PartyRole
from relais.agreements.importing import agreement_import, analyse_document
from relais.agreements.models import Amendment, AmendmentArticle, SourceDocument
from relais.agreements.queries import agreement_todos

from .seeds import SEED

CONVENTION = SEED[SEED.index("**CONVENTION") :]


@pytest.fixture
def imported(communes, department):
    content = SEED.encode("utf-8")
    return agreement_import(
        result=analyse_document("seed.txt", content),
        department=department,
        source=("deliberation-37-24.txt", content),
    )


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text without its running header and footer (a sentence may cross pages)."""
    lines = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines += [
            line
            for line in page.extract_text().split("\n")
            if not re.fullmatch(r"Page \d+ / \d+|Département des Pyrénées-Orientales", line.strip())
        ]
    return _flat("\n".join(lines))


def _flat(text: str) -> str:
    """Text compared without spacing, markup or ligatures: what a reader reads."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"</?p>|\*\*", "", text)
    return re.sub(r"\s+", "", text)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.;:!?])\s+|\n+|\t", text)
    return [p.strip() for p in parts if len(_flat(p)) > 3]


def test_the_uploaded_document_is_kept_with_its_digest_and_text(imported):
    source = imported.sources.get()
    content = SEED.encode("utf-8")
    assert source.sha256 == hashlib.sha256(content).hexdigest()
    assert source.size == len(content)
    assert source.file.read() == content
    assert "Article 6 – Durée de la Convention" in source.extracted_text
    # Importing the same document again keeps one record.
    agreement_import(
        result=analyse_document("seed.txt", content),
        department=imported.department,
        source=("deliberation-37-24.txt", content),
    )
    assert SourceDocument.objects.count() == 1


def test_the_agreement_pdf_reproduces_every_sentence_of_the_convention(imported):
    pdf_text = _pdf_text(render_agreement_pdf(imported, on=date(2024, 4, 1)))
    sentences = _sentences(CONVENTION)
    missing = [s for s in sentences if _flat(s) not in pdf_text]
    assert len(sentences) > 150
    assert missing == []
    # What the model PDF used to rewrite is there as signed.
    for words in (
        "épidémie de covid-19",
        "cours et tribunaux français et communautaires",
        "recrutement de 15 ambassadeurs du numérique",
        "de 11 conseillers numériques France Services",
        "composée de 26 agents",
        "dès le début de juin 2023",
    ):
        assert _flat(words) in pdf_text
    assert _flat("7 h") not in pdf_text and _flat("européens") not in pdf_text


def test_the_agreement_page_offers_the_original(imported, coordinator_client):
    source = imported.sources.get()
    page = coordinator_client.get(imported.get_absolute_url())
    assert source.sha256 in page.content.decode()
    url = reverse("agreements:source_file", args=[imported.pk, source.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SEED.encode("utf-8")
    assert "attachment" in response["Content-Disposition"]
    assert (
        coordinator_client.get(
            reverse("agreements:source_file", args=[imported.pk, source.pk + 99])
        ).status_code
        == 404
    )


def test_a_placeholder_of_the_signed_text_is_a_todo(imported):
    todos = agreement_todos(imported, imported.timeline())
    assert "Texte signé : « [localisation du point d'accueil] » laissé à compléter" in todos


def _amendment(agreement, number: int, effective: date, signed: bool = True) -> Amendment:
    amendment = Amendment.objects.create(
        agreement=agreement,
        number=number,
        subject="Durée",
        dated_on=effective,
        effective_from=effective,
        department_signed_on=effective if signed else None,
        partner_signed_on=effective if signed else None,
        text="Avenant n° 1. L'article 6 de la convention est ainsi rédigé : …",
    )
    AmendmentArticle.objects.create(
        amendment=amendment,
        article="6",
        text="La Convention prend effet à compter de sa signature et prendra fin au plus tard "
        "le 31 décembre 2026.",
    )
    return amendment


def test_a_consolidated_version_says_which_amendment_changed_which_article(imported):
    _amendment(imported, 1, date(2025, 1, 1))
    before = consolidation.consolidated_text(imported, date(2024, 12, 31))
    after = consolidation.consolidated_text(imported, date(2025, 1, 2))
    assert "prendra fin au plus tard le 22 juin 2026" in before
    assert "le 31 décembre 2026" not in before
    assert "prendra fin au plus tard le 31 décembre 2026" in after
    assert "prendra fin au plus tard le 22 juin 2026" not in after
    assert (
        "[Article 6 modifié par l'avenant n° 1 du 01/01/2025, en vigueur le 01/01/2025.]" in after
    )
    # Every other article is the signed one.
    assert after.count("7.2 : Résiliation pour force majeure") == 1
    pdf_text = _pdf_text(render_agreement_pdf(imported, on=date(2025, 2, 1)))
    assert _flat("modifié par l'avenant n° 1") in pdf_text
    assert _flat("31 décembre 2026") in pdf_text


def test_an_unsigned_amendment_changes_no_article(imported):
    _amendment(imported, 1, date(2025, 1, 1), signed=False)
    assert "22 juin 2026" in consolidation.consolidated_text(imported, date(2025, 6, 1))


def test_split_articles_finds_the_seed_articles(imported):
    numbers = [b.number for b in consolidation.split_articles(imported.text) if b.number]
    assert numbers[:4] == ["1", "1.1", "1.2", "2"]
    assert {"6", "7", "7.1", "7.2", "8", "8.1", "8.2"} <= set(numbers)


def test_a_successor_starts_from_the_previous_text_and_is_edited_while_draft(imported):
    successor = services.agreement_start_successor(
        agreement=imported, title=imported.title.replace("2023 – 2026", "2026 – 2029")
    )
    assert "Article 7 – Résiliation" in successor.text
    assert "2026 – 2029" in successor.text.split("\n\nENTRE")[0] or successor.text == imported.text
    edited = successor.text.replace("22 juin 2026", "22 juin 2029")
    services.agreement_update_draft(agreement=successor, text=edited)
    successor.refresh_from_db()
    assert "22 juin 2029" in successor.text
    services.agreement_send_for_signature(agreement=successor, on=date(2026, 5, 1))
    with pytest.raises(ValidationError):
        services.agreement_update_draft(agreement=successor, text="autre chose")


@pytest.mark.now("2024-06-01T10:00")
def test_an_amendment_prepared_in_relais_stores_its_text_and_the_new_wording(imported):
    services.agreement_send_for_signature(agreement=imported, on=date(2024, 3, 1))
    for signatory in imported.signatories.all():
        services.signature_record(signatory=signatory, signed_on=date(2024, 3, 20))
    current = [
        services.CommitmentSpec(
            place=c.place, count=c.count, unit=c.unit, frequency=c.frequency, modality=c.modality
        )
        for c in imported.commitments.all()
    ]
    amendment = services.amendment_prepare(
        agreement=imported,
        subject="Prolongation",
        dated_on=date(2024, 5, 1),
        effective_from=date(2024, 5, 15),
        commitments=current,
        text="Avenant n° 1 à la convention. Article unique : l'article 6 est ainsi rédigé.",
        article="6",
        article_text="La Convention prend fin au plus tard le 31 décembre 2026.",
    )
    assert amendment.text.startswith("Avenant n° 1")
    assert amendment.articles.get().article == "6"
    # Unsigned: the consolidated text is the signed one.
    assert "22 juin 2026" in consolidation.consolidated_text(imported, date(2024, 6, 1))
    services.amendment_sign(amendment=amendment, party=PartyRole.DEPARTMENT, on=date(2024, 5, 2))
    services.amendment_sign(amendment=amendment, party=PartyRole.PARTNER, on=date(2024, 5, 3))
    text = consolidation.consolidated_text(imported, date(2024, 6, 1))
    assert "31 décembre 2026" in text and "22 juin 2026" not in text
    assert "modifié par l'avenant n° 1 du 01/05/2024" in text


# --- Art. 4.2: the partner's insurance --------------------------------------------------------


def test_an_insurance_certificate_expiring_before_the_end_is_a_deadline(signed_agreement):
    from relais.agreements.deadlines import Kind, deadlines_for
    from relais.agreements.models import InsuranceCertificate

    today = date(2024, 11, 1)
    assert "Attestation d'assurance responsabilité civile du bénéficiaire à obtenir (art. 4.2)" in (
        agreement_todos(signed_agreement, signed_agreement.timeline(today))
    )
    InsuranceCertificate.objects.create(
        agreement=signed_agreement,
        insurer="SMACL",
        policy_number="RC-123",
        valid_from=date(2024, 1, 1),
        valid_until=date(2024, 12, 31),
    )
    items = {d.kind: d for d in deadlines_for(signed_agreement, today)}
    expiry = items[Kind.INSURANCE_EXPIRY]
    assert expiry.due_on == date(2024, 12, 31)
    assert "SMACL" in expiry.label
    assert not any(
        "assurance" in t
        for t in agreement_todos(signed_agreement, signed_agreement.timeline(today))
    )
    # Cover to the end of the agreement: nothing to chase.
    InsuranceCertificate.objects.create(
        agreement=signed_agreement,
        insurer="SMACL",
        policy_number="RC-124",
        valid_from=date(2025, 1, 1),
        valid_until=date(2026, 12, 31),
    )
    assert Kind.INSURANCE_EXPIRY not in {d.kind for d in deadlines_for(signed_agreement, today)}
