"""Agreement writes through the services: drafts, signatures, Art. 6–8 events, amendments."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from relais.agreements import queries, services
from relais.agreements.enums import (
    AgreementStatus,
    CommitmentFrequency,
    CommitmentUnit,
    EndReason,
    Modality,
    PartyRole,
    TerminationKind,
)
from relais.agreements.models import Commitment

pytestmark = pytest.mark.django_db


def test_draft_snapshots_the_parties(draft_agreement, department, partner):
    parties = {p.role: p for p in draft_agreement.parties.all()}
    assert parties[PartyRole.DEPARTMENT].organisation == department
    assert parties[PartyRole.PARTNER].representative_name == partner.representative_name
    assert "numéro de la délibération qui autorise la signature" in parties["partner"].blanks


def test_seed_totals_are_13_half_days_a_week(draft_agreement):
    totals = queries.commitment_totals(draft_agreement.commitments.all())
    assert totals.half_days_per_week == Decimal(13)
    assert totals.hours_per_week == Decimal("45.5")  # 13 × 3.5 h
    assert totals.places == 8


def test_sending_freezes_the_draft(draft_agreement, place):
    services.agreement_send_for_signature(agreement=draft_agreement, on=date(2024, 3, 1))
    assert draft_agreement.timeline().status == AgreementStatus.AWAITING_SIGNATURES
    with pytest.raises(ValidationError, match="préparez un avenant"):
        services.agreement_update_draft(agreement=draft_agreement, title="Autre")
    with pytest.raises(ValidationError, match="ne changent que par avenant"):
        services.commitment_add(
            agreement=draft_agreement,
            place=place,
            count=1,
            unit="day",
            frequency="weekly",
            modality="on_site",
        )


def test_cannot_send_an_empty_draft(department, partner):
    agreement = services.agreement_create_draft(
        department=department, partner=partner, title="Vide"
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_send_for_signature(agreement=agreement, on=date(2024, 3, 1))
    assert "signataires" in str(error.value) and "engagement" in str(error.value)
    assert agreement.timeline().status == AgreementStatus.DRAFT


def test_in_force_from_last_signature_and_ended_at_hard_end(signed_agreement):
    timeline = signed_agreement.timeline(date(2025, 1, 10))
    assert timeline.status == AgreementStatus.IN_FORCE
    assert timeline.start == date(2024, 3, 20)
    ended = signed_agreement.timeline(date(2026, 11, 26))
    assert (ended.status, ended.end_date, ended.end_reason) == (
        "ended",
        date(2026, 6, 22),
        EndReason.HARD_END,
    )


def test_signature_before_sending_or_in_the_future_is_refused(draft_agreement):
    signatory = draft_agreement.signatories.first()
    with pytest.raises(ValidationError, match="Envoyez d'abord"):
        services.signature_record(signatory=signatory, signed_on=date(2024, 3, 5))
    services.agreement_send_for_signature(agreement=draft_agreement, on=date(2024, 3, 1))
    with pytest.raises(ValidationError, match="futur"):
        services.signature_record(signatory=signatory, signed_on=date(2099, 1, 1))
    with pytest.raises(ValidationError, match="précéder l'envoi"):
        services.signature_record(signatory=signatory, signed_on=date(2024, 2, 1))
    signatory.refresh_from_db()
    assert signatory.signed_on is None


def _recent_signed(draft_agreement, freezer_day=None):
    """Sign recently so the agreement is in force today (the seed's has ended)."""
    draft_agreement.hard_end_date = None
    draft_agreement.save()
    services.agreement_send_for_signature(agreement=draft_agreement, on=date(2026, 9, 1))
    for s in draft_agreement.signatories.all():
        services.signature_record(signatory=s, signed_on=date(2026, 9, 15))
    return draft_agreement


def test_amendment_changes_commitments_from_its_effective_date_once_signed(draft_agreement):
    agreement = _recent_signed(draft_agreement)
    prades = agreement.commitments.get(place__commune__name="Prades")
    lines = [
        services.CommitmentSpec(
            place=c.place, count=c.count, unit=c.unit, frequency=c.frequency, modality=c.modality
        )
        for c in agreement.commitments.exclude(pk=prades.pk)
    ]
    lines.append(
        services.CommitmentSpec(
            place=prades.place,
            count=3,
            unit=CommitmentUnit.DAY,
            frequency=CommitmentFrequency.WEEKLY,
            modality=Modality.ON_SITE,
        )
    )
    amendment = services.amendment_prepare(
        agreement=agreement,
        subject="Une journée de plus à Prades",
        dated_on=date(2026, 10, 1),
        effective_from=date(2026, 10, 5),
        commitments=lines,
    )
    # Unsigned: nothing changes.
    after = queries.commitments_valid_on(agreement, date(2026, 11, 1))
    assert queries.commitment_totals(after).half_days_per_week == 13
    services.amendment_sign(amendment=amendment, party=PartyRole.DEPARTMENT, on=date(2026, 10, 2))
    assert (
        queries.commitment_totals(
            queries.commitments_valid_on(agreement, date(2026, 11, 1))
        ).half_days_per_week
        == 13
    )
    services.amendment_sign(amendment=amendment, party=PartyRole.PARTNER, on=date(2026, 10, 3))
    # History kept: before the effective date, the original table; from it, the new one.
    before = queries.commitments_valid_on(agreement, date(2026, 10, 4))
    assert queries.commitment_totals(before).half_days_per_week == 13
    now = queries.commitments_valid_on(agreement, date(2026, 10, 5))
    assert queries.commitment_totals(now).half_days_per_week == 15
    assert Commitment.objects.filter(agreement=agreement).count() == 16
    with pytest.raises(ValidationError, match="ne peut plus être retiré"):
        services.amendment_withdraw(amendment=amendment)


def test_withdrawing_an_unsigned_amendment_restores_the_table(draft_agreement):
    agreement = _recent_signed(draft_agreement)
    amendment = services.amendment_prepare(
        agreement=agreement,
        subject="Test",
        dated_on=date(2026, 10, 1),
        effective_from=date(2026, 10, 5),
        commitments=[
            services.CommitmentSpec(
                place=agreement.commitments.first().place,
                count=1,
                unit="half_day",
                frequency="weekly",
                modality="on_site",
            )
        ],
    )
    with pytest.raises(ValidationError, match="attend déjà"):
        services.amendment_prepare(
            agreement=agreement,
            subject="Deux",
            dated_on=date(2026, 10, 1),
            effective_from=date(2026, 10, 5),
            commitments=[],
        )
    services.amendment_withdraw(amendment=amendment)
    assert agreement.commitments.count() == 8
    assert not agreement.commitments.filter(ended_by__isnull=False).exists()


def test_amendment_refused_for_a_draft_or_ended_agreement(draft_agreement, signed_agreement):
    with pytest.raises(ValidationError, match="en vigueur"):
        services.amendment_prepare(
            agreement=signed_agreement,
            subject="x",
            dated_on=date(2026, 11, 1),
            effective_from=date(2026, 11, 1),
            commitments=[],
        )


@pytest.mark.now("2026-11-26T10:00")  # the agreement's dates below are fixed
def test_opposition_and_termination(draft_agreement):
    agreement = _recent_signed(draft_agreement)
    services.agreement_record_opposition(
        agreement=agreement, by=PartyRole.PARTNER, on=date(2026, 10, 1)
    )
    timeline = agreement.timeline(date(2026, 11, 26))
    assert (timeline.end_date, timeline.end_reason) == (date(2027, 9, 14), EndReason.OPPOSITION)
    services.agreement_record_termination(
        agreement=agreement,
        kind=TerminationKind.FAULT,
        initiated_by=PartyRole.DEPARTMENT,
        notice_sent_on=date(2026, 11, 2),
        notice_received_on=date(2026, 11, 4),
    )
    timeline = agreement.timeline(date(2026, 11, 26))
    assert timeline.pending_termination_on == date(2026, 12, 4)
    services.agreement_record_remedy(agreement=agreement, on=date(2026, 11, 20))
    assert agreement.timeline(date(2026, 12, 10)).status == AgreementStatus.IN_FORCE


def test_termination_needs_its_date(draft_agreement):
    agreement = _recent_signed(draft_agreement)
    with pytest.raises(ValidationError, match="réception de la mise en demeure"):
        services.agreement_record_termination(
            agreement=agreement, kind=TerminationKind.FAULT, initiated_by=PartyRole.DEPARTMENT
        )


def test_successor_is_a_draft_copy(signed_agreement):
    successor = services.agreement_start_successor(agreement=signed_agreement)
    assert successor.predecessor == signed_agreement
    assert successor.timeline().status == AgreementStatus.DRAFT
    assert successor.commitments.count() == 8
    assert successor.signatories.filter(signed_on__isnull=True).count() == 2
    assert successor.hard_end_date is None
    with pytest.raises(ValidationError, match="existe déjà"):
        services.agreement_start_successor(agreement=signed_agreement)


def test_a_double_submit_creates_one_successor_and_the_second_gets_it(
    signed_agreement, monkeypatch
):
    """Issue 12: two requests both passed the « no successor yet » check, and the second insert
    broke the unique ``predecessor`` (IntegrityError, 500). The race is replayed in one
    connection: the first request's successor appears between the check and the insert."""
    from relais.agreements.models import Agreement

    real_full_clean = Agreement.full_clean
    racing = []

    def full_clean_then_lose_the_race(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        if self.pk is None and self.predecessor_id == signed_agreement.pk and not racing:
            racing.append("first request running")
            other_request = Agreement.objects.get(pk=signed_agreement.pk)  # its own instance
            racing[0] = services.agreement_start_successor(agreement=other_request)

    monkeypatch.setattr(Agreement, "full_clean", full_clean_then_lose_the_race)
    successor = services.agreement_start_successor(agreement=signed_agreement)
    assert successor == racing[0]
    assert Agreement.objects.filter(predecessor=signed_agreement).count() == 1
    assert successor.commitments.count() == 8  # the winner's complete copy


def test_a_double_submit_prepares_one_amendment_and_the_second_gets_it(
    draft_agreement, monkeypatch
):
    """Issue 12: both requests numbered their amendment n° 1; the second broke the unique
    number (IntegrityError, 500). Replayed in one connection, as for the successor."""
    from relais.agreements.models import Agreement, Amendment

    agreement = _recent_signed(draft_agreement)
    line = services.CommitmentSpec(
        place=agreement.commitments.first().place,
        count=1,
        unit="half_day",
        frequency="weekly",
        modality="on_site",
    )
    prepare = {
        "subject": "Une journée de plus",
        "dated_on": date(2026, 10, 1),
        "effective_from": date(2026, 10, 5),
        "commitments": [line],
    }
    real_full_clean = Amendment.full_clean
    racing = []

    def full_clean_then_lose_the_race(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        if self.pk is None and not racing:
            racing.append("first request running")
            other_request = Agreement.objects.get(pk=agreement.pk)
            racing[0] = services.amendment_prepare(agreement=other_request, **prepare)

    monkeypatch.setattr(Amendment, "full_clean", full_clean_then_lose_the_race)
    amendment = services.amendment_prepare(agreement=agreement, **prepare)
    assert amendment == racing[0]
    assert agreement.amendments.count() == 1
    assert amendment.introduced_commitments.count() == 1  # the winner's table, once
