"""Data-subject rights of the people helped (GDPR art. 15 to 21): register, export, effects.

The register (``privacy.models.RightsRequest``) holds every request with its deadline: one
month after receipt (art. 12.3), computed month-end safe (31 January → 28 or 29 February). ``relais
send-rights-reminders`` (daily) reminds whoever handles a request 7 days before the deadline, on
the day and once it is overdue, each reminder once.

Effects, decided here and described in docs/operations.md (« Droits des personnes »):

- **access / portability**: ``beneficiary_export`` gathers everything held about the person
  (record, activities, mandates and their actions, rights requests, any row of another app
  linked to the record, and who accessed the record according to the journal), as JSON
  (portability) and PDF (access). Other people's data are left out: collective counts, other
  participants, advisers' names (« l'équipe départementale »), and the advisers' private notes
  except those of the adviser who exports (a note is its author's only). Every export is
  journaled.
- **rectification**: the record is edited through ``beneficiaries.services.beneficiary_update``
  (the usual edit page); activities' anonymous counts follow.
- **erasure**: ``rights_erasure_apply`` deletes the record through
  ``beneficiaries.services.beneficiary_delete`` (activities stay, anonymised), which destroys
  the mandates and their scans too; the register keeps the request without the name.
- **opposition** (processing for a task in the public interest, art. 21):
  ``rights_opposition_apply`` records it; from then on the person's active mandates are
  revoked, no new mandate can be signed and the record shows the opposition. Nothing else is
  done with the record, which is deleted at its normal term, or at once if the person also asks
  for erasure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from relais.accounts.queries import coordinator_emails
from relais.beneficiaries.services import beneficiary_delete
from relais.core.site import site_url
from relais.core.validators import PROGRAMME_START
from relais.mandates.models import Mandate
from relais.mandates.services import mandate_revoke
from relais.messaging.outbox import outbox_email
from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_append
from relais.privacy.models import RightsKind, RightsRequest, RightsStatus

from .queries import rights_requests_open

RESPONSE_DELAY = relativedelta(months=1)


# Art. 12.3: "extended by two further months where necessary".
EXTENSION_DELAY = relativedelta(months=2)


# Reminder stages: (code, days before the deadline, label). Sent once each, in this order.
REMINDER_STAGES = (
    ("j-7", 7, "dans 7 jours"),
    ("j", 0, "aujourd'hui"),
    ("late", -1, "dépassée"),
)


def due_date(received_on: date) -> date:
    """One month after receipt; relativedelta clamps to the month's last day."""
    return received_on + RESPONSE_DELAY


def received_floor() -> date:
    """The earliest plausible date of receipt: the programme's start (nothing was held about
    anyone before it); a mistyped year (1999 for 2025) would otherwise be "late" at once."""
    return PROGRAMME_START


def received_on_problem(received_on: date, today: date | None = None) -> str:
    """Why a date of receipt is not plausible, in French ("" when it is)."""
    today = today or timezone.localdate()
    if received_on > today:
        return "La date de réception ne peut pas être dans le futur."
    floor = received_floor()
    if received_on < floor:
        return (
            f"La date de réception ne peut pas précéder le {floor:%d/%m/%Y}, début du programme "
            ": vérifiez l'année saisie."
        )
    return ""


def _journal(user, request: RightsRequest, event: str, **details) -> None:
    journal_append(
        actor=user,
        action=JournalAction.RIGHTS_REQUEST,
        subject=request,
        details={
            "event": event,
            "kind": request.kind,
            "beneficiary": request.beneficiary_id,
            **details,
        },
    )


def rights_request_create(
    *,
    user,
    kind: str,
    channel: str,
    received_on: date,
    beneficiary=None,
    requester_label: str = "",
) -> RightsRequest:
    request = RightsRequest(
        beneficiary=beneficiary,
        requester_label="" if beneficiary else requester_label.strip(),
        kind=kind,
        channel=channel,
        received_on=received_on,
        due_on=due_date(received_on),
        handled_by=user,
        created_by=user,
    )
    errors = {}
    if beneficiary is None and not request.requester_label:
        errors["requester_label"] = "Indiquez qui fait la demande, ou ouvrez-la depuis sa fiche."
    if problem := received_on_problem(received_on):
        errors["received_on"] = problem
    if errors:
        raise ValidationError(errors)
    request.full_clean()
    with transaction.atomic():
        request.save()
        _journal(user, request, "received", due_on=request.due_on.isoformat())
    return request


