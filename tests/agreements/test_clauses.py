"""The clauses the agreement layer lacked (issue 13 §3): Art. 3.3/4.1 contacts and editorial
validation, Art. 4.2 certificates through the coordinator's form, Art. 5 prior authorisation of
external communication, through the views as coordinators and partner staff use them."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.agreements import services
from relais.agreements.enums import CommunicationStatus, ContactRole, PartyRole
from relais.agreements.models import (
    Agreement,
    AgreementContact,
    CommunicationEvent,
    CommunicationRequest,
    InsuranceCertificate,
)
from relais.agreements.privacy import contacts_due

from ..helpers import page_text
from .factories import make_signed_agreement

# The requests carry dates around the suite's default instant (a diffusion planned in early
# December, submitted on 24 November): pinned, so the module holds on any day it runs.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-11-24T10:00")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def agreement(department, partner):
    """Signed in March 2024, tacitly renewed: in force at the suite's instant."""
    return make_signed_agreement(department, partner, hard_end_date=None)


def _url(name, agreement, *args):
    return reverse(f"agreements:{name}", args=[agreement.pk, *args])


# --- Art. 3.3, 3.4, 4.1: contacts -------------------------------------------------------------


def test_coordinator_records_the_contacts_the_clauses_name(coordinator_client, agreement):
    page = page_text(coordinator_client.get(agreement.get_absolute_url()))
    assert "Désigner l'équipe technique dédiée (art. 3.3)" in page
    assert "Désigner le responsable éditorial du bénéficiaire (art. 4.1)" in page
    response = coordinator_client.post(
        _url("contact_add", agreement),
        {
            "party": PartyRole.DEPARTMENT,
            "role": ContactRole.TECHNICAL_TEAM,
            "full_name": "Claire Vidal",
            "function": "Cheffe de projet inclusion numérique",
            "email": "claire.vidal@cd66.exemple.fr",
            "phone": "04 68 85 85 85",
        },
    )
    assert response.status_code == 302
    contact = AgreementContact.objects.get()
    assert contact.phone == "+33468858585"
    page = page_text(coordinator_client.get(agreement.get_absolute_url()))
    assert "Claire Vidal" in page and "Cheffe de projet inclusion numérique" in page
    assert "Équipe technique départementale dédiée (art. 3.3)" in page
    assert "Désigner l'équipe technique dédiée" not in page

    # Changed: the person leaves the role; the to-do comes back.
    response = coordinator_client.post(
        _url("contact_edit", agreement, contact.pk),
        {
            "party": PartyRole.DEPARTMENT,
            "role": ContactRole.TECHNICAL_TEAM,
            "full_name": "Claire Vidal",
            "until": "2026-11-01",
        },
    )
    assert response.status_code == 302
    assert "Désigner l'équipe technique dédiée" in page_text(
        coordinator_client.get(agreement.get_absolute_url())
    )


