"""Reads for agreement pages: lists with their timeline, commitments valid on a date."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from .importing import patterns
from .models import Agreement, Commitment


@dataclass(frozen=True)
class CommitmentTotals:
    half_days_per_week: Decimal
    hours_per_week: Decimal
    places: int


def agreements_visible_to(user):
    """Agreements a user may list, with what their rows need."""
    agreements = Agreement.objects.select_related("partner", "department").prefetch_related(
        "signatories"
    )
    if user.is_partner_staff:
        agreements = agreements.filter(partner_id=user.organisation_id)
    return agreements


def agreements_with_timelines(user, today: date | None = None) -> list[tuple]:
    """(agreement, timeline) pairs; timelines are computed in Python from prefetched facts."""
    today = today or timezone.localdate()
    return [(a, a.timeline(today)) for a in agreements_visible_to(user)]


def commitments_valid_on(agreement: Agreement, day: date):
    """The Art. 1.2 table as it stands on ``day`` (original lines and signed amendments)."""
    return (
        Commitment.objects.filter(agreement=agreement)
        .valid_on(day)
        .select_related("place__commune", "agreement", "introduced_by")
        .order_by("position", "pk")
    )


def commitment_totals(commitments) -> CommitmentTotals:
    """Weekly totals of a set of commitments (a day counts two half-days)."""
    commitments = list(commitments)
    return CommitmentTotals(
        half_days_per_week=sum((c.weekly_half_days for c in commitments), Decimal(0)),
        hours_per_week=sum((c.weekly_hours for c in commitments), Decimal(0)),
        places=len({c.place_id for c in commitments}),
    )


def agreement_todos(agreement: Agreement, timeline) -> list[str]:
    """What still has to be filled in or obtained for this agreement, in French."""
    todos = []
    for party in agreement.parties.all():
        todos.extend(f"{party.get_role_display()} : {blank} à compléter" for blank in party.blanks)
    signatories = list(agreement.signatories.all())
    if not signatories:
        todos.append("Désigner les signataires")
    if not agreement.commitments.exists():
        todos.append("Renseigner le tableau des engagements (art. 1.2)")
    if timeline.status == "awaiting_signatures":
        todos.extend(
            f"Signature attendue : {s.title} ({s.name})" for s in signatories if s.signed_on is None
        )
    if timeline.status in ("awaiting_signatures", "in_force") and not (
        agreement.insurance_certificates.exists()
    ):
        todos.append(
            "Attestation d'assurance responsabilité civile du bénéficiaire à obtenir (art. 4.2)"
        )
    # A place-holder left in the signed text ("[localisation du point d'accueil]").
    todos.extend(
        f"Texte signé : « {placeholder} » laissé à compléter"
        for placeholder in dict.fromkeys(re.findall(patterns.PLACEHOLDER, agreement.text))
    )
    return todos
