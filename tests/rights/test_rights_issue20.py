"""Issue 20 §4: who handles requests, bounded dates of receipt, requests due soon, the
two-month extension (art. 12.3), what art. 15 requires beside the data, the other requests
after an erasure, and a record of processing written for a reader."""

import datetime as dt
import html
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from relais.core.navigation import nav_for_role
from relais.privacy.models import RightsRequest
from relais.rights import queries as rights_queries
from relais.rights import services as rights_services

from ..beneficiaries.factories import BeneficiaryFactory
from ..privacy.factories import make_rights_request

# The dates below are written out: the suite's instant is pinned (make test-dates moves it).
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-11-24T10:00")]
TODAY = dt.date(2026, 11, 24)


def _text(response) -> str:
    page = response.content.decode().split("<main", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# --- Who handles requests -----------------------------------------------------------------------


def test_the_coordinator_keeps_the_register_and_finds_it_in_the_navigation(
    coordinator_client, coordinator, advisor_user
):
    request = make_rights_request(advisor_user)
    assert coordinator_client.get(reverse("rights:list")).status_code == 200
    detail = coordinator_client.get(reverse("rights:detail", args=[request.pk]))
    assert detail.status_code == 200
    # She can close it; carrying it out on the record stays with the team's advisers.
    assert "beneficiary_rights" not in detail.content.decode()
    assert "Un conseiller de l'équipe met la demande en œuvre" in _text(detail)
    coordinator_client.post(
        reverse("rights:detail", args=[request.pk]),
        {"status": "done", "outcome": "Copie remise par le conseiller."},
    )
    request.refresh_from_db()
    assert request.status == "done"
    urls = {item["url"] for item in nav_for_role("coordinator", "/")}
    assert reverse("rights:list") in urls
    assert reverse("rights:list") in {item["url"] for item in nav_for_role("advisor", "/")}
    for role in ("partner_staff", "committee_member", "administrator"):
        assert reverse("rights:list") not in {i["url"] for i in nav_for_role(role, "/")}


# --- Dates of receipt ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(received=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_of_receipt_is_accepted_only_between_the_floor_and_today(received):
    problem = rights_services.received_on_problem(received, today=TODAY)
    floor = rights_services.received_floor()
    assert floor == dt.date(2021, 1, 1)
    if floor <= received <= TODAY:
        assert problem == ""
    else:
        assert problem and ("futur" in problem or "précéder" in problem)


def test_a_request_received_in_1999_is_refused_in_french_and_nothing_is_written(
    advisor_client,
):
    before = RightsRequest.objects.count()
    response = advisor_client.post(
        reverse("rights:create"),
        {
            "kind": "access",
            "channel": "mail",
            "received_on": "1999-01-01",
            "requester_label": "Courrier",
        },
    )
    assert response.status_code == 200
    assert "ne peut pas" in _text(response)
    assert RightsRequest.objects.count() == before
    with pytest.raises(ValidationError):
        make_rights_request(response.wsgi_request.user, received_on=dt.date(2026, 11, 25))


# --- Due soon, extension ------------------------------------------------------------------------


def test_requests_due_within_seven_days_are_flagged(advisor_client, advisor_user):
    soon = make_rights_request(advisor_user, received_on=dt.date(2026, 11, 1))  # due 01/12: 7 days
    later = make_rights_request(advisor_user, received_on=TODAY)  # due 24/12
    assert soon.is_due_soon(TODAY) and not later.is_due_soon(TODAY)
    page = advisor_client.get(reverse("rights:list")).content.decode()
    soon_row = page.split(f">{soon.pk}</a>")[1].split("</tr>")[0]
    later_row = page.split(f">{later.pk}</a>")[1].split("</tr>")[0]
    assert "échéance proche" in soon_row and "échéance proche" not in later_row


def test_the_deadline_is_extended_two_months_with_reason_and_the_person_informed(
    advisor_client, advisor_user
):
    request = make_rights_request(advisor_user, received_on=dt.date(2026, 11, 10))
    response = advisor_client.post(
        reverse("rights:detail", args=[request.pk]),
        {"prolonger": "1", "reason": "Demande complexe", "person_informed_on": "2026-11-20"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.due_on == dt.date(2027, 2, 10)
    assert request.extension_reason == "Demande complexe"
    assert request.person_informed_on == dt.date(2026, 11, 20)
    detail = _text(advisor_client.get(reverse("rights:detail", args=[request.pk])))
    assert "personne informée le 20/11/2026" in detail
    with pytest.raises(ValidationError, match="une fois"):
        rights_services.rights_request_extend(
            request=request, user=advisor_user, reason="x", person_informed_on=TODAY
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "", "person_informed_on": "2026-11-20"}, "reason"),
        # Informed after the first month: too late (art. 12.3).
        ({"reason": "Complexe", "person_informed_on": "2026-11-24"}, "person_informed_on"),
        ({"reason": "Complexe", "person_informed_on": "2026-09-01"}, "person_informed_on"),
    ],
)
def test_a_bad_extension_changes_nothing(advisor_client, advisor_user, data, field):
    request = make_rights_request(advisor_user, received_on=dt.date(2026, 10, 20))
    due = request.due_on
    response = advisor_client.post(
        reverse("rights:detail", args=[request.pk]), {"prolonger": "1", **data}
    )
    assert response.status_code == 200
    assert response.context["extension_form"].errors.get(field)
    request.refresh_from_db()
    assert request.due_on == due and request.extended_on is None