def test_the_technical_team_is_the_departments_and_bad_input_stores_nothing(
    coordinator_client, agreement
):
    response = coordinator_client.post(
        _url("contact_add", agreement),
        {
            "party": PartyRole.PARTNER,
            "role": ContactRole.TECHNICAL_TEAM,
            "full_name": "Jean Pons",
            "phone": "pas un numéro",
        },
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "L'équipe technique dédiée est celle du Département (art. 3.3)." in page
    assert "Ce numéro de téléphone n'est pas valide" in page
    assert not AgreementContact.objects.exists()


def test_partner_staff_read_the_contacts_but_do_not_edit_them(partner_client, agreement):
    AgreementContact.objects.create(
        agreement=agreement,
        party=PartyRole.PARTNER,
        role=ContactRole.EDITORIAL,
        full_name="Marie Sola",
    )
    assert "Marie Sola" in page_text(partner_client.get(agreement.get_absolute_url()))
    assert partner_client.get(_url("contact_add", agreement)).status_code == 403


def test_a_contact_is_deleted_a_year_after_leaving_the_role(agreement):
    gone = AgreementContact.objects.create(
        agreement=agreement,
        party=PartyRole.PARTNER,
        role=ContactRole.REGULAR_CONTACT,
        full_name="Ancien contact",
        until=date(2025, 10, 1),
    )
    AgreementContact.objects.create(
        agreement=agreement,
        party=PartyRole.PARTNER,
        role=ContactRole.REGULAR_CONTACT,
        full_name="Contact actuel",
    )
    cutoff = datetime(2025, 11, 24, tzinfo=ZoneInfo("Europe/Paris"))
    assert list(contacts_due(cutoff)) == [gone]


# --- Art. 4.2: the certificate through the coordinator's form ---------------------------------


def _certificate(**extra):
    data = {
        "insurer": "SMACL Assurances",
        "policy_number": "RC-2026-0042",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
    }
    data.update(extra)
    return data


def test_coordinator_records_a_certificate_with_its_file(coordinator_client, agreement):
    upload = SimpleUploadedFile("attestation RC.pdf", PDF, content_type="application/pdf")
    response = coordinator_client.post(_url("insurance_add", agreement), _certificate(file=upload))
    assert response.status_code == 302
    certificate = InsuranceCertificate.objects.get()
    assert certificate.file.read() == PDF
    assert certificate.file.name.endswith(".pdf")
    page = page_text(coordinator_client.get(agreement.get_absolute_url()))
    assert "SMACL Assurances, police n° RC-2026-0042" in page
    download = coordinator_client.get(_url("insurance_file", agreement, certificate.pk))
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"valid_until": "2025-12-31"}, "La fin de validité précède son début."),
        ({"valid_from": "2026-02-30"}, "Saisissez une date valide."),
        (
            {"file": SimpleUploadedFile("attestation.pdf", b"MZ\x90\x00 not a pdf")},
            "Format refusé : déposez un PDF, une photo JPEG ou une image PNG.",
        ),
        (
            {"file": SimpleUploadedFile("lourd.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))},
            "Fichier trop lourd : 10 Mo au plus.",
        ),
    ],
)
def test_a_bad_certificate_is_refused_in_french_and_nothing_is_stored(
    coordinator_client, agreement, extra, message
):
    response = coordinator_client.post(_url("insurance_add", agreement), _certificate(**extra))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not InsuranceCertificate.objects.exists()


def test_only_managers_record_certificates(partner_client, agreement):
    assert partner_client.post(_url("insurance_add", agreement), _certificate()).status_code == 403


# --- Art. 5: prior authorisation of external communication ------------------------------------


def _request(**extra):
    data = {
        "subject": "Affiche des permanences de l'automne",
        "medium": "poster",
        "channel": "Médiathèques du réseau et mairies des communes d'accueil",
        "planned_on": "2026-12-07",
        "description": "Affiche A3 : jours et heures des permanences.",
        "requester_validated_by": "Marie Sola, responsable de la communication",
    }
    data.update(extra)
    return data


