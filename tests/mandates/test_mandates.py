"""Mandates (convention, art. 2): signature, scope, duration, actions, revocation, documents,
scans, access and purge."""

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from relais.mandates import services
from relais.mandates.documents import qr_payload
from relais.mandates.enums import Status
from relais.mandates.models import Mandate, MandateAction, MandateScan
from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_verify
from relais.privacy.models import JournalEntry
from relais.privacy.services import purge_run

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, TOTPDeviceFactory
from .factories import DEFAULTS, make_mandate

pytestmark = pytest.mark.django_db
PARIS = dt.timezone(dt.timedelta(hours=1))
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- Signature, scope, duration -------------------------------------------------------------


def _ten_am(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("duration", "signed", "expires"),
    [
        ("1d", _ten_am(2025, 3, 10), _ten_am(2025, 3, 11)),
        ("1m", _ten_am(2025, 1, 31), _ten_am(2025, 2, 28)),
        ("6m", _ten_am(2025, 8, 31), _ten_am(2026, 2, 28)),
        ("12m", _ten_am(2024, 2, 29), _ten_am(2025, 2, 28)),
        # Until the procedure ends, 12 months at most.
        ("procedure_end", _ten_am(2025, 3, 10), _ten_am(2026, 3, 10)),
    ],
)
def test_expiry_follows_the_duration_month_end_safe(duration, signed, expires):
    mandate = make_mandate(duration=duration, now=signed)
    assert mandate.expires_at == expires


def test_signing_records_identity_text_version_hash_and_a_journal_entry_without_names():
    beneficiary = BeneficiaryFactory(first_name="Josette", last_name="Arbousier")
    mandate = make_mandate(beneficiary=beneficiary, covers_data_requests=True)
    assert mandate.identity_verified_by == mandate.advisor.user
    assert mandate.identity_verified_at == mandate.signed_at
    assert mandate.information_text_version == "2024-06"
    assert len(mandate.integrity_hash) == 64 and mandate.integrity_ok
    assert mandate.status == Status.ACTIVE
    entry = JournalEntry.objects.get(action=JournalAction.MANDATE_ACTION)
    assert (entry.subject_type, entry.subject_id) == ("mandates.mandate", str(mandate.pk))
    assert entry.actor_id == mandate.advisor.user_id
    assert entry.details["event"] == "signed"
    assert entry.details["families"] == ["social_health"]
    assert "Josette" not in json.dumps(entry.details) and "RSA" not in json.dumps(entry.details)
    assert journal_verify().ok


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scope_families": [], "named_procedures": []}, "scope_families"),
        ({"scope_families": ["associations"]}, "scope_families"),
        ({"named_procedures": ["x" * 121]}, "named_procedures"),
    ],
)
def test_the_scope_must_be_known_and_not_empty(data, field):
    with pytest.raises(ValidationError) as error:
        make_mandate(**data)
    assert field in error.value.message_dict
    assert not Mandate.objects.exists()


def test_data_requests_alone_are_a_valid_scope():
    mandate = make_mandate(scope_families=[], named_procedures=[], covers_data_requests=True)
    assert mandate.status == Status.ACTIVE


def test_the_ten_procedure_families_are_the_glossary_ones():
    from relais.mandates.enums import ProcedureFamily

    assert len(ProcedureFamily) == 10
    assert "associations" not in ProcedureFamily.values


def test_the_hash_detects_a_changed_content():
    mandate = make_mandate()
    Mandate.objects.filter(pk=mandate.pk).update(named_procedures=["Autre chose"])
    mandate.refresh_from_db()
    assert not mandate.integrity_ok


# --- Status ---------------------------------------------------------------------------------


def test_status_follows_dates():
    mandate = make_mandate(duration="1d", now=timezone.now() - dt.timedelta(days=2))
    assert mandate.status == Status.EXPIRED
    assert list(Mandate.objects.with_status("expired")) == [mandate]
    active = make_mandate()
    services.mandate_complete(mandate=active, user=active.advisor.user)
    assert active.status == Status.COMPLETED
    revoked = make_mandate()
    services.mandate_revoke(mandate=revoked, user=revoked.advisor.user, reason="")
    assert revoked.status == Status.REVOKED
    assert {s: Mandate.objects.with_status(s).count() for s in Status} == {
        "active": 0,
        "expired": 1,
        "completed": 1,
        "revoked": 1,
    }


