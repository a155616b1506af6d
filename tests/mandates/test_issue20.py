"""Issue 20 §3: mandate documents bound page to page, the signed copy required after a grace
period, the revocation receipt, the journal's words, the sorted list, renewal and the
withdrawal of one family."""

import datetime as dt
import html
import io
import os
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from relais.core.french import plain
from relais.mandates import documents, services
from relais.mandates.enums import ProcedureFamily, Status
from relais.mandates.models import Mandate
from relais.rights.queries import beneficiary_export

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory
from .factories import make_mandate

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Set PDF_DUMP_DIR to keep the rendered PDFs and look at them.
DUMP = os.environ.get("PDF_DUMP_DIR")


def _pages(content: bytes, name: str = "") -> list[str]:
    if DUMP and name:
        Path(DUMP, name).write_bytes(content)
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _big_mandate(**extra):
    """The largest scope a mandate can hold: every family, ten long named procedures."""
    return make_mandate(
        scope_families=list(ProcedureFamily.values),
        named_procedures=[f"Démarche désignée numéro {n} " + "x" * 90 for n in range(10)],
        covers_data_requests=True,
        **extra,
    )


def _upload(mandate, user):
    return services.mandate_attach_scan(
        mandate=mandate, user=user, uploaded=SimpleUploadedFile("m.pdf", PDF_BYTES)
    )


# --- The printed mandate ------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["small", "big"])
def test_every_page_carries_the_reference_and_hash_and_signatures_sit_with_the_scope(size):
    mandate = _big_mandate() if size == "big" else make_mandate()
    pages = _pages(documents.render_mandate_pdf(mandate), f"mandate-{size}.pdf")
    assert len(pages) >= 2 if size == "big" else len(pages) >= 1
    for page in pages:
        assert f"Mandat n° {mandate.pk}" in page
        assert mandate.integrity_hash in _flat(page)
        assert "Paraphes" in page
    scope_pages = [i for i, page in enumerate(pages) if "Étendue du mandat" in page]
    signature_pages = [i for i, page in enumerate(pages) if "Bon pour mandat" in page]
    assert scope_pages == signature_pages and len(scope_pages) == 1
    if size == "big":  # the last named procedure (end of the scope) is on that page too
        assert "numéro 9" in pages[scope_pages[0]]


@pytest.mark.now("2026-11-20T15:30")
def test_a_revoked_mandate_reprints_revoked_on_every_page():
    mandate = _big_mandate()
    advisor = AdvisorFactory()
    services.mandate_revoke(mandate=mandate, user=advisor.user)
    pages = _pages(documents.render_mandate_pdf(mandate), "mandate-revoked.pdf")
    assert len(pages) >= 2
    for page in pages:
        assert "révoqué le 20/11/2026 à 15 h 30" in plain(page)


def test_an_active_mandate_does_not_say_revoked():
    mandate = make_mandate()
    assert all("révoqué" not in page for page in _pages(documents.render_mandate_pdf(mandate)))


@pytest.mark.parametrize(
    ("gender", "word"), [("female", "née"), ("male", "né"), ("unknown", "né(e)")]
)
def test_born_follows_the_recorded_gender(gender, word):
    beneficiary = BeneficiaryFactory(gender=gender, birth_year=1950)
    text = "\n".join(_pages(documents.render_mandate_pdf(make_mandate(beneficiary=beneficiary))))
    assert f", {word} en 1950" in text


def test_the_revocation_receipt_names_the_procedures_and_who_recorded_it():
    recorder = AdvisorFactory(user__first_name="Paule", user__last_name="Ricard")
    mandate = make_mandate(
        scope_families=["social_health", "housing"], named_procedures=["Demande de RSA"]
    )
    services.mandate_revoke(mandate=mandate, user=recorder.user)
    mandate.refresh_from_db()
    text = "\n".join(
        _pages(documents.render_revocation_receipt_pdf(mandate), "revocation-receipt.pdf")
    )
    assert "Social - Santé" in text and "Logement" in text and "Demande de RSA" in text
    assert "Retrait enregistré par" in text and "Paule Ricard" in text


# --- The signed copy: warn, then refuse ---------------------------------------------------------


