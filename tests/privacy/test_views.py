"""The record of processing (page and PDF) and the purge / journal status page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from relais.privacy.journal import journal_append
from relais.privacy.models import JournalVerification
from relais.privacy.registry import registry
from relais.privacy.services import purge_run

from ..helpers import count_tags, page_text

RECORD = reverse("privacy:record")
RECORD_PDF = reverse("privacy:record_pdf")
PURGES = reverse("privacy:purges")
VERIFY = reverse("privacy:journal_verify")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator_client", "administrator_client"])
def test_the_record_lists_every_rule_of_the_retention_table(request, persona, department):
    response = request.getfixturevalue(persona).get(RECORD)
    assert response.status_code == 200
    html = response.content.decode()
    assert count_tags(html, "h1") == 1
    text = page_text(response)
    assert "Département des Pyrénées-Orientales" in text
    for rule in registry.rules():
        assert rule.label in text
        assert rule.term_label in text
    assert "Mission d'intérêt public (art. 6.1.e RGPD)" in text
    assert "Double authentification" in text
    assert "Signataires" in text or "signataires" in text  # the allow-list and its reasons


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor_client", "partner_client", "committee_client"])
def test_other_roles_cannot_read_the_record(request, persona):
    client = request.getfixturevalue(persona)
    for url in (reverse("privacy:index"), RECORD, RECORD_PDF, PURGES):
        assert client.get(url).status_code == 403
    assert client.post(VERIFY).status_code == 403


@pytest.mark.django_db
def test_the_index_leads_to_the_record(coordinator_client):
    response = coordinator_client.get(reverse("privacy:index"))
    assert response.status_code == 302
    assert response["Location"] == RECORD


@pytest.mark.django_db
def test_the_record_pdf_is_generated_from_the_same_table(coordinator_client, department):
    response = coordinator_client.get(RECORD_PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Registre des activités de traitement" in text
    assert "Département des Pyrénées-Orientales" in text
    for rule in registry.rules():
        assert rule.label.split(" (")[0] in text


@pytest.mark.django_db
def test_the_navigation_offers_confidentiality_to_coordinators_and_administrators(
    coordinator_client, administrator_client, advisor_client
):
    for client in (coordinator_client, administrator_client):
        assert "Confidentialité" in page_text(client.get(RECORD))
    assert "Confidentialité" not in page_text(advisor_client.get("/"))


@pytest.mark.django_db
def test_purges_page_is_for_administrators(administrator_client, coordinator_client):
    purge_run()
    response = administrator_client.get(PURGES)
    assert response.status_code == 200
    assert count_tags(response.content.decode(), "h1") == 1
    assert "jamais été vérifié" in page_text(response)
    assert coordinator_client.get(PURGES).status_code == 403
    assert "Purges et intégrité du journal" not in page_text(coordinator_client.get(RECORD))


@pytest.mark.django_db
def test_an_administrator_can_verify_the_journal_now(administrator_client):
    journal_append(actor=None, action="purge", details={"count": 1})
    response = administrator_client.post(VERIFY, follow=True)
    assert "Journal intègre : 1 entrées." in page_text(response)
    assert JournalVerification.objects.get().ok
    assert administrator_client.get(VERIFY).status_code == 405
