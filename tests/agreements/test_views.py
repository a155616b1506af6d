"""Agreement pages and coordinator actions, through the views."""

from datetime import date

import pytest
from django.urls import reverse

from relais.agreements.enums import AgreementStatus
from relais.agreements.models import Agreement

from ..helpers import page_text

pytestmark = pytest.mark.django_db


def test_list_and_detail_for_a_coordinator(coordinator_client, signed_agreement):
    page = page_text(coordinator_client.get(reverse("agreements:list")))
    assert "Conventions de partenariat" in page and "Terminée le 22 juin 2026" in page
    detail = page_text(coordinator_client.get(signed_agreement.get_absolute_url()))
    assert "En vigueur depuis 20 mars 2024" in detail
    assert "Dernier jour en vigueur 22 juin 2026" in detail
    assert "Préparer la convention suivante" in detail
    assert "Le Bénéficiaire : numéro de la délibération" in detail  # to-do from the blank


def test_partner_staff_see_only_their_agreements(partner_client, outsider_client, signed_agreement):
    assert partner_client.get(signed_agreement.get_absolute_url()).status_code == 200
    assert outsider_client.get(signed_agreement.get_absolute_url()).status_code == 403
    assert signed_agreement.title not in page_text(outsider_client.get(reverse("agreements:list")))
    # Read-only for partners: no action buttons, and actions are refused.
    assert "Préparer un avenant" not in page_text(
        partner_client.get(signed_agreement.get_absolute_url())
    )
    response = partner_client.post(reverse("agreements:successor", args=[signed_agreement.pk]))
    assert response.status_code == 403


def test_advisor_cannot_list_agreements(advisor_client):
    assert advisor_client.get(reverse("agreements:list")).status_code == 403


def test_create_a_draft_then_add_lines(coordinator_client, department, partner, place):
    response = coordinator_client.post(
        reverse("agreements:create"),
        {
            "title": "Convention 2026 – 2029",
            "partner": partner.pk,
            "signed_at": "Perpignan",
            "original_copies": 2,
            "duration_months": 12,
            "tacit_renewal": "on",
            "opposition_notice_months": 2,
            "hard_end_date": "2029-06-30",
            "notice_days": 30,
            "force_majeure_notice_days": 30,
            "day_hours": "7",
            "half_day_hours": "3.5",
        },
    )
    agreement = Agreement.objects.get(title="Convention 2026 – 2029")
    assert response["Location"] == agreement.get_absolute_url()
    response = coordinator_client.post(
        reverse("agreements:commitment_add", args=[agreement.pk]),
        {
            "place": place.pk,
            "count": 2,
            "unit": "half_day",
            "frequency": "weekly",
            "modality": "on_site",
        },
    )
    assert response.status_code == 302
    assert agreement.commitments.count() == 1


def test_bad_input_gives_french_errors_and_changes_nothing(coordinator_client, draft_agreement):
    url = reverse("agreements:send_for_signature", args=[draft_agreement.pk])
    response = coordinator_client.post(url, {"on": "2099-01-01"})
    assert "ne peut pas être dans le futur" in page_text(response)
    draft_agreement.refresh_from_db()
    assert draft_agreement.sent_for_signature_on is None
    response = coordinator_client.post(url, {"on": "pas une date"})
    assert "Saisissez une date valide" in page_text(response)


def test_editing_an_agreement_in_force_offers_an_amendment(coordinator_client, draft_agreement):
    draft_agreement.hard_end_date = None
    draft_agreement.save()
    coordinator_client.post(
        reverse("agreements:send_for_signature", args=[draft_agreement.pk]), {"on": "2026-09-01"}
    )
    for s in draft_agreement.signatories.all():
        coordinator_client.post(
            reverse("agreements:signature_record", args=[draft_agreement.pk, s.pk]),
            {"on": "2026-09-10"},
        )
    assert draft_agreement.timeline().status == AgreementStatus.IN_FORCE
    response = coordinator_client.get(reverse("agreements:edit", args=[draft_agreement.pk]))
    assert response["Location"] == reverse(
        "agreements:amendment_prepare", args=[draft_agreement.pk]
    )
    page = coordinator_client.get(response["Location"])
    assert page.status_code == 200
    formset = page.context["formset"]
    assert formset.total_form_count() == 8 + 2  # the current table, plus two empty lines


