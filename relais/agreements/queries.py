"""Reads for agreement pages: lists with their timeline, commitments valid on a date."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import ngettext

from . import perms
from .enums import CommunicationStatus, ContactRole, PartyRole
from .importing import patterns
from .models import Agreement, Commitment, CommunicationRequest


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
    if timeline.status in ("awaiting_signatures", "in_force"):
        todos.extend(_contact_todos(agreement))
        pending = agreement.communication_requests.filter(
            status=CommunicationStatus.PENDING
        ).count()
        if pending:
            todos.append(
                ngettext(
                    "%(count)s demande de communication en attente d'autorisation (art. 5)",
                    "%(count)s demandes de communication en attente d'autorisation (art. 5)",
                    pending,
                )
                % {"count": pending}
            )
    # A place-holder left in the signed text ("[localisation du point d'accueil]").
    todos.extend(
        f"Texte signé : « {placeholder} » laissé à compléter"
        for placeholder in dict.fromkeys(re.findall(patterns.PLACEHOLDER, agreement.text))
    )
    return todos


def _contact_todos(agreement: Agreement) -> list[str]:
    """The people the clauses name and nobody recorded yet (Art. 3.3 and 4.1)."""
    current = {(c.party, c.role) for c in agreement.contacts.all() if c.until is None}
    wanted = [
        (
            (PartyRole.DEPARTMENT, ContactRole.TECHNICAL_TEAM),
            "l'équipe technique dédiée (art. 3.3)",
        ),
        (
            (PartyRole.PARTNER, ContactRole.REGULAR_CONTACT),
            "l'interlocuteur régulier du bénéficiaire (art. 3.3)",
        ),
        (
            (PartyRole.DEPARTMENT, ContactRole.EDITORIAL),
            "le responsable éditorial du Département (art. 4.1)",
        ),
        (
            (PartyRole.PARTNER, ContactRole.EDITORIAL),
            "le responsable éditorial du bénéficiaire (art. 4.1)",
        ),
    ]
    return [f"Désigner {label}" for key, label in wanted if key not in current]


def agreement_for(pk: int) -> Agreement:
    return get_object_or_404(Agreement.objects.with_related(), pk=pk)


def communication_requests_visible_to(user) -> list[CommunicationRequest]:
    """The Art. 5 requests of the agreements a user may read, newest first."""
    requests = CommunicationRequest.objects.select_related("agreement__partner")
    if user.is_partner_staff:
        requests = requests.filter(agreement__partner_id=user.organisation_id)
    return list(requests.order_by("-submitted_on", "-pk"))


def communication_requests_to_decide(user) -> list[CommunicationRequest]:
    """The open Art. 5 requests whose decision is this user's side's (the other party's)."""
    return [
        r
        for r in communication_requests_visible_to(user)
        if r.is_open and perms.can_decide_communication(user, r)
    ]