def test_partner_asks_department_decides_history_kept(
    partner_client, coordinator_client, agreement
):
    """The whole path: submitted without the logo, changes requested, corrected, authorised."""
    upload = SimpleUploadedFile("maquette.png", PNG, content_type="image/png")
    response = partner_client.post(
        _url("communication_create", agreement),
        _request(attachment=upload, shows_mention="on"),
    )
    assert response.status_code == 302
    item = CommunicationRequest.objects.get()
    assert (item.requested_by, item.status, item.submitted_on) == (
        PartyRole.PARTNER,
        CommunicationStatus.PENDING,
        date(2026, 11, 24),
    )
    assert item.missing_elements == ["le logo du Département"]

    listing = page_text(coordinator_client.get(reverse("agreements:communication_list")))
    assert "À décider Affiche des permanences de l'automne" in listing
    detail_url = item.get_absolute_url()
    # The partner does not decide its own request.
    assert "Enregistrer la décision" not in page_text(partner_client.get(detail_url))

    # Authorising a support without the logo is refused (Art. 5).
    response = coordinator_client.post(
        detail_url, {"step": "decide", "decision": "approved", "decided_by": "Claire Vidal"}
    )
    assert "Le support doit faire figurer le logo du Département (art. 5)" in page_text(response)
    item.refresh_from_db()
    assert item.status == CommunicationStatus.PENDING

    coordinator_client.post(
        detail_url,
        {
            "step": "decide",
            "decision": "changes_requested",
            "decided_by": "Claire Vidal",
            "comment": "Ajouter le logo du Département en pied d'affiche.",
        },
    )
    item.refresh_from_db()
    assert item.status == CommunicationStatus.CHANGES_REQUESTED

    response = partner_client.post(
        detail_url,
        {
            "step": "resubmit",
            "planned_on": "2026-12-08",
            "shows_mention": "on",
            "shows_logo": "on",
            "description": "Logo ajouté.",
        },
    )
    assert response.status_code == 302
    coordinator_client.post(
        detail_url,
        {"step": "decide", "decision": "approved", "decided_by": "Claire Vidal, cheffe de projet"},
    )
    item.refresh_from_db()
    assert item.status == CommunicationStatus.APPROVED
    assert (item.decided_on, item.decided_by) == (
        date(2026, 11, 24),
        "Claire Vidal, cheffe de projet",
    )
    page = page_text(partner_client.get(detail_url))
    assert "pour le demandeur : Marie Sola, responsable de la communication" in page
    assert "pour l'autre partie : Claire Vidal, cheffe de projet" in page
    assert [e.action for e in item.events.all()] == [
        "Demande déposée",
        "Modifications demandées",
        "Demande modifiée et déposée de nouveau",
        "Communication autorisée",
    ]
    download = partner_client.get(
        reverse("agreements:communication_file", args=[agreement.pk, item.pk])
    )
    assert b"".join(download.streaming_content) == PNG


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"planned_on": "2026-11-20"},
            "La diffusion prévue est passée : l'autorisation doit être demandée avant (art. 5).",
        ),
        ({"subject": ""}, "Ce champ est obligatoire."),
        (
            {"attachment": SimpleUploadedFile("maquette.png", b"<svg onload=alert(1)>")},
            "Format refusé",
        ),
    ],
)
def test_a_bad_request_is_refused_in_french_and_nothing_is_stored(
    partner_client, agreement, extra, message
):
    response = partner_client.post(_url("communication_create", agreement), _request(**extra))
    assert response.status_code == 200
    assert message in page_text(response)
    assert not CommunicationRequest.objects.exists()


def test_a_refusal_says_why(partner_client, coordinator_client, agreement):
    partner_client.post(_url("communication_create", agreement), _request(medium="oral"))
    item = CommunicationRequest.objects.get()
    assert item.missing_elements == []  # an oral communication carries no logo
    response = coordinator_client.post(
        item.get_absolute_url(), {"step": "decide", "decision": "refused", "decided_by": "C. V."}
    )
    assert "Indiquez le motif ou les modifications demandées." in page_text(response)
    item.refresh_from_db()
    assert item.status == CommunicationStatus.PENDING


def test_the_departments_communication_is_authorised_by_the_partner(
    coordinator_client, partner_client, outsider_client, agreement
):
    coordinator_client.post(
        _url("communication_create", agreement),
        _request(requested_by=PartyRole.DEPARTMENT, subject="Communiqué de presse"),
    )
    item = CommunicationRequest.objects.get()
    assert item.decider == PartyRole.PARTNER
    # The Département does not authorise itself; the partner does.
    assert "Enregistrer la décision" not in page_text(
        coordinator_client.get(item.get_absolute_url())
    )
    assert outsider_client.get(item.get_absolute_url()).status_code == 403
    partner_client.post(
        item.get_absolute_url(),
        {"step": "decide", "decision": "approved", "decided_by": "Jean-Louis Jallat"},
    )
    item.refresh_from_db()
    assert item.status == CommunicationStatus.APPROVED


def test_other_partners_staff_cannot_ask_or_read(outsider_client, agreement):
    assert (
        outsider_client.post(_url("communication_create", agreement), _request()).status_code == 403
    )