def rights_request_close(
    *, request: RightsRequest, user, status: str, outcome: str, today=None
) -> RightsRequest:
    if request.status != RightsStatus.OPEN:
        raise ValidationError("Cette demande est déjà close.")
    if status not in {RightsStatus.DONE, RightsStatus.REFUSED}:
        raise ValidationError({"status": "Choisissez « traitée » ou « refusée »."})
    if status == RightsStatus.REFUSED and not outcome.strip():
        raise ValidationError({"outcome": "Un refus est motivé (art. 12.4 RGPD)."})
    request.status = status
    request.outcome = outcome.strip()
    request.closed_on = today or timezone.localdate()
    request.handled_by = user
    request.full_clean()
    with transaction.atomic():
        request.save()
        _journal(
            user,
            request,
            "closed",
            status=status,
            late=request.closed_on > request.due_on,
        )
    return request


def rights_request_extend(
    *, request: RightsRequest, user, reason: str, person_informed_on: date, today=None
) -> RightsRequest:
    """Extend the deadline by two months (art. 12.3), once, with the reasons; the person must
    have been informed of it, and why, within the month following receipt."""
    today = today or timezone.localdate()
    errors = {}
    if request.status != RightsStatus.OPEN:
        raise ValidationError("Cette demande est déjà close.")
    if request.extended_on:
        raise ValidationError("Le délai de cette demande est déjà prolongé (une fois au plus).")
    if not reason.strip():
        errors["reason"] = "Indiquez le motif de la prolongation (complexité, nombre de demandes)."
    first_due = due_date(request.received_on)
    if person_informed_on is None:
        errors["person_informed_on"] = "Indiquez quand la personne a été informée."
    elif person_informed_on < request.received_on or person_informed_on > today:
        errors["person_informed_on"] = (
            "La personne est informée entre la réception de la demande et aujourd'hui."
        )
    elif person_informed_on > first_due:
        errors["person_informed_on"] = (
            f"La personne doit être informée dans le mois qui suit la réception, soit au plus "
            f"tard le {first_due:%d/%m/%Y} (RGPD, art. 12.3)."
        )
    if errors:
        raise ValidationError(errors)
    request.extended_on = today
    request.extension_reason = reason.strip()
    request.person_informed_on = person_informed_on
    request.due_on = first_due + EXTENSION_DELAY
    # The reminders start again for the new deadline.
    request.reminders_sent = []
    request.full_clean()
    with transaction.atomic():
        request.save()
        _journal(user, request, "extended", due_on=request.due_on.isoformat())
    return request


@dataclass
class ReminderReport:
    sent: int = 0
    skipped: int = 0


def _stage_due(request: RightsRequest, today: date) -> str | None:
    """The most advanced stage reached and not yet sent (earlier missed ones are skipped)."""
    reached = [
        code for code, days, _ in REMINDER_STAGES if today >= request.due_on - timedelta(days=days)
    ]
    if not reached or reached[-1] in request.reminders_sent:
        return None
    return reached[-1]


def _recipients(request: RightsRequest) -> list[str]:
    for user in (request.handled_by, request.created_by):
        if user is not None and user.is_active and user.email:
            return [user.email]
    return coordinator_emails()


def rights_reminders_send(today: date | None = None) -> ReminderReport:
    """Remind whoever handles each open request; idempotent (each stage is sent once)."""
    today = today or timezone.localdate()
    report = ReminderReport()
    labels = {code: label for code, _, label in REMINDER_STAGES}
    for request in rights_requests_open().select_related("handled_by", "created_by"):
        stage = _stage_due(request, today)
        if stage is None:
            continue
        recipients = _recipients(request)
        if not recipients:
            report.skipped += 1
            continue
        # No name in the message: the number, the right, the deadline and the link.
        body = render_to_string(
            "rights/email/rights_reminder.txt",
            {
                "request": request,
                "when": labels[stage],
                "url": site_url(reverse("rights:detail", args=[request.pk])),
            },
        )
        subject = (
            f"Relais — demande d'exercice des droits n° {request.pk} : échéance {labels[stage]}"
        )
        with transaction.atomic():
            locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
            if stage in locked.reminders_sent:
                continue
            locked.reminders_sent = [*locked.reminders_sent, stage]
            locked.save(update_fields=["reminders_sent"])
            # Committed with the stage recorded: sent once, by the outbox, retried if refused.
            for recipient in recipients:
                outbox_email(to=recipient, subject=subject, body=body)
        journal_append(
            actor=None,
            action=JournalAction.RIGHTS_REQUEST,
            subject=request,
            details={"event": "reminder", "stage": stage},
        )
        report.sent += 1
    return report