def test_revocation_is_immediate_and_stops_every_action():
    mandate = make_mandate()
    services.mandate_revoke(mandate=mandate, user=mandate.advisor.user, reason="Ne souhaite plus")
    assert mandate.revoked_at is not None and mandate.revoked_at <= timezone.now()
    with pytest.raises(ValidationError):
        services.mandate_record_action(
            mandate=mandate, user=mandate.advisor.user, kind="form", family="social_health"
        )
    events = list(JournalEntry.objects.values_list("details__event", flat=True))
    assert events == ["signed", "revoked"]


# --- Actions --------------------------------------------------------------------------------


def test_an_action_is_journaled_with_procedure_kind_adviser_and_time():
    mandate = make_mandate()
    other = AdvisorFactory()  # a team mandate: any adviser of the team may act
    action = services.mandate_record_action(
        mandate=mandate, user=other.user, kind="form", procedure="Demande de RSA"
    )
    assert action.advisor == other
    entry = JournalEntry.objects.order_by("sequence").last()
    assert entry.actor_id == other.user_id
    assert entry.details == {
        "event": "action",
        "beneficiary": mandate.beneficiary_id,
        "action": action.pk,
        "kind": "form",
        "family": "",
        "procedure": 1,  # the rank of the named procedure, never its wording
    }
    assert abs(entry.timestamp - action.at) < dt.timedelta(seconds=5)


def test_a_mandate_bound_to_its_signatory_refuses_another_adviser():
    mandate = make_mandate(binds="advisor")
    with pytest.raises(PermissionDenied):
        services.mandate_record_action(
            mandate=mandate, user=AdvisorFactory().user, kind="form", family="social_health"
        )
    services.mandate_record_action(
        mandate=mandate, user=mandate.advisor.user, kind="form", family="social_health"
    )


def test_actions_stay_within_the_scope():
    mandate = make_mandate()
    user = mandate.advisor.user
    with pytest.raises(ValidationError):
        services.mandate_record_action(mandate=mandate, user=user, kind="form", family="housing")
    with pytest.raises(ValidationError):
        services.mandate_record_action(mandate=mandate, user=user, kind="form", procedure="Autre")
    with pytest.raises(ValidationError):
        services.mandate_record_action(
            mandate=mandate,
            user=user,
            kind="data_request",
            procedure=services.DATA_REQUEST_PROCEDURE,
        )
    assert not MandateAction.objects.exists()


# --- Pages ----------------------------------------------------------------------------------


def _form(**extra):
    data = {
        "mode": "in_person",
        "binds": "team",
        "identity_document_type": "passport",
        "identity_checked": "on",
        "scope_families": ["housing", "money_taxes"],
        "named_procedures": "Demande d'APL\n\n  Déclaration de revenus ",
        "covers_data_requests": "on",
        "duration": "6m",
        "information_given": "on",
    }
    data.update(extra)
    return data


def test_an_adviser_creates_a_mandate_in_person(advisor_client, advisor):
    beneficiary = BeneficiaryFactory()
    url = reverse("mandates:create", args=[beneficiary.pk])
    assert advisor_client.get(url).status_code == 200
    response = advisor_client.post(url, _form())
    mandate = Mandate.objects.get()
    assert response.status_code == 302 and response["Location"] == mandate.get_absolute_url()
    assert mandate.advisor == advisor
    assert mandate.named_procedures == ["Demande d'APL", "Déclaration de revenus"]
    assert mandate.scope_families == ["housing", "money_taxes"]
    assert mandate.covers_data_requests and mandate.mode == "in_person"


@pytest.mark.parametrize("missing", ["identity_checked", "information_given", "mode"])
def test_identity_check_and_information_are_required(advisor_client, missing):
    beneficiary = BeneficiaryFactory()
    data = _form()
    data.pop(missing)
    response = advisor_client.post(reverse("mandates:create", args=[beneficiary.pk]), data)
    assert response.status_code == 200
    assert not Mandate.objects.exists()


def test_detail_page_journals_the_access(advisor_client, advisor):
    mandate = make_mandate(advisor=advisor)
    response = advisor_client.get(mandate.get_absolute_url())
    assert response.status_code == 200
    assert mandate.integrity_hash in response.content.decode()
    view = JournalEntry.objects.get(action=JournalAction.PERSONAL_DATA_VIEW)
    assert view.details == {"what": "mandat", "view": "mandates:detail"}