# --- A property the author did not shape: any sequence of decisions ----------------------------

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["approved", "changes_requested", "refused", "resubmit", "withdraw"]),
        st.booleans(),  # mention and logo on the resubmitted support
        st.booleans(),  # a comment given
    ),
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
def test_any_sequence_keeps_article_5(agreement, coordinator, partner_staff, actions):
    """Whatever the sequence: a partner's written support is authorised only with mention and
    logo, a refusal or change request always has a reason, a closed request never changes, and
    the history has one line per step that succeeded (re-checked with plain ORM reads)."""
    CommunicationRequest.objects.all().delete()
    item = services.communication_request_submit(
        agreement=agreement,
        user=partner_staff,
        requested_by=PartyRole.PARTNER,
        subject="Plaquette",
        medium="brochure",
        channel="Accueil des médiathèques",
        planned_on=date(2026, 12, 1),
    )
    succeeded = 1
    for action, complete, commented in actions:
        before = CommunicationRequest.objects.get(pk=item.pk).status
        try:
            if action == "resubmit":
                services.communication_request_resubmit(
                    request=item,
                    user=partner_staff,
                    planned_on=date(2026, 12, 1) + timedelta(days=1),
                    shows_mention=complete,
                    shows_logo=complete,
                )
            elif action == "withdraw":
                services.communication_request_withdraw(request=item, user=partner_staff)
            else:
                services.communication_request_decide(
                    request=item,
                    user=coordinator,
                    decision=action,
                    decided_by="Claire Vidal",
                    comment="Motif." if commented else "",
                )
            succeeded += 1
        except services.ValidationError:
            assert CommunicationRequest.objects.get(pk=item.pk).status == before
        item.refresh_from_db()
        if before in (CommunicationStatus.APPROVED, CommunicationStatus.REFUSED, "withdrawn"):
            assert item.status == before
    row = CommunicationRequest.objects.values(
        "status", "shows_mention", "shows_logo", "decision_comment"
    ).get(pk=item.pk)
    if row["status"] == CommunicationStatus.APPROVED:
        assert row["shows_mention"] and row["shows_logo"]
    if row["status"] in (CommunicationStatus.REFUSED, CommunicationStatus.CHANGES_REQUESTED):
        assert row["decision_comment"]
    assert CommunicationEvent.objects.filter(request_id=item.pk).count() == succeeded


def test_the_demo_agreement_has_its_contacts_and_communication(coordinator_client):
    call_command("demo", "--force", stdout=io.StringIO())
    agreement = Agreement.objects.get(title__contains="Vague 3")
    roles = set(agreement.contacts.values_list("party", "role"))
    assert (PartyRole.DEPARTMENT, ContactRole.TECHNICAL_TEAM) in roles
    assert (PartyRole.PARTNER, ContactRole.EDITORIAL) in roles
    statuses = sorted(agreement.communication_requests.values_list("status", flat=True))
    assert statuses == ["approved", "pending", "pending"]
    page = page_text(coordinator_client.get(agreement.get_absolute_url()))
    assert "Jean-Louis JALLAT" in page and "Affiche des permanences numériques" in page
    assert "Désigner" not in page  # every contact the clauses name is recorded


def test_each_step_tells_the_party_who_must_act(partner_client, coordinator_client, agreement):
    """A request reaches the deciding party by e-mail, and the decision comes back to the
    requester (through the outbox, committed with the step)."""
    from relais.messaging.models import OutboxMessage

    coordinators = set(
        User.objects.filter(role=Role.COORDINATOR, is_active=True).values_list("email", flat=True)
    )
    partner_staff = set(
        User.objects.filter(role=Role.PARTNER_STAFF, organisation=agreement.partner).values_list(
            "email", flat=True
        )
    )
    assert coordinators and partner_staff
    partner_client.post(_url("communication_create", agreement), _request(shows_mention="on"))
    item = CommunicationRequest.objects.get()
    asked = OutboxMessage.objects.filter(origin="communication_request")
    assert set(asked.values_list("recipient", flat=True)) == coordinators
    message = asked.first()
    assert "attend votre décision" in message.body and item.get_absolute_url() in message.body

    OutboxMessage.objects.all().delete()
    coordinator_client.post(
        item.get_absolute_url(),
        {"step": "decide", "decision": "refused", "decided_by": "Claire Vidal",
         "comment": "Hors du programme."},
    )  # fmt: skip
    answered = OutboxMessage.objects.filter(origin="communication_request")
    assert set(answered.values_list("recipient", flat=True)) == partner_staff
    assert "Hors du programme." in answered.first().body


def test_the_home_page_lists_what_awaits_ones_decision(
    partner_client, coordinator_client, agreement
):
    partner_client.post(_url("communication_create", agreement), _request(shows_mention="on"))
    item = CommunicationRequest.objects.get()
    home = coordinator_client.get(reverse("dashboards:home")).content.decode()
    assert "Communication à autoriser (art. 5)" in home and item.get_absolute_url() in home
    # The partner asked: nothing for it to decide.
    assert "Communication à autoriser" not in page_text(
        partner_client.get(reverse("dashboards:home"))
    )