def _request_for(*, beneficiary, user, kind: str, request: RightsRequest | None):
    if request is None:
        request = rights_request_create(
            user=user,
            kind=kind,
            channel="in_person",
            received_on=timezone.localdate(),
            beneficiary=beneficiary,
        )
    elif request.kind != kind or request.beneficiary_id != beneficiary.pk:
        raise ValidationError("Cette demande ne porte pas sur ce droit ni sur cette personne.")
    return request


def rights_opposition_apply(*, beneficiary, user, request: RightsRequest | None = None) -> int:
    """Record the opposition and revoke the active mandates; returns how many were revoked."""
    with transaction.atomic():
        request = _request_for(
            beneficiary=beneficiary, user=user, kind=RightsKind.OPPOSITION, request=request
        )
        revoked = 0
        for mandate in Mandate.objects.active().filter(beneficiary=beneficiary):
            mandate_revoke(mandate=mandate, user=user, reason="Opposition au traitement")
            revoked += 1
        rights_request_close(
            request=request,
            user=user,
            status=RightsStatus.DONE,
            outcome=f"Opposition enregistrée ; {revoked} mandat(s) actif(s) retiré(s) ; aucun "
            "nouveau mandat possible.",
        )
    return revoked


# What an erasure answers for each other open request of the same person.
ERASURE_CLOSES = {
    RightsKind.ACCESS: "Sans objet après l'effacement de la fiche (demande n° {request}) : "
    "le Département ne détient plus de données sur la personne, ce qui lui a été indiqué.",
    RightsKind.PORTABILITY: "Sans objet après l'effacement de la fiche (demande n° {request}) : "
    "plus aucune donnée à transmettre.",
    RightsKind.RECTIFICATION: "Sans objet : les données ont été effacées (demande n° {request}) "
    "au lieu d'être rectifiées.",
    RightsKind.OPPOSITION: "Satisfaite par l'effacement de la fiche (demande n° {request}) : "
    "plus aucun traitement des données de la personne.",
    RightsKind.ERASURE: "Satisfaite : la fiche a été effacée (demande n° {request}).",
}


def rights_erasure_apply(*, beneficiary, user, request: RightsRequest | None = None) -> int:
    """Erase the record (activities kept anonymously, mandates destroyed); returns the number of
    activities anonymised. The request stays in the register, without the person.
    """
    with transaction.atomic():
        request = _request_for(
            beneficiary=beneficiary, user=user, kind=RightsKind.ERASURE, request=request
        )
        mandates = beneficiary.mandates.count()
        # The person's other open requests lose their record: each is answered now, by what
        # the erasure did for it, before the link disappears.
        others = RightsRequest.objects.filter(
            beneficiary=beneficiary, status=RightsStatus.OPEN
        ).exclude(pk=request.pk)
        for other in others:
            rights_request_close(
                request=other,
                user=user,
                status=RightsStatus.DONE,
                outcome=ERASURE_CLOSES[other.kind].format(request=request.pk),
            )
        RightsRequest.objects.filter(beneficiary=beneficiary).update(requester_label="")
        count = beneficiary_delete(beneficiary=beneficiary)
        request.refresh_from_db()
        rights_request_close(
            request=request,
            user=user,
            status=RightsStatus.DONE,
            outcome=f"Fiche effacée ; {count} accompagnement(s) conservé(s) sans nom ; "
            f"{mandates} mandat(s) détruit(s).",
        )
    return count


def journal_export(user, beneficiary, fmt: str, request: RightsRequest | None = None) -> None:
    journal_append(
        actor=user,
        action=JournalAction.PERSONAL_DATA_EXPORT,
        subject=beneficiary,
        details={
            "what": f"export des droits ({fmt})",
            "beneficiary": beneficiary.pk,
            "request": request.pk if request else None,
        },
    )
