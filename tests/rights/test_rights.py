"""Data-subject rights: register and deadlines, reminders, export, rectification, erasure,
opposition."""

import datetime as dt
import io
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from relais.beneficiaries.models import Beneficiary
from relais.mandates.enums import Status
from relais.mandates.models import Mandate
from relais.privacy import queries as privacy_queries
from relais.privacy.enums import JournalAction
from relais.privacy.models import JournalEntry, RightsRequest
from relais.rights import queries as rights_queries
from relais.rights import services as rights_services

from ..activities.factories import record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory, UserFactory
from ..helpers import committed
from ..mandates.factories import make_mandate
from ..privacy.factories import make_rights_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29)),
        (dt.date(2025, 3, 31), dt.date(2025, 4, 30)),
        (dt.date(2025, 12, 15), dt.date(2026, 1, 15)),
    ],
)
def test_the_deadline_is_one_month_month_end_safe(received, due):
    assert rights_services.due_date(received) == due


def test_a_request_is_registered_and_journaled_without_name(advisor_user):
    beneficiary = BeneficiaryFactory(first_name="Marcel")
    request = make_rights_request(advisor_user, beneficiary=beneficiary, kind="erasure")
    assert request.due_on == rights_services.due_date(request.received_on)
    entry = JournalEntry.objects.get(action=JournalAction.RIGHTS_REQUEST)
    assert entry.details["event"] == "received" and entry.details["kind"] == "erasure"
    assert "Marcel" not in json.dumps(entry.details)


def test_an_unidentified_requester_needs_a_label(advisor_user):
    with pytest.raises(ValidationError):
        make_rights_request(advisor_user, beneficiary=None)
    request = make_rights_request(
        advisor_user, beneficiary=None, requester_label="Courrier de M. X"
    )
    assert request.beneficiary is None


def test_a_refusal_is_motivated_and_closing_twice_is_refused(advisor_user):
    request = make_rights_request(advisor_user)
    with pytest.raises(ValidationError):
        rights_services.rights_request_close(
            request=request, user=advisor_user, status="refused", outcome=""
        )
    rights_services.rights_request_close(
        request=request, user=advisor_user, status="done", outcome="Copie"
    )
    assert request.closed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        rights_services.rights_request_close(
            request=request, user=advisor_user, status="done", outcome=""
        )


def test_reminders_are_sent_once_per_stage(advisor_user):
    received = dt.date(2025, 3, 3)
    request = make_rights_request(advisor_user, received_on=received)  # due 2025-04-03
    assert committed(rights_services.rights_reminders_send, today=dt.date(2025, 3, 20)).sent == 0
    assert committed(rights_services.rights_reminders_send, today=dt.date(2025, 3, 27)).sent == 1
    # Idempotent:
    assert committed(rights_services.rights_reminders_send, today=dt.date(2025, 3, 27)).sent == 0
    out = StringIO()
    committed(call_command, "send-rights-reminders", "--today", "2025-04-03", stdout=out)
    assert "1 relance(s)" in out.getvalue()
    committed(call_command, "send-rights-reminders", "--today", "2025-04-03", stdout=StringIO())
    assert committed(rights_services.rights_reminders_send, today=dt.date(2025, 4, 10)).sent == 1
    assert committed(rights_services.rights_reminders_send, today=dt.date(2025, 4, 20)).sent == 0
    assert len(mail.outbox) == 3
    assert mail.outbox[0].to == [advisor_user.email]
    assert request.beneficiary.last_name not in mail.outbox[0].body
    request.refresh_from_db()
    assert request.reminders_sent == ["j-7", "j", "late"]
    rights_services.rights_request_close(
        request=request, user=advisor_user, status="done", outcome="ok"
    )


def test_a_closed_request_gets_no_reminder(advisor_user):
    request = make_rights_request(advisor_user, received_on=dt.date(2025, 3, 3))
    rights_services.rights_request_close(
        request=request, user=advisor_user, status="done", outcome="ok"
    )
    assert committed(rights_services.rights_reminders_send, today=dt.date(2025, 4, 10)).sent == 0