def test_actions_without_a_signed_copy_are_warned_then_refused_after_the_grace_period(settings):
    settings.RELAIS_MANDATE_SCAN_GRACE_DAYS = 7
    signed = timezone.now() - dt.timedelta(days=10)
    advisor = AdvisorFactory()
    mandate = make_mandate(advisor=advisor, now=signed, duration="1m")
    within = signed + dt.timedelta(days=6)
    assert "déposez-le avant le" in services.scan_warning(mandate, now=within)
    services.mandate_record_action(
        mandate=mandate, user=advisor.user, kind="form", family="social_health", now=within
    )
    with pytest.raises(
        ValidationError, match="Le mandat signé n'a pas été déposé dans les 7 jours"
    ):
        services.mandate_record_action(
            mandate=mandate, user=advisor.user, kind="form", family="social_health"
        )
    _upload(mandate, advisor.user)
    assert services.scan_warning(mandate) == ""
    services.mandate_record_action(
        mandate=mandate, user=advisor.user, kind="form", family="social_health"
    )
    assert mandate.actions.count() == 2


def test_the_detail_page_warns_while_the_signed_copy_is_missing(advisor_client, advisor):
    mandate = make_mandate(advisor=advisor)
    response = advisor_client.get(mandate.get_absolute_url())
    assert "pas encore déposé : déposez-le avant le" in response.content.decode()


def test_a_refused_action_changes_nothing_and_says_why_in_french(advisor_client, advisor):
    mandate = make_mandate(advisor=advisor, now=timezone.now() - dt.timedelta(days=8))
    response = advisor_client.post(
        reverse("mandates:action_create", args=[mandate.pk]),
        {"procedure": "family:social_health", "kind": "form"},
        follow=True,
    )
    assert "déposez-le avant d'inscrire une action" in html.unescape(response.content.decode())
    assert mandate.actions.count() == 0


def test_the_grace_period_setting_is_declared_and_documented_alike():
    root = Path(__file__).resolve().parent.parent.parent
    base = (root / "config" / "settings" / "base.py").read_text()
    operations = (root / "docs" / "operations.md").read_text()
    declared = re.search(
        r"RELAIS_MANDATE_SCAN_GRACE_DAYS = "
        r'env\.int\("RELAIS_MANDATE_SCAN_GRACE_DAYS", default=(\d+)\)',
        base,
    )
    documented = re.search(r"^\| `RELAIS_MANDATE_SCAN_GRACE_DAYS` \| `(\d+)` \|", operations, re.M)
    assert declared and documented and declared.group(1) == documented.group(1)


# --- The journal as the person reads it ---------------------------------------------------------


def test_the_journal_export_names_signature_and_revocation_for_what_they_are():
    advisor = AdvisorFactory()
    mandate = make_mandate(advisor=advisor)
    _upload(mandate, advisor.user)
    services.mandate_record_action(
        mandate=mandate, user=advisor.user, kind="form", family="social_health"
    )
    services.mandate_revoke(mandate=mandate, user=advisor.user)
    journal = beneficiary_export(mandate.beneficiary, viewer=advisor.user)[
        "consultations et opérations (journal)"
    ]
    operations = [row["opération"] for row in journal]
    assert operations[0] == f"Signature du mandat n° {mandate.pk}"
    assert operations.count("Action sous mandat") == 1
    assert f"Retrait du mandat n° {mandate.pk}" in operations
    assert f"Dépôt du mandat signé n° {mandate.pk}" in operations


# --- The list -----------------------------------------------------------------------------------


def test_the_list_is_sorted_most_recent_first_and_paginated(advisor_client, advisor):
    now = timezone.now()
    beneficiary = BeneficiaryFactory()
    # Created oldest last, so insertion order and signature order disagree.
    ids = [
        make_mandate(advisor=advisor, beneficiary=beneficiary, now=now - dt.timedelta(hours=h)).pk
        for h in (5, 1, 9, 3)
    ]
    expected = [ids[1], ids[3], ids[0], ids[2]]
    from relais.mandates.queries import mandates_for_list

    assert [m.pk for m in mandates_for_list()] == expected
    assert mandates_for_list().query.order_by


def test_the_list_pages_past_two_hundred(advisor_client, advisor, monkeypatch):
    monkeypatch.setattr("relais.mandates.views.PAGE_SIZE", 2)
    beneficiary = BeneficiaryFactory()
    now = timezone.now()
    mandates = [
        make_mandate(advisor=advisor, beneficiary=beneficiary, now=now - dt.timedelta(hours=h))
        for h in range(5)
    ]
    seen = []
    for page in (1, 2, 3):
        response = advisor_client.get(reverse("mandates:list"), {"page": page})
        seen += [m.pk for m in response.context["page_obj"]]
    assert seen == [m.pk for m in mandates]
    assert advisor_client.get(reverse("mandates:list"), {"page": "x"}).status_code == 200
    assert advisor_client.get(reverse("mandates:list"), {"page": "999"}).status_code == 200