# --- Art. 15: what the copy tells beside the data -----------------------------------------------


def test_the_access_copy_states_purposes_recipients_terms_source_and_the_cnil(advisor_client):
    beneficiary = BeneficiaryFactory()
    response = advisor_client.get(reverse("rights:export_pdf", args=[beneficiary.pk]))
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Finalités" in text and "Suivre l'accompagnement d'une personne" in text
    assert "Destinataires" in text and "Conseillers de l'équipe départementale" in text
    assert "Durées de conservation" in text and "24 mois" in text
    assert "CNIL" in text and "réclamation" in text
    assert "Source des données" in text
    info = rights_queries.beneficiary_export(beneficiary, viewer=response.wsgi_request.user)[
        "informations (RGPD, art. 15)"
    ]
    from relais.privacy.registry import registry

    beneficiaries_rule = registry.get("beneficiaries")
    assert any(beneficiaries_rule.purpose in purpose for purpose in info["finalités"])
    assert any(line.startswith(beneficiaries_rule.label) for line in info["durées de conservation"])


# --- Erasure closes the person's other requests -------------------------------------------------


def test_after_an_erasure_the_other_open_requests_are_closed_with_their_outcome(advisor_user):
    beneficiary = BeneficiaryFactory()
    erasure = make_rights_request(advisor_user, beneficiary=beneficiary, kind="erasure")
    access = make_rights_request(advisor_user, beneficiary=beneficiary, kind="access")
    rectification = make_rights_request(advisor_user, beneficiary=beneficiary, kind="rectification")
    rights_services.rights_erasure_apply(
        beneficiary=beneficiary, user=advisor_user, request=erasure
    )
    for other in (access, rectification):
        other.refresh_from_db()
        assert other.status == "done" and other.closed_on == TODAY
        assert f"n° {erasure.pk}" in other.outcome and "Sans objet" in other.outcome
    assert not RightsRequest.objects.filter(status="open").exists()


# --- The record of processing, for a reader -----------------------------------------------------

ENGLISH_OR_INTERNAL = [
    "User Agent",
    "name key",
    "TOTP devices",
    "Static devices",
    "Task Results",
    "gender :",
    "age :",
    "status :",
    "Données GET",
    "object repr",
    "Visite de « Ma semaine »s",
]


def test_the_record_is_written_for_a_reader(coordinator_client, department):
    text = _text(coordinator_client.get(reverse("privacy:record")))
    for word in ENGLISH_OR_INTERNAL:
        assert word not in text, word
    assert not re.search(r"Destinataires\s+Aucun", text)
    assert "Transferts hors de l'Union européenne" in text
    assert "Durées de conservation" in text
    # The activities' anonymous counters: one line per breakdown, not one per column.
    assert text.count("nombre de personnes par genre") == 1
    assert text.count("nombre de personnes par tranche d'âge") == 1
    # No DPO set: the record says which setting to fill.
    assert "RELAIS_DPO_CONTACT" in text


def test_the_record_prints_the_dpo_contact(coordinator_client, department, settings):
    settings.RELAIS_DPO_CONTACT = "dpd@ledepartement66.fr"
    text = _text(coordinator_client.get(reverse("privacy:record")))
    assert "Délégué à la protection des données : dpd@ledepartement66.fr" in text
