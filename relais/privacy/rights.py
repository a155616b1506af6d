"""Data-subject rights of the people helped (GDPR art. 15 to 21): register, export, effects.

The register (``models.RightsRequest``) holds every request with its deadline: one month after
receipt (art. 12.3), computed month-end safe (31 January → 28 or 29 February). ``relais
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

import json
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from relais.accounts.enums import Role
from relais.core.site import site_url
from relais.messaging.outbox import outbox_email

from .enums import JournalAction
from .journal import journal_append
from .models import JournalEntry, RightsKind, RightsRequest, RightsStatus

RESPONSE_DELAY = relativedelta(months=1)
# Art. 12.3: "extended by two further months where necessary".
EXTENSION_DELAY = relativedelta(months=2)
DUE_SOON_DAYS = 7
# Reminder stages: (code, days before the deadline, label). Sent once each, in this order.
REMINDER_STAGES = (
    ("j-7", 7, "dans 7 jours"),
    ("j", 0, "aujourd'hui"),
    ("late", -1, "dépassée"),
)
CLOSED_TERM = relativedelta(years=3)


# --- Permissions ------------------------------------------------------------------------------


def can_handle_rights(user) -> bool:
    """Who keeps the register: record, follow, extend and close requests.

    The controller is the Département (convention, art. 4): its coordinators answer for it,
    with the data protection officer (who has no account: coordinators record what reaches
    the DPO). Advisers keep it too: they meet the people and receive most requests.
    """
    from relais.beneficiaries.perms import can_view_named_data

    return can_view_named_data(user) or (user.is_authenticated and user.role == Role.COORDINATOR)


def can_act_on_record(user) -> bool:
    """Carrying a request out on the person's record (copy, erasure, opposition): the team's
    advisers, who alone see the records (professional secrecy, convention art. 2)."""
    from relais.beneficiaries.perms import can_view_named_data

    return can_view_named_data(user)


def can_view_rights_summary(user) -> bool:
    """Coordinators and administrators follow deadlines without names."""
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}


# --- Register -----------------------------------------------------------------------------------


def due_date(received_on: date) -> date:
    """One month after receipt; relativedelta clamps to the month's last day."""
    return received_on + RESPONSE_DELAY


def received_floor() -> date:
    """The earliest plausible date of receipt: the programme's start (nothing was held about
    anyone before it); a mistyped year (1999 for 2025) would otherwise be "late" at once."""
    from relais.core.validators import PROGRAMME_START

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


def rights_requests_open():
    return RightsRequest.objects.filter(status=RightsStatus.OPEN)


def rights_summary(today=None) -> dict:
    """Counts and deadlines without names (coordinators, administrators, dashboards)."""
    today = today or timezone.localdate()
    open_requests = rights_requests_open()
    return {
        "open_count": open_requests.count(),
        "overdue_count": open_requests.filter(due_on__lt=today).count(),
        "due_soon_count": open_requests.filter(
            due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
        ).count(),
        "closed_late_count": RightsRequest.objects.exclude(status=RightsStatus.OPEN)
        .filter(closed_on__gt=models.F("due_on"))
        .count(),
        "by_kind": [
            {
                "kind": kind,
                "open": open_requests.filter(kind=kind).count(),
                "total": RightsRequest.objects.filter(kind=kind).count(),
            }
            for kind in RightsKind
        ],
        "requests": RightsRequest.objects.only(
            "pk", "kind", "received_on", "due_on", "status", "closed_on"
        ).order_by("status", "due_on", "pk")[:100],
        "today": today,
    }