def test_each_cell_of_the_list_carries_its_label(advisor_client, advisor):
    make_mandate(advisor=advisor)
    page = advisor_client.get(reverse("mandates:list")).content.decode()
    row = page.split("<tbody>")[1].split("</tr>")[0]
    cells = re.findall(r"<t[dh][^>]*>", row)
    assert cells and all("data-label=" in cell for cell in cells)


# --- Renewal and withdrawal of one family -------------------------------------------------------


def test_a_mandate_is_renewed_with_its_scope_signed_again(advisor_client, advisor):
    old = make_mandate(
        advisor=advisor,
        now=timezone.now() - dt.timedelta(days=40),
        scope_families=["housing"],
        named_procedures=["Demande d'APL"],
    )
    assert old.status == Status.EXPIRED
    url = reverse("mandates:create", args=[old.beneficiary_id]) + f"?renouvelle={old.pk}"
    form = advisor_client.get(url).context["form"]
    assert form.initial["scope_families"] == ["housing"]
    response = advisor_client.post(
        url,
        {
            "mode": "in_person",
            "binds": "team",
            "identity_document_type": "passport",
            "identity_checked": "on",
            "scope_families": ["housing"],
            "named_procedures": "Demande d'APL",
            "duration": "6m",
            "information_given": "on",
        },
    )
    assert response.status_code == 302
    new = Mandate.objects.get(renews=old)
    assert new.status == Status.ACTIVE and new.named_procedures == ["Demande d'APL"]
    assert "Renouvelle le mandat n°" in advisor_client.get(new.get_absolute_url()).content.decode()


def test_a_revoked_mandate_is_not_renewed():
    old = make_mandate()
    services.mandate_revoke(mandate=old, user=old.advisor.user)
    with pytest.raises(ValidationError):
        services.mandate_create(
            beneficiary=old.beneficiary,
            advisor=old.advisor,
            user=old.advisor.user,
            data=services.mandate_renewal_data(old)
            | {"identity_document_type": "id_card", "named_procedures": []},
            renews=old,
        )


def test_one_family_is_withdrawn_and_the_rest_stays(advisor_client, advisor):
    mandate = make_mandate(advisor=advisor, scope_families=["social_health", "housing"])
    _upload(mandate, advisor.user)
    response = advisor_client.post(
        reverse("mandates:revoke_family", args=[mandate.pk]), {"family": "housing"}
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == Status.ACTIVE and mandate.active_families == ["social_health"]
    with pytest.raises(ValidationError, match="retiré cette famille"):
        services.mandate_record_action(
            mandate=mandate, user=advisor.user, kind="form", family="housing"
        )
    services.mandate_record_action(
        mandate=mandate, user=advisor.user, kind="form", family="social_health"
    )
    text = "\n".join(_pages(documents.render_mandate_pdf(mandate), "mandate-family-withdrawn.pdf"))
    assert "Logement : retirée le" in text
    assert mandate.integrity_ok  # the signed content is untouched


def test_withdrawing_the_last_covered_family_withdraws_the_mandate():
    mandate = make_mandate(scope_families=["housing"], named_procedures=[])
    services.mandate_revoke_family(mandate=mandate, user=mandate.advisor.user, family="housing")
    assert mandate.status == Status.REVOKED


def test_a_bad_family_changes_nothing(advisor_client, advisor):
    mandate = make_mandate(advisor=advisor)
    for value in ("", "nope", "housing"):
        response = advisor_client.post(
            reverse("mandates:revoke_family", args=[mandate.pk]), {"family": value}
        )
        assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.revoked_families == {}


def test_the_persons_page_counts_mandates_without_a_plural_slip(advisor_client, advisor):
    beneficiary = BeneficiaryFactory()
    text = html.unescape(advisor_client.get(beneficiary.get_absolute_url()).content.decode())
    assert "Aucun mandat." in text and "0 mandats" not in text
    make_mandate(advisor=advisor, beneficiary=beneficiary)
    text = html.unescape(advisor_client.get(beneficiary.get_absolute_url()).content.decode())
    assert "Mandats actifs : 1 sur 1." in text
