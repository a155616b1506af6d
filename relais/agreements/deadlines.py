"""What is due on the agreements: deadlines for the coordinators' page, dashboard and alerts.

Every date comes from :meth:`Agreement.timeline` (the one function that knows Art. 6 and 7) and
from the recorded facts of the models; nothing here recomputes anniversaries or notices.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils.translation import ngettext

from relais.core.french import french_date

from .enums import AgreementStatus, EndReason
from .models import Agreement, AgreementParty

# An agreement sent for signature is chased once this many days have passed without all the
# signatures (the alert rule and the "relancer" item use the same delay).
SIGNATURE_REMINDER_DAYS = 30
# Ended agreements stay on the list this long, so the next agreement gets prepared…
ENDED_RECENTLY_DAYS = 90
# …and longer while no next agreement is recorded: the partner has no convention any more.
ENDED_WITHOUT_SUCCESSOR_DAYS = 365
SOON_DAYS = 30


class Kind:
    """Stable slugs of deadline kinds (stored in AlertLog.kind: never rename one)."""

    OPPOSITION_DEADLINE = "opposition_deadline"
    ANNIVERSARY = "anniversary"
    HARD_END = "hard_end"
    END = "end"  # end by opposition or at the end of a non-renewable term
    TERMINATION = "termination"  # Art. 7 notice running
    ENDED = "ended"
    UNSIGNED = "unsigned"
    DRAFT = "draft"
    PARTY_BLANKS = "party_blanks"
    INSURANCE_EXPIRY = "insurance_expiry"  # Art. 4.2 certificate about to expire


class Severity:
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


SEVERITY_LABELS = {
    Severity.OVERDUE: "Échues ou en retard",
    Severity.SOON: f"Dans les {SOON_DAYS} prochains jours ou à faire maintenant",
    Severity.LATER: "Plus tard",
}


@dataclass(frozen=True)
class Deadline:
    agreement: Agreement
    kind: str
    due_on: date | None
    label: str
    severity: str
    hint: str = ""


def severity_for(due_on: date | None, today: date, *, urgent_if_undated: bool = False) -> str:
    if due_on is None:
        return Severity.SOON if urgent_if_undated else Severity.LATER
    if due_on < today:
        return Severity.OVERDUE
    if (due_on - today).days <= SOON_DAYS:
        return Severity.SOON
    return Severity.LATER


def _has_successor(agreement: Agreement) -> bool:
    try:
        return agreement.successor is not None
    except Agreement.successor.RelatedObjectDoesNotExist:
        return False


def _default_agreements():
    return Agreement.objects.select_related("partner", "department", "successor").prefetch_related(
        "signatories",
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
    )


def deadlines_for(agreement: Agreement, today: date, horizon_days: int = 120) -> list[Deadline]:
    """The deadlines of one agreement on ``today``, up to ``horizon_days`` ahead."""
    timeline = agreement.timeline(today)
    horizon = today + timedelta(days=horizon_days)
    items: list[Deadline] = []

    def add(kind, due_on, label, hint="", urgent_if_undated=False):
        if due_on is not None and due_on > horizon:
            return
        severity = severity_for(due_on, today, urgent_if_undated=urgent_if_undated)
        items.append(Deadline(agreement, kind, due_on, label, severity, hint))

    status = timeline.status
    awaiting = status == AgreementStatus.AWAITING_SIGNATURES

    if status == AgreementStatus.DRAFT:
        add(Kind.DRAFT, None, "Brouillon à finaliser et à envoyer à la signature")

    if awaiting and timeline.unsigned_count:
        unsigned = [s for s in agreement.signatories.all() if s.signed_on is None]
        names = ", ".join(s.name for s in unsigned)
        count = timeline.unsigned_count
        label = (
            ngettext("%(count)s signature à recueillir", "%(count)s signatures à recueillir", count)
            % {"count": count}
            + f" : {names}"
        )
        due_on = None
        if agreement.sent_for_signature_on:
            sent = agreement.sent_for_signature_on
            due_on = sent + timedelta(days=SIGNATURE_REMINDER_DAYS)
            label += f" (envoyée à la signature le {french_date(sent)})"
        add(
            Kind.UNSIGNED,
            due_on,
            label,
            hint="Relancer les signataires et saisir les dates de signature reçues.",
            urgent_if_undated=True,
        )

    # An ended agreement's blanks no longer matter: only its successor's do.
    parties = [] if status == AgreementStatus.ENDED else agreement.parties.all()
    for party in parties:
        if party.blanks:
            add(
                Kind.PARTY_BLANKS,
                None,
                f"À compléter pour {party.organisation.name} : {', '.join(party.blanks)}",
                urgent_if_undated=awaiting,
            )

    if status in (AgreementStatus.IN_FORCE, AgreementStatus.AWAITING_SIGNATURES):
        # Art. 4.2: the partner is insured for the whole term; a recorded certificate that
        # expires before the agreement ends is chased (nothing recorded: a to-do on the page).
        certificate = agreement.insurance_certificates.first()
        ends = timeline.end_date
        if certificate and (ends is None or certificate.valid_until < ends):
            add(
                Kind.INSURANCE_EXPIRY,
                certificate.valid_until,
                f"Attestation d'assurance responsabilité civile ({certificate.insurer}, "
                f"n° {certificate.policy_number}) valable jusqu'au "
                f"{french_date(certificate.valid_until)}",
                hint="Demander au bénéficiaire l'attestation suivante (art. 4.2).",
            )

    if timeline.pending_termination_on:
        add(
            Kind.TERMINATION,
            timeline.pending_termination_on,
            "Résiliation en cours : dernier jour en vigueur le "
            f"{french_date(timeline.pending_termination_on)}",
        )

    if status == AgreementStatus.IN_FORCE:
        deadline = timeline.opposition_deadline
        # A passed deadline is no longer actionable: the anniversary item says what follows.
        if deadline and deadline >= today:
            add(
                Kind.OPPOSITION_DEADLINE,
                deadline,
                "Date limite pour s'opposer à la reconduction tacite "
                f"(date anniversaire du {french_date(timeline.next_anniversary)})",
                hint="Sans opposition expresse à cette date, la convention est reconduite.",
            )
        # Anniversaries never fall after the end date (the timeline stops at the end).
        anniversary = timeline.next_anniversary
        if anniversary:
            renewed = agreement.tacit_renewal and agreement.opposed_on is None
            label = "Date anniversaire : reconduction tacite" if renewed else "Date anniversaire"
            add(Kind.ANNIVERSARY, anniversary, label)
        end_date = timeline.end_date
        if end_date and end_date >= today and end_date != timeline.pending_termination_on:
            if timeline.end_reason == EndReason.HARD_END:
                add(
                    Kind.HARD_END,
                    end_date,
                    f"Fin de la convention (au plus tard le {french_date(end_date)})",
                    hint="Préparer la convention suivante.",
                )
            elif timeline.end_reason in (EndReason.OPPOSITION, EndReason.TERM):
                reason = EndReason(timeline.end_reason).label.lower()
                add(
                    Kind.END,
                    end_date,
                    f"Fin de la convention le {french_date(end_date)} ({reason})",
                    hint="Préparer la convention suivante.",
                )

    if status == AgreementStatus.ENDED and timeline.end_date:
        age = (today - timeline.end_date).days
        successor = _has_successor(agreement)
        window = ENDED_RECENTLY_DAYS if successor else ENDED_WITHOUT_SUCCESSOR_DAYS
        if age <= window:
            add(
                Kind.ENDED,
                timeline.end_date,
                f"Terminée le {french_date(timeline.end_date)}",
                hint="" if successor else "Préparer la convention suivante.",
            )
    return items


def _sort_key(deadline: Deadline):
    return (
        deadline.due_on is None,
        deadline.due_on or date.max,
        deadline.agreement.title,
        deadline.agreement.pk or 0,
        deadline.kind,
    )


def upcoming_deadlines(today: date, horizon_days: int = 120, agreements=None) -> list[Deadline]:
    """Every deadline of ``agreements`` (all by default) on ``today``, soonest first.

    Undated items (drafts, blanks to fill, signatures not yet chased) come last. Past items are
    kept when they still call for action: overdue signature reminders and recently ended
    agreements (see ENDED_RECENTLY_DAYS and ENDED_WITHOUT_SUCCESSOR_DAYS).
    """
    if agreements is None:
        agreements = _default_agreements()
    items = [d for a in agreements for d in deadlines_for(a, today, horizon_days)]
    return sorted(items, key=_sort_key)


def group_by_severity(deadlines: list[Deadline]) -> list[tuple[str, str, list[Deadline]]]:
    """(severity, French heading, deadlines) for the non-empty groups, most urgent first."""
    groups = []
    for severity in (Severity.OVERDUE, Severity.SOON, Severity.LATER):
        members = [d for d in deadlines if d.severity == severity]
        if members:
            groups.append((severity, SEVERITY_LABELS[severity], members))
    return groups
