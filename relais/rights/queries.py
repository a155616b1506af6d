"""Reads of the rights register, and the copy of everything held about a person (art. 15, 20)."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from relais.accounts.enums import Role
from relais.activities.queries import private_notes_for
from relais.beneficiaries.services import EDITABLE_FIELDS
from relais.privacy.enums import JournalAction
from relais.privacy.models import JournalEntry, RightsKind, RightsRequest, RightsStatus
from relais.privacy.registry import registry

DUE_SOON_DAYS = 7


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
