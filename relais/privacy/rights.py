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
# Reminder stages: (code, days before the deadline, label). Sent once each, in this order.
REMINDER_STAGES = (
    ("j-7", 7, "dans 7 jours"),
    ("j", 0, "aujourd'hui"),
    ("late", -1, "dépassée"),
)
CLOSED_TERM = relativedelta(years=3)


# --- Permissions ------------------------------------------------------------------------------


def can_handle_rights(user) -> bool:
    """Advisers: they meet the people, see their records and carry out the requests."""
    from relais.beneficiaries.perms import can_view_named_data

    return can_view_named_data(user)


def can_view_rights_summary(user) -> bool:
    """Coordinators and administrators follow deadlines without names."""
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}


# --- Register -----------------------------------------------------------------------------------


def due_date(received_on: date) -> date:
    """One month after receipt; relativedelta clamps to the month's last day."""
    return received_on + RESPONSE_DELAY


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
    if received_on > timezone.localdate():
        errors["received_on"] = "La date de réception ne peut pas être dans le futur."
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
            due_on__gte=today, due_on__lte=today + timedelta(days=7)
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