# --- Reminders ----------------------------------------------------------------------------------


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
    from relais.accounts.models import User

    return list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


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
            "privacy/email/rights_reminder.txt",
            {
                "request": request,
                "when": labels[stage],
                "url": site_url(reverse("privacy:rights_detail", args=[request.pk])),
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


# --- Opposition and erasure ---------------------------------------------------------------------


def is_objecting(beneficiary) -> bool:
    if beneficiary is None or beneficiary.pk is None:
        return False
    return RightsRequest.objects.filter(
        beneficiary=beneficiary, kind=RightsKind.OPPOSITION, status=RightsStatus.DONE
    ).exists()


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
    from relais.mandates.models import Mandate
    from relais.mandates.services import mandate_revoke

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
    from relais.beneficiaries.services import beneficiary_delete

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


# --- Export of everything held ------------------------------------------------------------------

KNOWN_RELATIONS = {"activities.Activity", "mandates.Mandate", "privacy.RightsRequest"}


def _value(value):
    if isinstance(value, models.Model):
        return str(value)
    return value


def _choices(instance, name: str):
    display = getattr(instance, f"get_{name}_display", None)
    return display() if display else getattr(instance, name)


def _generic_rows(beneficiary) -> list[dict]:
    """Rows of any other app pointing to the record (appointments, registrations…)."""
    sections = []
    for relation in beneficiary._meta.related_objects:
        model = relation.related_model
        if model._meta.label in KNOWN_RELATIONS or relation.many_to_many:
            continue
        rows = model._default_manager.filter(**{relation.field.name: beneficiary})
        data = []
        for row in rows:
            item = {}
            for model_field in model._meta.concrete_fields:
                if model_field.is_relation or model_field.name in {"id", relation.field.name}:
                    continue
                if "token" in model_field.name or "secret" in model_field.name:
                    continue
                # ``private_*`` fields are their author's own, like the activities' notes: they
                # are never part of a copy given to someone else.
                if model_field.name.startswith("private"):
                    continue
                item[str(model_field.verbose_name)] = _value(_choices(row, model_field.name))
            data.append(item)
        if data:
            sections.append({"title": str(model._meta.verbose_name_plural), "rows": data})
    return sections


# The journal's ``mandate_action`` entries record every event of a mandate's life; only
# ``action`` is an action done under it. The person reads what each one was.
MANDATE_EVENTS = {
    "signed": "Signature du mandat n° {id}",
    "action": "Action sous mandat",
    "completed": "Fin du mandat n° {id} (démarche aboutie)",
    "revoked": "Retrait du mandat n° {id}",
    "family_revoked": "Retrait d'une famille de démarches du mandat n° {id}",
    "scan_uploaded": "Dépôt du mandat signé n° {id}",
}


def journal_operation_label(entry: dict) -> str:
    """What a journal entry was, in words, from its stored action and details."""
    details = entry.get("details") or {}
    if entry["action"] == JournalAction.MANDATE_ACTION:
        template = MANDATE_EVENTS.get(details.get("event"))
        if template:
            return template.format(id=entry.get("subject_id", ""))
    return dict(JournalAction.choices).get(entry["action"], entry["action"])


CNIL = (
    "Vous pouvez introduire une réclamation auprès de la Commission nationale de l'informatique "
    "et des libertés (CNIL), 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, "
    "www.cnil.fr (RGPD, art. 77)."
)
SOURCE = (
    "Vous-même : les données ont été recueillies auprès de vous par les conseillers de l'équipe "
    "départementale lors de vos accompagnements, ou saisies par vous lors d'une inscription à "
    "un atelier ou d'une prise de rendez-vous en ligne. Aucune donnée ne provient d'un tiers."
)
# The models of what is held about a person, beyond those found by their relation to the record.
EXPORT_MODELS = {
    "beneficiaries.Beneficiary",
    "activities.Activity",
    "mandates.Mandate",
    "mandates.MandateAction",
    "mandates.MandateScan",
    "privacy.RightsRequest",
}


def access_information(beneficiary=None) -> dict:
    """What art. 15.1 requires beside the data, generated from the retention table (the same
    table as the record of processing): purposes, recipients, retention, rights, source."""
    from .registry import registry

    models_held = set(EXPORT_MODELS)
    if beneficiary is not None:
        models_held |= {
            relation.related_model._meta.label
            for relation in beneficiary._meta.related_objects
            if not relation.many_to_many
        }
    rules = [rule for rule in registry.rules() if rule.model in models_held]
    dpo = settings.RELAIS_DPO_CONTACT or "par l'intermédiaire du Département"
    return {
        "finalités": list(dict.fromkeys(f"{r.processing} : {r.purpose}" for r in rules)),
        "bases légales": list(dict.fromkeys(r.legal_basis for r in rules)),
        "destinataires": list(dict.fromkeys(r.recipients for r in rules if r.recipients)),
        "durées de conservation": [
            f"{r.label} : {r.term_label} à compter de : {r.start_event[:1].lower()}"
            f"{r.start_event[1:]} ; au terme : {r.action_label.lower()}"
            for r in rules
        ],
        "transferts hors de l'Union européenne": "Aucun.",
        "décision automatisée": "Aucune décision automatisée ni profilage.",
        "source des données": SOURCE,
        "vos droits": (
            "Rectification, effacement, limitation et opposition au traitement : adressez-vous "
            "à un conseiller de l'équipe départementale ou au délégué à la protection des "
            f"données du Département ({dpo})."
        ),
        "réclamation": CNIL,
    }


def beneficiary_export(beneficiary, *, viewer) -> dict:
    """Everything held about one person, in French labels, as JSON-ready data.

    ``viewer`` is the account exporting: advisers' private notes are their author's only
    (``activities.queries.private_notes_for``), so the export carries the notes ``viewer``
    wrote and no colleague's.
    """
    from relais.activities.queries import private_notes_for
    from relais.beneficiaries.services import EDITABLE_FIELDS

    person = {}
    for name in EDITABLE_FIELDS:
        model_field = beneficiary._meta.get_field(name)
        value = _choices(beneficiary, name) if model_field.choices else getattr(beneficiary, name)
        person[str(model_field.verbose_name)] = _value(value)
    person["fiche créée le"] = beneficiary.created_at
    person["dernier accompagnement"] = beneficiary.last_activity_on

    activities = []
    # Notes deferred: another adviser's note is not even read from the database.
    rows = (
        beneficiary.activities.select_related("place")
        .prefetch_related("themes")
        .defer("private_notes")
    )
    for activity in rows:
        activities.append(
            {
                "date": activity.date,
                "type": activity.get_kind_display(),
                "durée (minutes)": activity.duration_minutes,
                "lieu": activity.place.name
                if activity.place
                else activity.get_location_kind_display(),
                "thématiques": [t.get_theme_display() for t in activity.themes.all()],
                "autonomie": activity.get_autonomy_display() if activity.autonomy else "",
                "orientation": activity.get_referral_display() if activity.referral else "",
                "notes du conseiller": private_notes_for(viewer, activity),
            }
        )

    mandates = []
    for mandate in beneficiary.mandates.prefetch_related("actions", "scans"):
        mandates.append(
            {
                "numéro": mandate.pk,
                "statut": mandate.status.label,
                "mandataire": mandate.get_binds_display(),
                "modalité": mandate.get_mode_display(),
                "pièce d'identité présentée": mandate.get_identity_document_type_display(),
                "identité vérifiée le": mandate.identity_verified_at,
                "version de l'information": mandate.information_text_version,
                "familles de démarches": mandate.family_labels,
                "démarches désignées": list(mandate.named_procedures),
                "demandes de communication de données": mandate.covers_data_requests,
                "durée": mandate.get_duration_display(),
                "signé le": mandate.signed_at,
                "expire le": mandate.expires_at,
                "démarche aboutie le": mandate.completed_at,
                "retiré le": mandate.revoked_at,
                "mandat signé déposé": mandate.current_scan_id is not None,
                "versions du mandat signé conservées": len(mandate.scans.all()),
                "empreinte": mandate.integrity_hash,
                "actions": [
                    {
                        "date et heure": action.at,
                        "démarche": action.procedure,
                        "action": action.get_kind_display(),
                    }
                    for action in mandate.actions.all()
                ],
            }
        )

    requests = [
        {
            "numéro": request.pk,
            "droit": request.get_kind_display(),
            "reçue le": request.received_on,
            "réponse due le": request.due_on,
            "état": request.get_status_display(),
            "close le": request.closed_on,
            "réponse": request.outcome,
        }
        for request in beneficiary.rights_requests.order_by("received_on", "pk")
    ]

    mandate_ids = [str(m["numéro"]) for m in mandates]
    accesses = (
        JournalEntry.objects.filter(
            Q(subject_type="beneficiaries.beneficiary", subject_id=str(beneficiary.pk))
            | Q(details__beneficiary=beneficiary.pk)
            | Q(subject_type="mandates.mandate", subject_id__in=mandate_ids)
        )
        .order_by("sequence")
        .values("timestamp", "actor_role", "action", "subject_type", "subject_id", "details")
    )
    roles = dict(Role.choices)
    journal = [
        {
            "date et heure": entry["timestamp"],
            "par": roles.get(entry["actor_role"], "traitement automatique"),
            "opération": journal_operation_label(entry),
        }
        for entry in accesses
    ]

    return {
        "responsable du traitement": settings.RELAIS_DEPARTMENT_NAME,
        "export du": timezone.now(),
        "personne": person,
        "accompagnements": activities,
        "mandats": mandates,
        "demandes d'exercice des droits": requests,
        "autres données": _generic_rows(beneficiary),
        "consultations et opérations (journal)": journal,
        "informations (RGPD, art. 15)": access_information(beneficiary),
    }


def export_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_pdf(data: dict) -> bytes:
    from pathlib import Path

    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    directory = Path(__file__).resolve().parent / "templates" / "privacy" / "pdf"
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    html = render_to_string("privacy/pdf/rights_export.html", {"data": data})
    stylesheet = CSS(filename=str(directory / "record.css"), url_fetcher=fetcher)
    return HTML(string=html, base_url=str(directory), url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )


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


# --- Retention ----------------------------------------------------------------------------------


def rights_requests_due(cutoff):
    """Closed more than 3 years ago; an accepted opposition lives as long as the record."""
    return RightsRequest.objects.filter(closed_on__lt=timezone.localdate(cutoff)).exclude(
        kind=RightsKind.OPPOSITION, status=RightsStatus.DONE, beneficiary__isnull=False
    )