def test_an_unassigned_request_reminds_the_coordinators(db):
    coordinator = UserFactory(role="coordinator")
    request = RightsRequest.objects.create(
        kind="access",
        channel="mail",
        requester_label="X",
        received_on=dt.date(2025, 3, 3),
        due_on=dt.date(2025, 4, 3),
    )
    assert committed(rights_services.rights_reminders_send, today=dt.date(2025, 4, 3)).sent == 1
    assert coordinator.email in mail.outbox[0].to
    assert request.pk


# --- Export -------------------------------------------------------------------------------


def _person_with_everything():
    advisor = AdvisorFactory()
    beneficiary = BeneficiaryFactory(first_name="Odette", last_name="Lentisque", phone="0611223344")
    record_individual(
        advisor, place=PlaceFactory(), beneficiary=beneficiary, private_notes="Rappel"
    )
    other = BeneficiaryFactory(first_name="Autrelinde", last_name="Tiercelin")
    record_individual(advisor, place=PlaceFactory(), beneficiary=other)
    mandate = make_mandate(beneficiary=beneficiary, advisor=advisor)
    from relais.mandates.services import mandate_record_action

    mandate_record_action(mandate=mandate, user=advisor.user, kind="form", family="social_health")
    return beneficiary, mandate


def test_the_export_holds_everything_about_the_person_and_nobody_else():
    beneficiary, mandate = _person_with_everything()
    data = rights_queries.beneficiary_export(
        beneficiary, viewer=mandate.advisor.user
    )  # notes' author
    text = rights_queries.export_json(data).decode()
    assert data["personne"]["prénom"] == "Odette"
    assert data["personne"]["téléphone"] == "+33611223344" or "0611223344" in text
    assert len(data["accompagnements"]) == 1
    assert data["accompagnements"][0]["notes du conseiller"] == "Rappel"
    assert data["mandats"][0]["numéro"] == mandate.pk
    assert data["mandats"][0]["actions"][0]["action"]
    assert data["consultations et opérations (journal)"]  # the mandate's journal entries
    assert "Tiercelin" not in text and "Autrelinde" not in text  # no other beneficiary
    assert mandate.advisor.user.last_name not in text  # no adviser's name