def test_the_printable_mandate_is_a_pdf_with_both_signatures_version_hash_and_qr(
    advisor_client, advisor
):
    mandate = make_mandate(
        advisor=advisor, beneficiary=BeneficiaryFactory(first_name="Odette", last_name="Myrte")
    )
    response = advisor_client.get(reverse("mandates:pdf", args=[mandate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Odette MYRTE" in text
    assert "Le mandant" in text and "Le mandataire" in text
    assert "version 2024-06" in text
    assert mandate.integrity_hash[:16] in text.replace("\n", "")
    assert qr_payload(mandate) == f"RELAIS-MANDAT:{mandate.pk}:SHA256:{mandate.integrity_hash}"
    assert JournalEntry.objects.filter(action=JournalAction.PERSONAL_DATA_EXPORT).exists()


def test_revocation_page_then_receipt(advisor_client, advisor):
    mandate = make_mandate()
    receipt = reverse("mandates:revocation_receipt", args=[mandate.pk])
    assert advisor_client.get(receipt).status_code == 404  # not revoked yet
    url = reverse("mandates:revoke", args=[mandate.pk])
    assert advisor_client.get(url).status_code == 200
    response = advisor_client.post(url, {"reason": ""})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == Status.REVOKED
    response = advisor_client.get(receipt)
    assert response["Content-Type"] == "application/pdf"
    assert "Reçu de retrait" in _pdf_text(response.content)


def test_action_and_completion_pages(advisor_client, advisor):
    mandate = make_mandate(advisor=advisor)
    advisor_client.post(
        reverse("mandates:action_create", args=[mandate.pk]),
        {"procedure": "family:social_health", "kind": "form"},
    )
    assert mandate.actions.get().procedure == "Social - Santé"
    advisor_client.post(reverse("mandates:complete", args=[mandate.pk]))
    mandate.refresh_from_db()
    assert mandate.status == Status.COMPLETED


@pytest.mark.parametrize(
    "persona", ["coordinator_client", "partner_client", "committee_client", "administrator_client"]
)
def test_only_advisers_see_mandates(request, persona):
    client = request.getfixturevalue(persona)
    mandate = make_mandate()
    for name in ("mandates:detail", "mandates:pdf", "mandates:revoke", "mandates:scan"):
        assert client.get(reverse(name, args=[mandate.pk])).status_code == 403, name
    assert client.get(reverse("mandates:list")).status_code == 403
    response = client.post(reverse("mandates:revoke", args=[mandate.pk]))
    assert response.status_code == 403
    mandate.refresh_from_db()
    assert mandate.status == Status.ACTIVE


def test_coordinators_see_counts_only(coordinator_client, partner_client):
    make_mandate()
    expired = make_mandate(duration="1d", now=timezone.now() - dt.timedelta(days=3))
    response = coordinator_client.get(reverse("mandates:summary"))
    assert response.status_code == 200
    assert expired.beneficiary.last_name not in response.content.decode()
    assert partner_client.get(reverse("mandates:summary")).status_code == 403


def test_the_beneficiary_page_links_to_mandates_and_rights(advisor_client):
    beneficiary = BeneficiaryFactory()
    make_mandate(beneficiary=beneficiary)
    html = advisor_client.get(beneficiary.get_absolute_url()).content.decode()
    assert reverse("mandates:create", args=[beneficiary.pk]) in html
    assert reverse("rights:beneficiary", args=[beneficiary.pk]) in html
    assert "Mandats actifs : 1 sur 1." in html


# --- Signed scan ----------------------------------------------------------------------------


def test_the_signed_scan_is_checked_stored_privately_and_served_with_a_journal(
    advisor_client, advisor_user, partner_client
):
    mandate = make_mandate()
    upload = SimpleUploadedFile("Mandat Josette ARBOUSIER.pdf", PDF_BYTES, "application/pdf")
    advisor_client.post(reverse("mandates:scan_upload", args=[mandate.pk]), {"file": upload})
    mandate.refresh_from_db()
    scan = mandate.current_scan
    assert scan.file.name.startswith("mandates/") and scan.file.name.endswith(".pdf")
    assert "ARBOUSIER" not in scan.file.name
    assert default_storage.exists(scan.file.name)
    assert scan.content_type == "application/pdf"
    assert (scan.version, scan.uploaded_by) == (1, advisor_user)
    response = advisor_client.get(reverse("mandates:scan", args=[mandate.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert partner_client.get(reverse("mandates:scan", args=[mandate.pk])).status_code == 403
    assert JournalEntry.objects.filter(
        action=JournalAction.PERSONAL_DATA_EXPORT, details__what="mandat signé numérisé"
    ).exists()


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", b"MZ\x90\x00 executable"],
)
def test_a_scan_that_is_not_a_pdf_or_an_image_is_refused(advisor_client, content):
    mandate = make_mandate()
    upload = SimpleUploadedFile("mandat.pdf", content, "application/pdf")
    advisor_client.post(reverse("mandates:scan_upload", args=[mandate.pk]), {"file": upload})
    mandate.refresh_from_db()
    assert mandate.current_scan is None and not MandateScan.objects.exists()


def _upload(client, mandate, content: bytes):
    upload = SimpleUploadedFile("mandat.pdf", content, "application/pdf")
    return client.post(reverse("mandates:scan_upload", args=[mandate.pk]), {"file": upload})


def _served(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_another_adviser_cannot_replace_the_scan_of_a_mandate_bound_to_its_signatory(
    client_for, advisor_client, advisor
):
    """Issue 12: any adviser could replace (and so delete) the signatory's scan."""
    mandate = make_mandate(advisor=advisor, binds="advisor")
    assert _upload(advisor_client, mandate, PDF_BYTES + b"signed").status_code == 302
    original = MandateScan.objects.get()
    colleague = AdvisorFactory()
    TOTPDeviceFactory(user=colleague.user)
    colleague_client = client_for(colleague.user)

    response = _upload(colleague_client, mandate, PDF_BYTES + b"forged")

    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.mandate_attach_scan(
            mandate=mandate,
            user=colleague.user,
            uploaded=SimpleUploadedFile("x.pdf", PDF_BYTES + b"forged"),
        )
    mandate.refresh_from_db()
    assert mandate.current_scan == original
    assert list(MandateScan.objects.all()) == [original]
    assert default_storage.open(original.file.name).read() == PDF_BYTES + b"signed"
    html = colleague_client.get(mandate.get_absolute_url()).content.decode()
    assert f'action="{reverse("mandates:scan_upload", args=[mandate.pk])}"' not in html
    assert "lui seul peut en déposer le mandat signé" in html
    # The colleague still sees the signed mandate itself, like the rest of the mandate.
    assert _served(colleague_client.get(reverse("mandates:scan", args=[mandate.pk]))).endswith(
        b"signed"
    )


def test_on_a_team_mandate_any_adviser_may_replace_the_scan(client_for, advisor):
    mandate = make_mandate(advisor=advisor)  # binds the team
    colleague = AdvisorFactory()
    TOTPDeviceFactory(user=colleague.user)
    _upload(client_for(advisor.user), mandate, PDF_BYTES + b"v1")
    assert _upload(client_for(colleague.user), mandate, PDF_BYTES + b"v2").status_code == 302
    mandate.refresh_from_db()
    assert (mandate.current_scan.version, mandate.current_scan.uploaded_by) == (2, colleague.user)


def test_replacing_a_scan_keeps_every_version_and_serves_the_old_ones_to_the_entitled(
    client_for, advisor_client, advisor
):
    mandate = make_mandate(advisor=advisor, binds="advisor")
    _upload(advisor_client, mandate, PDF_BYTES + b"v1")
    response = _upload(advisor_client, mandate, PDF_BYTES + b"v2")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[-1] == "Le mandat signé est remplacé ; la version précédente reste conservée."

    mandate.refresh_from_db()
    first, second = MandateScan.objects.order_by("version")
    assert mandate.current_scan == second and second.version == 2
    assert default_storage.exists(first.file.name) and first.file.name != second.file.name
    assert first.sha256 == hashlib.sha256(PDF_BYTES + b"v1").hexdigest()
    events = JournalEntry.objects.filter(details__event="scan_uploaded").order_by("sequence")
    assert [(e.details["version"], e.details["replaces"]) for e in events] == [(1, None), (2, 1)]

    current = reverse("mandates:scan", args=[mandate.pk])
    old = reverse("mandates:scan_version", args=[mandate.pk, 1])
    assert _served(advisor_client.get(current)).endswith(b"v2")
    assert _served(advisor_client.get(old)).endswith(b"v1")
    assert old in advisor_client.get(mandate.get_absolute_url()).content.decode()
    assert JournalEntry.objects.filter(
        action=JournalAction.PERSONAL_DATA_EXPORT, details__what="mandat signé numérisé (version 1)"
    ).exists()
    # Another adviser sees the current version only (the mandate is bound to its signatory).
    colleague = AdvisorFactory()
    TOTPDeviceFactory(user=colleague.user)
    colleague_client = client_for(colleague.user)
    assert _served(colleague_client.get(current)).endswith(b"v2")
    assert colleague_client.get(old).status_code == 403
    assert _served(
        colleague_client.get(reverse("mandates:scan_version", args=[mandate.pk, 2]))
    ).endswith(b"v2")
    assert old not in colleague_client.get(mandate.get_absolute_url()).content.decode()
    assert (
        advisor_client.get(reverse("mandates:scan_version", args=[mandate.pk, 3])).status_code
        == 404
    )


def test_a_too_large_scan_is_refused(advisor_client, monkeypatch):
    from relais.core import uploads

    monkeypatch.setattr(uploads, "MAX_DOCUMENT_BYTES", 100)
    mandate = make_mandate()
    upload = SimpleUploadedFile("mandat.pdf", PDF_BYTES + b"0" * 200, "application/pdf")
    advisor_client.post(reverse("mandates:scan_upload", args=[mandate.pk]), {"file": upload})
    mandate.refresh_from_db()
    assert mandate.current_scan is None and not MandateScan.objects.exists()


# --- Retention ------------------------------------------------------------------------------


def test_purge_destroys_revoked_and_completed_mandates_with_their_scans(
    django_capture_on_commit_callbacks,
):
    revoked, completed, active = make_mandate(), make_mandate(), make_mandate()
    user = revoked.advisor.user
    names = [
        services.mandate_attach_scan(
            mandate=revoked, user=user, uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES + version)
        ).file.name
        for version in (b"1", b"2")
    ]
    services.mandate_record_action(mandate=revoked, user=user, kind="form", family="social_health")
    services.mandate_revoke(mandate=revoked, user=user)
    services.mandate_complete(mandate=completed, user=completed.advisor.user)
    with django_capture_on_commit_callbacks(execute=True):
        report = purge_run()
    assert not report.errors
    assert list(Mandate.objects.all()) == [active]
    assert not MandateAction.objects.exists() and not MandateScan.objects.exists()
    assert not any(default_storage.exists(name) for name in names)  # every version
    counts = {r.rule.category: r.count for r in report.results}
    assert counts["mandates_closed"] == 2 and counts["mandate_actions"] == 1
    assert counts["mandate_scans"] == 2
    assert journal_verify().ok


def test_an_expired_mandate_is_kept_one_month_then_destroyed():
    expired = make_mandate(duration="1d", now=timezone.now() - dt.timedelta(days=10))
    purge_run()
    assert Mandate.objects.filter(pk=expired.pk).exists()
    purge_run(today=timezone.localdate() + dt.timedelta(days=25))
    assert not Mandate.objects.filter(pk=expired.pk).exists()


def test_erasing_the_beneficiary_destroys_the_mandates():
    from relais.beneficiaries.services import beneficiary_delete

    mandate = make_mandate()
    beneficiary_delete(beneficiary=mandate.beneficiary)
    assert not Mandate.objects.exists()


# --- Demo -----------------------------------------------------------------------------------


def test_demo_creates_mandates_in_every_state_idempotently():
    from relais.core.demo import DemoContext
    from relais.mandates.demo import load

    ctx = DemoContext(department_code="66")
    ctx.objects["beneficiaries"] = [BeneficiaryFactory() for _ in range(10)]
    ctx.objects["advisors"] = [AdvisorFactory(), AdvisorFactory()]
    load(ctx)
    assert {m.status for m in Mandate.objects.all()} == set(Status)
    assert all(m.integrity_ok for m in Mandate.objects.all())
    count = Mandate.objects.count()
    Mandate.objects.all().delete()  # what the beneficiaries' loader does by cascade
    load(ctx)
    assert Mandate.objects.count() == count
    assert not JournalEntry.objects.exists()


def test_form_defaults_cover_every_required_field():
    assert set(DEFAULTS) == set(services.MANDATE_FIELDS)
