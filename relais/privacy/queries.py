"""Read models of the privacy pages: the record of processing (GDPR Art. 30), purge status."""

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from relais.accounts.enums import ROLES_REQUIRING_TWO_FACTOR, Role
from relais.core.models import Organisation

from .models import JournalVerification, PurgeRun, RightsKind, RightsRequest, RightsStatus
from .registry import FIELD_LABELS, SERVER_ONLY, RetentionRule, registry


def _no_personal_data() -> list[dict]:
    """Tables without personal data, grouped by reason; the project's own are named (their
    labels are French), the framework's and libraries' are counted as technical tables."""
    by_reason: dict[str, list[str]] = {}
    technical = 0
    for label, reason in sorted(registry.no_personal_data.items()):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if not model.__module__.startswith("relais."):
            technical += 1
            continue
        by_reason.setdefault(reason, []).append(str(model._meta.verbose_name_plural))
    rows = [
        {"models": ", ".join(name[:1].upper() + name[1:] for name in names), "reason": reason}
        for reason, names in by_reason.items()
    ]
    if technical:
        rows.append(
            {
                "models": f"{technical} tables techniques du cadre logiciel",
                "reason": "Permissions, types de contenu, tâches de fond : aucune personne.",
            }
        )
    return rows


# The record is read by the DPO, the CNIL and the public: never a model's internal name.
NO_TRANSFER = "Aucun : données hébergées en France, aucune communication hors de l'Union européenne"


def _kept(rule: RetentionRule) -> list[dict]:
    """What an anonymised row keeps, one line per reason (so many counters kept for one reason
    read as one line, not one per column)."""
    if rule.kept_description:
        return [{"fields": rule.kept_description, "why": ""}]
    meta = rule.model_class._meta
    by_reason: dict[str, list[str]] = {}
    for name, why in rule.kept.items():
        label = FIELD_LABELS.get(name, str(meta.get_field(name).verbose_name))
        # "gender : Femme" and the like: one counter of a breakdown, named by the breakdown.
        prefix = label.split(" : ")[0]
        label = BREAKDOWN_LABELS.get(prefix, label)
        labels = by_reason.setdefault(why, [])
        if label not in labels:
            labels.append(label)
    return [{"fields": ", ".join(labels), "why": why} for why, labels in by_reason.items()]


# The breakdowns of an activity's anonymous counters, named in French.
BREAKDOWN_LABELS = {
    "gender": "nombre de personnes par genre",
    "age": "nombre de personnes par tranche d'âge",
    "status": "nombre de personnes par statut",
}


def _rule_row(rule: RetentionRule) -> dict:
    return {
        "category": rule.category,
        "label": rule.label,
        "data": rule.field_labels(),
        "kept": _kept(rule),
        "data_subjects": rule.data_subjects,
        "purpose": rule.purpose,
        "legal_basis": rule.legal_basis,
        "term": rule.term_label,
        "start_event": rule.start_event,
        "action": rule.action_label,
        "recipients": rule.recipients,
        "statistics": rule.statistics,
    }


def _recipients(rules) -> list[str]:
    """Who receives a processing's data; "the server alone" only when nobody else does."""
    readers = _unique(rule.recipients for rule in rules if rule.recipients != SERVER_ONLY)
    return readers or [SERVER_ONLY]


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def _security_measures() -> list[str]:
    """Measures read from the settings and the code, so the record follows them."""
    two_factor = ", ".join(
        str(Role(role).label).lower() for role in Role.values if role in ROLES_REQUIRING_TWO_FACTOR
    )
    min_length = next(
        (
            v.get("OPTIONS", {}).get("min_length")
            for v in settings.AUTH_PASSWORD_VALIDATORS
            if v["NAME"].endswith("MinimumLengthValidator")
        ),
        8,
    )
    cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    hours = settings.SESSION_COOKIE_AGE // 3600
    return [
        f"Double authentification (application TOTP et codes de secours) obligatoire pour les "
        f"rôles : {two_factor}.",
        f"Mots de passe d'au moins {min_length} caractères, stockés sous forme d'empreinte.",
        f"Verrouillage d'un couple e-mail / adresse IP après {settings.AXES_FAILURE_LIMIT} "
        f"échecs de connexion, pendant {cooloff} minutes.",
        f"Sessions limitées à {hours} heures et closes à la fermeture du navigateur.",
        "Accès aux données selon le rôle ; les conseillers sont soumis au secret professionnel "
        "(convention, article 2).",
        "Chiffrement des échanges (HTTPS imposé, HSTS), cookies sécurisés, politique de sécurité "
        "du contenu (CSP) sans script tiers.",
        "Journal des actions sous mandat et des consultations de données personnelles : ajout "
        "seul, refus des modifications par la base de données et par les droits du compte de "
        "l'application, chaînage HMAC-SHA256 dont la clé n'est pas dans la base, vérifié chaque "
        "jour contre des points de contrôle conservés hors de la base.",
        "Purge quotidienne des données arrivées au terme de leur durée de conservation, "
        "consignée au journal.",
    ]


def processing_record() -> dict:
    """The record of processing activities, built from the retention table (never by hand)."""
    department = Organisation.objects.departments().order_by("pk").first()
    processings: dict[str, list[RetentionRule]] = {}
    for rule in registry.rules():
        processings.setdefault(rule.processing, []).append(rule)
    return {
        "controller_name": settings.RELAIS_DEPARTMENT_NAME,
        "controller": department,
        "dpo_contact": settings.RELAIS_DPO_CONTACT,
        "processings": [
            {
                "name": name,
                "purposes": _unique(rule.purpose for rule in rules),
                "legal_bases": _unique(rule.legal_basis for rule in rules),
                "data_subjects": _unique(rule.data_subjects for rule in rules),
                "recipients": _recipients(rules),
                "transfers": NO_TRANSFER,
                "terms": _unique(f"{rule.label} : {rule.term_label}" for rule in rules),
                "rules": [_rule_row(rule) for rule in rules],
            }
            for name, rules in processings.items()
        ],
        "no_personal_data": _no_personal_data(),
        "security_measures": _security_measures(),
        "generated_at": timezone.localtime(),
    }


def purge_status(limit: int = 30) -> dict:
    return {
        "runs": list(PurgeRun.objects.all()[:limit]),
        "verification": JournalVerification.objects.order_by("-verified_at", "-pk").first(),
        "categories": [(rule.category, rule.label) for rule in registry.rules()],
    }


# --- The register of rights requests: what the apps below the rights workflows need ----------

CLOSED_TERM = relativedelta(years=3)


def is_objecting(beneficiary) -> bool:
    if beneficiary is None or beneficiary.pk is None:
        return False
    return RightsRequest.objects.filter(
        beneficiary=beneficiary, kind=RightsKind.OPPOSITION, status=RightsStatus.DONE
    ).exists()


def rights_requests_due(cutoff):
    """Closed more than 3 years ago; an accepted opposition lives as long as the record."""
    return RightsRequest.objects.filter(closed_on__lt=timezone.localdate(cutoff)).exclude(
        kind=RightsKind.OPPOSITION, status=RightsStatus.DONE, beneficiary__isnull=False
    )