def test_exports_are_journaled_and_served_as_json_and_pdf(advisor_client):
    beneficiary, _ = _person_with_everything()
    response = advisor_client.get(reverse("rights:export_json", args=[beneficiary.pk]))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["personne"]["nom"] == "Lentisque"
    response = advisor_client.get(reverse("rights:export_pdf", args=[beneficiary.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Lentisque" in text and "Mandat n°" in text
    exports = JournalEntry.objects.filter(
        action=JournalAction.PERSONAL_DATA_EXPORT, subject_id=str(beneficiary.pk)
    )
    assert sorted(e.details["what"] for e in exports) == [
        "export des droits (json)",
        "export des droits (pdf)",
    ]


def _pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_an_export_carries_the_private_notes_of_whoever_exports_only(client_for):
    """Issue 12: the export (JSON and PDF) carried another adviser's private note."""
    author, colleague = AdvisorFactory(), AdvisorFactory()
    beneficiary = BeneficiaryFactory()
    place = PlaceFactory()
    record_individual(author, place=place, beneficiary=beneficiary, private_notes="NoteDeAuteur")
    record_individual(
        colleague, place=place, beneficiary=beneficiary, private_notes="NoteDeCollegue"
    )
    exports = {}
    for advisor in (author, colleague):
        TOTPDeviceFactory(user=advisor.user)
        client = client_for(advisor.user)
        as_json = client.get(reverse("rights:export_json", args=[beneficiary.pk]))
        as_pdf = client.get(reverse("rights:export_pdf", args=[beneficiary.pk]))
        exports[advisor] = (as_json.content.decode(), _pdf_text(as_pdf.content))

    for text in exports[colleague]:
        assert "NoteDeCollegue" in text and "NoteDeAuteur" not in text
    for text in exports[author]:
        assert "NoteDeAuteur" in text and "NoteDeCollegue" not in text
    notes = [
        a["notes du conseiller"]
        for a in rights_queries.beneficiary_export(beneficiary, viewer=UserFactory())[
            "accompagnements"
        ]
    ]
    assert notes == ["", ""]  # not an adviser's own activity: no note at all


# --- Erasure, opposition, rectification ----------------------------------------------------


def test_erasure_deletes_the_record_and_mandates_keeps_counts_and_themake_rights_request(
    advisor_client, advisor_user
):
    beneficiary, mandate = _person_with_everything()
    request = make_rights_request(advisor_user, beneficiary=beneficiary, kind="erasure")
    url = reverse("rights:erasure", args=[beneficiary.pk])
    assert advisor_client.get(url).status_code == 200
    advisor_client.post(url, {"demande": request.pk})
    assert not Beneficiary.objects.filter(pk=beneficiary.pk).exists()
    assert not Mandate.objects.filter(pk=mandate.pk).exists()
    request.refresh_from_db()
    assert request.status == "done" and request.beneficiary is None
    assert "Fiche effacée" in request.outcome
    from relais.activities.models import Activity

    assert Activity.objects.count() == 2  # statistics unchanged


def test_opposition_revokes_mandates_and_blocks_new_ones(advisor_client):
    beneficiary = BeneficiaryFactory()
    mandate = make_mandate(beneficiary=beneficiary)
    url = reverse("rights:opposition", args=[beneficiary.pk])
    assert advisor_client.get(url).status_code == 200
    advisor_client.post(url)
    mandate.refresh_from_db()
    assert mandate.status == Status.REVOKED
    assert privacy_queries.is_objecting(beneficiary)
    with pytest.raises(ValidationError):
        make_mandate(beneficiary=beneficiary)
    html = advisor_client.get(beneficiary.get_absolute_url()).content.decode()
    assert "opposée au traitement" in html
    request = RightsRequest.objects.get(beneficiary=beneficiary)
    assert (request.kind, request.status) == ("opposition", "done")


def test_rectification_links_to_the_edit_page(advisor_client, advisor_user):
    request = make_rights_request(advisor_user, kind="rectification")
    html = advisor_client.get(reverse("rights:detail", args=[request.pk])).content.decode()
    assert reverse("beneficiaries:edit", args=[request.beneficiary_id]) in html


# --- Pages and access ---------------------------------------------------------------------


def test_register_pages_for_advisers(advisor_client):
    beneficiary = BeneficiaryFactory()
    url = reverse("rights:create") + f"?personne={beneficiary.pk}"
    response = advisor_client.post(
        url, {"kind": "access", "channel": "in_person", "received_on": "2025-01-31"}
    )
    request = RightsRequest.objects.get()
    assert response["Location"] == reverse("rights:detail", args=[request.pk])
    assert request.due_on == dt.date(2025, 2, 28)
    html = advisor_client.get(reverse("rights:list")).content.decode()
    assert beneficiary.display_name in html and "en retard" in html
    advisor_client.post(
        reverse("rights:detail", args=[request.pk]), {"status": "done", "outcome": "Remis"}
    )
    request.refresh_from_db()
    assert request.status == "done"


def test_coordinators_follow_deadlines_without_names(coordinator_client, advisor_user):
    request = make_rights_request(advisor_user, received_on=dt.date(2025, 1, 2))
    response = coordinator_client.get(reverse("rights:summary"))
    html = response.content.decode()
    assert response.status_code == 200 and "en retard" in html
    assert request.beneficiary.last_name not in html


@pytest.mark.parametrize(
    "persona", ["coordinator_client", "partner_client", "committee_client", "administrator_client"]
)
def test_only_advisers_reach_a_persons_rights(request, persona):
    client = request.getfixturevalue(persona)
    beneficiary = BeneficiaryFactory()
    for name in (
        "rights:beneficiary",
        "rights:export_json",
        "rights:export_pdf",
        "rights:erasure",
        "rights:opposition",
    ):
        assert client.get(reverse(name, args=[beneficiary.pk])).status_code == 403, name
    client.post(reverse("rights:erasure", args=[beneficiary.pk]))
    assert Beneficiary.objects.filter(pk=beneficiary.pk).exists()