def test_successor_draft_from_an_ended_agreement(coordinator_client, signed_agreement):
    response = coordinator_client.post(reverse("agreements:successor", args=[signed_agreement.pk]))
    successor = signed_agreement.successor
    assert response["Location"] == successor.get_absolute_url()
    assert successor.timeline(date(2026, 11, 26)).status == AgreementStatus.DRAFT


def test_short_label_tells_agreements_apart(signed_agreement):
    assert signed_agreement.short_label == "Convention 2023 – 2026 (Vague 2)"
    signed_agreement.reference = "CONV-2024-07"
    assert signed_agreement.short_label == "CONV-2024-07"


def _in_force(client, agreement):
    agreement.hard_end_date = None
    agreement.save()
    client.post(reverse("agreements:send_for_signature", args=[agreement.pk]), {"on": "2026-09-01"})
    for s in agreement.signatories.all():
        client.post(
            reverse("agreements:signature_record", args=[agreement.pk, s.pk]), {"on": "2026-09-10"}
        )
    assert agreement.timeline().status == AgreementStatus.IN_FORCE
    return agreement


def test_amendment_through_the_pages(coordinator_client, draft_agreement):
    from relais.agreements.queries import commitment_totals, commitments_valid_on

    agreement = _in_force(coordinator_client, draft_agreement)
    url = reverse("agreements:amendment_prepare", args=[agreement.pk])
    formset = coordinator_client.get(url).context["formset"]
    data = {
        "subject": "Une demi-journée de plus à Vinça",
        "dated_on": "2026-10-01",
        "effective_from": "2026-10-05",
        "lignes-TOTAL_FORMS": formset.total_form_count(),
        "lignes-INITIAL_FORMS": formset.initial_form_count(),
        "lignes-MIN_NUM_FORMS": 0,
        "lignes-MAX_NUM_FORMS": 1000,
    }
    for i, form in enumerate(formset.forms):
        for name in ("place", "count", "unit", "frequency", "modality"):
            value = form.initial.get(name, "")
            if (
                name == "count"
                and form.initial.get("place")
                and "Vinça" in str(form.fields["place"].queryset.get(pk=form.initial["place"]))
            ):
                value = 2
            data[f"lignes-{i}-{name}"] = value
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, page_text(response)
    amendment = agreement.amendments.get()
    for party in ("department", "partner"):
        coordinator_client.post(
            reverse("agreements:amendment_sign", args=[agreement.pk, amendment.pk]),
            {"party": party, "on": "2026-10-02"},
        )
    amendment.refresh_from_db()
    assert amendment.is_signed
    after = commitment_totals(commitments_valid_on(agreement, date(2026, 10, 5)))
    assert after.half_days_per_week == 14


@pytest.mark.now("2026-11-26T10:00")  # the notice dates below are fixed
def test_termination_and_opposition_through_the_pages(coordinator_client, draft_agreement):
    agreement = _in_force(coordinator_client, draft_agreement)
    response = coordinator_client.post(
        reverse("agreements:termination", args=[agreement.pk]),
        {"kind": "fault", "initiated_by": "department"},
    )
    assert "Indiquez la date de réception de la mise en demeure" in page_text(response)
    response = coordinator_client.post(
        reverse("agreements:termination", args=[agreement.pk]),
        {
            "kind": "fault",
            "initiated_by": "department",
            "notice_sent_on": "2026-11-02",
            "notice_received_on": "2026-11-04",
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.timeline(date(2026, 11, 26)).pending_termination_on == date(2026, 12, 4)
    page = page_text(coordinator_client.get(agreement.get_absolute_url()))
    assert "Résiliation effective le 4 décembre 2026" in page
