"""The beneficiary import holds against replays and heavy files (issue 12, section 5).

* A preview is imported once: confirming it twice, or twice at the same instant, imports its
  rows once (before: 3 rows confirmed 6 times became 18 people).
* A spreadsheet past RELAIS_IMPORT_MAX_ROWS lines is refused with a French message before any
  parser reads it.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from relais.beneficiaries import importing
from relais.beneficiaries.models import Beneficiary, BeneficiaryImport

from ..factories import AdvisorFactory, TOTPDeviceFactory
from ..helpers import (
    login_verified,
    page_text,
    run_together,
    sheet_rewritten,
    with_far_cell,
    xlsx_bytes,
)

URL = "beneficiaries:import"
ROWS = [["Prénom", "Nom"], ["Aurore", "Garrigue"], ["Jean", "Cade"], ["Léa", "Roussillon"]]


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("personnes.xlsx", content)


def _preview_token(client) -> str:
    response = client.post(reverse(URL), {"file": _upload(xlsx_bytes(ROWS))})
    assert "Aperçu : 3 personnes à importer" in page_text(response)
    return response.context["token"]


@pytest.mark.django_db
def test_confirming_a_preview_twice_imports_it_once(advisor_client):
    token = _preview_token(advisor_client)
    first = advisor_client.post(reverse(URL), {"rows": token})
    assert first["Location"] == reverse("beneficiaries:list")
    second = advisor_client.post(reverse(URL), {"rows": token})  # a double click, a replay
    assert second["Location"] == reverse("beneficiaries:list")
    assert Beneficiary.objects.count() == 3
    assert BeneficiaryImport.objects.get().row_count == 3
    shown = [str(m) for m in get_messages(second.wsgi_request)]
    assert any("Cet import a déjà été confirmé" in m and "3 personne(s)" in m for m in shown)
    for _ in range(4):  # the replay of the issue: still three people
        advisor_client.post(reverse(URL), {"rows": token})
    assert Beneficiary.objects.count() == 3


@pytest.mark.django_db
def test_a_new_preview_of_the_same_file_is_a_new_import(advisor_client):
    """Single use is per preview, not per file: uploading the file again is a deliberate act."""
    token = _preview_token(advisor_client)
    advisor_client.post(reverse(URL), {"rows": token})
    again = _preview_token(advisor_client)
    assert importing.unsign_rows(again).key != importing.unsign_rows(token).key
    advisor_client.post(reverse(URL), {"rows": again})
    assert BeneficiaryImport.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_confirmation_does_not_use_the_preview_up(advisor_client):
    """The key is stored with the people, in one transaction: an import refused at
    confirmation (a line became invalid) leaves the preview usable once fixed."""
    rows = [{"line": 2, "first_name": "A", "last_name": "B", "birth_year": 1800}]
    token = importing.sign_rows(rows)
    response = advisor_client.post(reverse(URL), {"rows": token})
    assert "Aucune ligne n'a été importée" in page_text(response)
    assert not BeneficiaryImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_of_one_preview_import_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks (set DATABASE_URL=postgres://…, as CI does).")
    advisor = AdvisorFactory()
    device = TOTPDeviceFactory(user=advisor.user)
    token = _preview_token(login_verified(Client(), advisor.user, device))
    concurrent = 6
    clients = [login_verified(Client(), advisor.user, device) for _ in range(concurrent)]
    statuses, errors = run_together(
        lambda client: client.post(reverse(URL), {"rows": token}).status_code,
        [(client,) for client in clients],
    )
    assert errors == []
    assert statuses == [302] * concurrent  # the winner and the losers all land on the list
    assert Beneficiary.objects.count() == 3
    assert BeneficiaryImport.objects.count() == 1


@pytest.mark.django_db
def test_a_sheet_past_the_row_limit_is_refused_before_it_is_read(
    advisor_client, settings, monkeypatch
):
    settings.RELAIS_IMPORT_MAX_ROWS = 3

    def never(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(importing.CalamineWorkbook, "from_filelike", never)
    response = advisor_client.post(reverse(URL), {"file": _upload(xlsx_bytes(ROWS))})
    text = page_text(response)
    assert "Le fichier dépasse 3 lignes (la ligne 4 est remplie)" in text
    assert "découpez-le" in text
    assert response.context["token"] == ""
    assert not Beneficiary.objects.exists()


@pytest.mark.django_db
def test_the_default_limit_reads_2000_lines(advisor_client):
    rows = [["Nom"], *[[f"Fictif{i}"] for i in range(2000)]]  # 2001 lines
    response = advisor_client.post(reverse(URL), {"file": _upload(xlsx_bytes(rows))})
    assert "Le fichier dépasse 2000 lignes (la ligne 2001 est remplie)" in page_text(response)


@pytest.mark.django_db
def test_a_million_line_sheet_is_refused_at_once(advisor_client):
    """A 1,000,000-line sheet (~5 MB) that openpyxl took 25 s to go through."""
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>'
        for i in range(3, 1_000_000)
    ).encode()
    content = sheet_rewritten(
        xlsx_bytes([["Nom"], ["Cade"]]),
        lambda data: data.replace(b"</sheetData>", rows + b"</sheetData>"),
    )
    response = advisor_client.post(reverse(URL), {"file": _upload(content)})
    assert "Le fichier dépasse 2000 lignes" in page_text(response)
    assert not Beneficiary.objects.exists()


@pytest.mark.django_db
def test_one_cell_in_the_last_row_of_excel_is_refused(advisor_client):
    content = with_far_cell(xlsx_bytes([["Nom"], ["Cade"]]))
    response = advisor_client.post(reverse(URL), {"file": _upload(content)})
    assert "la ligne 1048576 est remplie" in page_text(response)
