"""The retention table: every model holding personal data, why, for how long, and what then.

One declarative table, in code, read by the purge (``services.purge_run``), the record of
processing (GDPR Art. 30, ``queries.processing_record``) and the meta-test that fails when a
model with personal data is missing from it (``tests/privacy/test_registry.py``). The
Département is the data controller (convention, art. 4); advisers are bound by professional
secrecy and data are destroyed at the end of the démarche, at the revocation of the mandate or
at the legal term (art. 2).

Extension API
-------------
An app that stores personal data ships a ``privacy.py`` module; ``PrivacyConfig.ready()``
imports every such module (``autodiscover_modules("privacy")``). In it::

    from relais.privacy.registry import RetentionRule, register, declare_no_personal_data

    register(RetentionRule(category="beneficiaries", model="beneficiaries.Beneficiary", ...))
    declare_no_personal_data("myapp.Topic", reason="Catalogue public d'ateliers.")

The rules of the models that existed before the privacy app (accounts, team, Django's and
third-party apps) and of the apps below it (messaging's outbox: those cannot import this module)
are the built-in rules below. Terms are proposals of the project team; the
Département's data protection officer validates them, and a change is a change here only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import RetentionAction

# Reserved top-level domain (RFC 2606): no real person can own an address there, so it marks an
# anonymised account without a field of its own on ``accounts.User``.
ANONYMOUS_EMAIL_DOMAIN = "anonyme.invalid"

PUBLIC_INTEREST = "Mission d'intérêt public (art. 6.1.e RGPD)"
# A resident known by name and contacts only (a registration, an appointment): what is erased.
CONTACT_FIELDS = ("first_name", "last_name", "phone", "email")


def contact_erased() -> dict:
    """The ``replacements`` that anonymise a row of ``CONTACT_FIELDS``: each emptied, and the
    row stamped ``anonymised_at``."""
    return {**dict.fromkeys(CONTACT_FIELDS, ""), "anonymised_at": lambda row: timezone.now()}


# Data nobody reads but the server itself (secrets, sessions): said so, never « Aucun ».
SERVER_ONLY = "Personne : données lues par le seul serveur de Relais"
LEGAL_OBLIGATION_SECURITY = "Obligation légale : sécurité du traitement (art. 6.1.c et 32 RGPD)"
DEPARTMENT_STAFF = "Coordinateurs et administrateurs du Département"

_CATEGORY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, eq=False)
class RetentionRule:
    """One line of the retention table.

    ``due(cutoff)`` returns the rows whose term has run out, where ``cutoff`` is the moment of
    the purge minus ``term``: a row is due when the event that starts its term happened before
    the cutoff. At term the rows are deleted (``RetentionAction.DELETE``; ``destroy`` replaces the
    plain queryset delete when an app needs its own service) or anonymised: every field of
    ``fields`` is set to its value in ``replacements`` (a constant or a function of the row),
    then ``anonymise(row)`` does what else is needed (delete devices, drop a password…).
    ``kept`` names the fields an anonymised row keeps for statistics, and why.
    """

    category: str  # stable slug, stored in purge runs and the journal: never rename one
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    label: str  # French, e.g. "Comptes du personnel"
    processing: str  # French: the processing activity it belongs to (record of processing)
    data_subjects: str
    purpose: str
    legal_basis: str
    term: relativedelta
    term_label: str  # French, e.g. "12 mois"
    start_event: str  # French: what starts the term
    due: Callable[[datetime], models.QuerySet]
    action: str
    replacements: dict[str, Any] = field(default_factory=dict)
    anonymise: Callable[[models.Model], None] | None = None
    destroy: Callable[[models.Model], None] | None = None
    kept: dict[str, str] = field(default_factory=dict)
    recipients: str = DEPARTMENT_STAFF  # French; SERVER_ONLY when nobody reads them
    statistics: str = ""  # French: which figures survive the term
    data_description: str = ""  # French, for the record when the fields' labels are not
    kept_description: str = ""  # French, for the record when ``kept`` lists many counters

    def __post_init__(self) -> None:
        problems = []
        if not _CATEGORY.match(self.category):
            problems.append("category must be a lower-case slug")
        if self.action not in RetentionAction.values:
            problems.append(f"unknown action {self.action!r}")
        if not self.fields:
            problems.append("fields is empty")
        if self.action == RetentionAction.ANONYMISE:
            missing = set(self.fields) - set(self.replacements)
            if missing:
                problems.append(f"no anonymous value for {sorted(missing)}")
        elif self.replacements or self.anonymise:
            problems.append("replacements/anonymise only apply to the anonymise action")
        if self.destroy and self.action != RetentionAction.DELETE:
            problems.append("destroy only applies to the delete action")
        if problems:
            raise ImproperlyConfigured(f"Retention rule {self.category}: {'; '.join(problems)}.")

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def action_label(self) -> str:
        return RetentionAction(self.action).label

    def field_labels(self) -> list[str]:
        """The categories of data, in French for a reader (never a field's technical name)."""
        if self.data_description:
            return [self.data_description]
        meta = self.model_class._meta
        return [
            FIELD_LABELS.get(name, str(meta.get_field(name).verbose_name)) for name in self.fields
        ]

    def cutoff(self, now: datetime) -> datetime:
        return now - self.term

    def due_queryset(self, now: datetime | None = None) -> models.QuerySet:
        return self.due(self.cutoff(now or timezone.now()))


class RetentionRegistry:
    """The table itself: rules in registration order, and the models declared free of data."""

    def __init__(self) -> None:
        self._rules: dict[str, RetentionRule] = {}
        self._no_personal_data: dict[str, str] = {}

    def register(self, rule: RetentionRule) -> RetentionRule:
        current = self._rules.get(rule.category)
        if current is not None and current is not rule:
            raise ImproperlyConfigured(f"Retention category {rule.category!r} registered twice.")
        if rule.model in self._no_personal_data:
            raise ImproperlyConfigured(f"{rule.model} is declared as holding no personal data.")
        self._rules[rule.category] = rule
        return rule

    def declare_no_personal_data(self, model: str, *, reason: str) -> None:
        """Declare that ``model`` holds no personal data (e.g. public officials' names)."""
        if not reason.strip():
            raise ImproperlyConfigured(f"{model}: say why it holds no personal data.")
        if any(rule.model == model for rule in self._rules.values()):
            raise ImproperlyConfigured(f"{model} has a retention rule.")
        self._no_personal_data[model] = reason

    def rules(self) -> list[RetentionRule]:
        return list(self._rules.values())

    def get(self, category: str) -> RetentionRule:
        return self._rules[category]

    def rules_for(self, model: str) -> list[RetentionRule]:
        return [rule for rule in self._rules.values() if rule.model == model]

    @property
    def no_personal_data(self) -> dict[str, str]:
        return dict(self._no_personal_data)


# French words for fields whose own label is technical or English (third-party models).
FIELD_LABELS = {
    "ip_address": "adresse IP",
    "username": "e-mail saisi",
    "user_agent": "type de navigateur",
    "get_data": "paramètres de la page",
    "post_data": "données saisies dans le formulaire (sans le mot de passe)",
    "session_data": "données de session",
    "object_repr": "désignation de l'élément modifié",
    "change_message": "description de la modification",
    "name_key": "clé de recherche tirée du nom",
}

registry = RetentionRegistry()
register = registry.register
declare_no_personal_data = registry.declare_no_personal_data


# --- Detecting models with personal data (used by the meta-test) ------------------------------

# Field names that suggest data about a person. Broad on purpose: a false positive costs one
# line in the allow-list below, a false negative costs data kept forever.
PERSONAL_FIELD_NAME = re.compile(
    r"(^|_)name$|(^|_)names$|surname|birth|phone|mobile|e_?mail|address|(^|_)notes?$|comment"
    r"|user_?agent|username|(^|_)nir$|social_security|gender|(^|_)sex$|nationality|iban"
    r"|president|secretary|representative|signatory|recipient|holder|_by$",
)
PERSONAL_FIELD_TYPES = (models.EmailField, models.GenericIPAddressField, models.FileField)
PERSONAL_DOCSTRING = re.compile(
    r"personal data|données personnelles|données à caractère personnel", re.IGNORECASE
)


def personal_data_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` whose name or type suggests personal data.

    References to an account (``created_by`` and the like) are left out: the account's own rule
    anonymises the person, so the reference stays meaningful without naming anybody.
    """
    found = []
    for model_field in model._meta.concrete_fields:
        if model_field.is_relation:
            continue
        if (
            isinstance(model_field, PERSONAL_FIELD_TYPES)
            or "phone" in type(model_field).__name__.lower()
            or PERSONAL_FIELD_NAME.search(model_field.name)
        ):
            found.append(model_field.name)
    return found


def holds_personal_data(model: type[models.Model]) -> list[str]:
    """Why ``model`` looks like it holds personal data (empty when it does not)."""
    reasons = []
    if getattr(model, "personal_data", False) is True:
        reasons.append("personal_data = True")
    if PERSONAL_DOCSTRING.search(model.__doc__ or ""):
        reasons.append("docstring mentions personal data")
    fields = personal_data_fields(model)
    if fields:
        reasons.append(f"fields {', '.join(fields)}")
    return reasons


# --- Built-in rules: the models that existed before this app ----------------------------------

STAFF_ACCOUNT_TERM = relativedelta(months=12)
SECURITY_LOG_TERM = relativedelta(months=6)
ADMIN_LOG_TERM = relativedelta(months=12)
ALERT_LOG_TERM = relativedelta(months=24)
OUTBOX_TERM = relativedelta(months=3)


def _inactive_account(cutoff: datetime, prefix: str = "") -> Q:
    """Deactivated accounts whose last login (or creation, never logged in) precedes cutoff.

    There is no deactivation date on ``accounts.User``: a deactivated account cannot log in, so
    its last login is the last moment it was used, and the term runs from there.
    """
    return Q(**{f"{prefix}is_active": False}) & (
        Q(**{f"{prefix}last_login__lt": cutoff})
        | Q(**{f"{prefix}last_login__isnull": True, f"{prefix}date_joined__lt": cutoff})
    )


def users_due(cutoff: datetime) -> models.QuerySet:
    user_model = apps.get_model("accounts", "User")
    return user_model.objects.filter(_inactive_account(cutoff)).exclude(
        email__endswith="@" + ANONYMOUS_EMAIL_DOMAIN
    )


def anonymise_user(user) -> None:
    """Beyond the names: no password, no second factor, no extra permission."""
    user.set_unusable_password()
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for device_model in ("otp_totp.TOTPDevice", "otp_static.StaticDevice"):
        apps.get_model(device_model).objects.filter(user=user).delete()


def advisors_due(cutoff: datetime) -> models.QuerySet:
    advisor_model = apps.get_model("team", "Advisor")
    return advisor_model.objects.filter(_inactive_account(cutoff, "user__")).filter(
        Q(contract_start__isnull=False) | Q(contract_end__isnull=False)
    )


def _devices_due(model: str) -> Callable[[datetime], models.QuerySet]:
    def due(cutoff: datetime) -> models.QuerySet:
        return apps.get_model(model).objects.filter(_inactive_account(cutoff, "user__"))

    return due


def _older_than(model: str, field_name: str) -> Callable[[datetime], models.QuerySet]:
    def due(cutoff: datetime) -> models.QuerySet:
        return apps.get_model(model).objects.filter(**{f"{field_name}__lt": cutoff})

    return due


def outbox_due(cutoff: datetime) -> models.QuerySet:
    """Messages written before ``cutoff``, whatever came of them (never one being sent)."""
    return (
        apps.get_model("messaging", "OutboxMessage")
        .objects.filter(created_at__lt=cutoff)
        .exclude(status="sending")
    )


def alert_logs_due(cutoff: datetime) -> models.QuerySet:
    # Both dates: an alert is only forgotten once its deadline is long past, so that
    # send-agreement-alerts never sends it again.
    return apps.get_model("agreements", "AlertLog").objects.filter(
        due_on__lt=timezone.localdate(cutoff), sent_at__lt=cutoff
    )


STAFF_PROCESSING = "Gestion des accès du personnel à Relais"
SECURITY_PROCESSING = "Sécurité des accès (journalisation technique)"
STAFF_SUBJECTS = (
    "Personnel du Département (coordinateurs, conseillers, administrateurs), agents des "
    "structures partenaires et membres du comité technique"
)

BUILTIN_RULES = (
    RetentionRule(
        category="staff_accounts",
        model="accounts.User",
        fields=("email", "first_name", "last_name"),
        label="Comptes du personnel",
        processing=STAFF_PROCESSING,
        data_subjects=STAFF_SUBJECTS,
        purpose="Authentifier le personnel et attribuer les droits selon le rôle.",
        legal_basis=PUBLIC_INTEREST,
        term=STAFF_ACCOUNT_TERM,
        term_label="12 mois",
        start_event="Désactivation du compte (dernière connexion du compte désactivé)",
        due=users_due,
        action=RetentionAction.ANONYMISE,
        replacements={
            "email": lambda user: f"compte-{user.pk}@{ANONYMOUS_EMAIL_DOMAIN}",
            "first_name": "Compte",
            "last_name": lambda user: f"anonymisé n° {user.pk}",
        },
        anonymise=anonymise_user,
        kept={
            "role": "statistiques par rôle ; le journal désigne les acteurs par identifiant",
            "organisation": "statistiques par structure",
        },
        recipients="Administrateurs ; nom et rôle visibles du personnel du Département",
        statistics="Le compte subsiste sans nom ni e-mail : les activités et le journal qui "
        "le désignent par son identifiant restent comptables.",
    ),
    RetentionRule(
        category="advisor_profiles",
        model="team.Advisor",
        fields=("contract_start", "contract_end"),
        label="Profils des conseillers",
        processing=STAFF_PROCESSING,
        data_subjects="Conseillers et ambassadeurs du numérique de l'équipe départementale",
        purpose="Organiser l'équipe départementale : statut, résidence administrative, contrat.",
        legal_basis=PUBLIC_INTEREST,
        term=STAFF_ACCOUNT_TERM,
        term_label="12 mois",
        start_event="Désactivation du compte du conseiller (dernière connexion)",
        due=advisors_due,
        action=RetentionAction.ANONYMISE,
        replacements={"contract_start": None, "contract_end": None},
        kept={
            "kind": "statistiques par statut (ambassadeur, CnFS)",
            "home_commune": "statistiques territoriales (champ obligatoire du profil)",
        },
        statistics="Le profil subsiste sans dates de contrat, rattaché au compte anonymisé.",
    ),
    RetentionRule(
        category="totp_devices",
        model="otp_totp.TOTPDevice",
        fields=("name", "key"),
        label="Second facteur (application d'authentification)",
        processing=STAFF_PROCESSING,
        data_subjects=STAFF_SUBJECTS,
        purpose="Double authentification des rôles qui accèdent aux données des usagers.",
        legal_basis=LEGAL_OBLIGATION_SECURITY,
        term=STAFF_ACCOUNT_TERM,
        term_label="12 mois",
        start_event="Désactivation du compte (dernière connexion)",
        due=_devices_due("otp_totp.TOTPDevice"),
        data_description="nom du dispositif et clé secrète TOTP",
        action=RetentionAction.DELETE,
        recipients=SERVER_ONLY,
    ),
    RetentionRule(
        category="recovery_codes",
        model="otp_static.StaticDevice",
        fields=("name",),
        label="Codes de secours (second facteur)",
        processing=STAFF_PROCESSING,
        data_subjects=STAFF_SUBJECTS,
        purpose="Double authentification en cas de perte du téléphone.",
        legal_basis=LEGAL_OBLIGATION_SECURITY,
        term=STAFF_ACCOUNT_TERM,
        term_label="12 mois",
        start_event="Désactivation du compte (dernière connexion) ; les codes sont supprimés "
        "avec leur dispositif",
        due=_devices_due("otp_static.StaticDevice"),
        data_description="nom du dispositif et codes de secours (à usage unique)",
        action=RetentionAction.DELETE,
        recipients=SERVER_ONLY,
    ),
    RetentionRule(
        category="sessions",
        model="sessions.Session",
        fields=("session_data",),
        label="Sessions de connexion",
        processing=STAFF_PROCESSING,
        data_subjects=STAFF_SUBJECTS,
        purpose="Maintenir la connexion d'un agent pendant sa journée de travail.",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(),
        term_label="expiration de la session (10 h au plus)",
        start_event="Expiration de la session",
        due=_older_than("sessions.Session", "expire_date"),
        action=RetentionAction.DELETE,
        recipients=SERVER_ONLY,
    ),
    RetentionRule(
        category="login_attempts",
        model="axes.AccessAttempt",
        fields=("ip_address", "username", "user_agent", "get_data", "post_data"),
        label="Tentatives de connexion échouées (verrouillage)",
        processing=SECURITY_PROCESSING,
        data_subjects=STAFF_SUBJECTS + " ; toute personne qui tente de se connecter",
        purpose="Bloquer les attaques par force brute sur les comptes (adresse IP, e-mail saisi).",
        legal_basis=LEGAL_OBLIGATION_SECURITY,
        term=SECURITY_LOG_TERM,
        term_label="6 mois",
        start_event="Tentative de connexion",
        due=_older_than("axes.AccessAttempt", "attempt_time"),
        action=RetentionAction.DELETE,
        recipients="Administrateurs",
    ),
    RetentionRule(
        category="login_failures",
        model="axes.AccessFailureLog",
        fields=("ip_address", "username", "user_agent"),
        label="Journal des échecs de connexion",
        processing=SECURITY_PROCESSING,
        data_subjects=STAFF_SUBJECTS + " ; toute personne qui tente de se connecter",
        purpose="Détecter et analyser les attaques sur les comptes.",
        legal_basis=LEGAL_OBLIGATION_SECURITY,
        term=SECURITY_LOG_TERM,
        term_label="6 mois",
        start_event="Tentative de connexion",
        due=_older_than("axes.AccessFailureLog", "attempt_time"),
        action=RetentionAction.DELETE,
        recipients="Administrateurs",
    ),
    RetentionRule(
        category="login_log",
        model="axes.AccessLog",
        fields=("ip_address", "username", "user_agent"),
        label="Journal des connexions",
        processing=SECURITY_PROCESSING,
        data_subjects=STAFF_SUBJECTS,
        purpose="Tracer les connexions pour enquêter sur un incident de sécurité.",
        legal_basis=LEGAL_OBLIGATION_SECURITY,
        term=SECURITY_LOG_TERM,
        term_label="6 mois",
        start_event="Connexion",
        due=_older_than("axes.AccessLog", "attempt_time"),
        action=RetentionAction.DELETE,
        recipients="Administrateurs",
    ),
    RetentionRule(
        category="admin_log",
        model="admin.LogEntry",
        fields=("object_repr", "change_message"),
        label="Historique de l'administration technique",
        processing=SECURITY_PROCESSING,
        data_subjects=STAFF_SUBJECTS + " ; personnes dont la fiche est modifiée",
        purpose="Tracer les modifications faites dans l'administration technique.",
        legal_basis=LEGAL_OBLIGATION_SECURITY,
        term=ADMIN_LOG_TERM,
        term_label="12 mois",
        start_event="Modification dans l'administration technique",
        due=_older_than("admin.LogEntry", "action_time"),
        action=RetentionAction.DELETE,
        recipients="Administrateurs",
    ),
    RetentionRule(
        category="agreement_alerts",
        model="agreements.AlertLog",
        fields=("recipient",),
        label="Alertes d'échéance envoyées",
        processing="Suivi des conventions de partenariat",
        data_subjects="Coordinateurs destinataires des alertes",
        purpose="Ne pas envoyer deux fois la même alerte d'échéance d'une convention.",
        legal_basis=PUBLIC_INTEREST,
        term=ALERT_LOG_TERM,
        term_label="24 mois",
        start_event="Échéance signalée (et envoi de l'alerte)",
        due=alert_logs_due,
        action=RetentionAction.DELETE,
    ),
    RetentionRule(
        category="outbox_messages",
        model="messaging.OutboxMessage",
        fields=("recipient", "subject", "body", "from_email", "claimed_by"),
        label="Messages sortants (e-mails et SMS, avec leurs pièces jointes)",
        processing="Envoi des messages de l'application (e-mails, SMS)",
        data_subjects="Habitants inscrits ou ayant pris rendez-vous, personnel, membres du comité",
        purpose="Envoyer chaque message une fois, le réessayer en cas d'échec, et montrer aux "
        "coordinateurs ceux qui ne sont pas partis.",
        legal_basis=PUBLIC_INTEREST,
        term=OUTBOX_TERM,
        term_label="3 mois",
        start_event="Écriture du message",
        due=outbox_due,
        action=RetentionAction.DELETE,
        recipients="Coordinateurs et administrateurs du Département",
        statistics="Aucune : les envois de chaque inscription restent comptés par "
        "bookings.Message et les convocations par committee.MeetingInvitation.",
    ),
)

PUBLIC_OFFICIALS = (
    "Noms d'élus et de signataires agissant en qualité officielle : information publique "
    "(délibérations publiées, conventions signées), conservée avec le document."
)

# Models whose flagged fields are not personal data, with the reason (shown in the record).
BUILTIN_NO_PERSONAL_DATA = {
    "core.Commune": "Référentiel géographique public des communes.",
    "core.Organisation": "Personnes morales : coordonnées de la structure ; le représentant "
    "légal y figure en qualité officielle (information publique).",
    "places.Place": "Coordonnées publiques d'un lieu d'accueil (publiées en données ouvertes), "
    "pas d'une personne.",
    "agreements.Deliberation": PUBLIC_OFFICIALS,
    "agreements.DeliberationMember": PUBLIC_OFFICIALS,
    "agreements.Signatory": PUBLIC_OFFICIALS,
    "agreements.AgreementParty": PUBLIC_OFFICIALS,
    "agreements.Agreement": PUBLIC_OFFICIALS,
    "agreements.Annex": "Annexes d'une convention : documents publics du partenariat.",
    "auth.Group": "Noms de groupes de permissions.",
    "auth.Permission": "Noms de permissions.",
    "contenttypes.ContentType": "Noms techniques des modèles.",
}


def register_builtin_rules() -> None:
    """Fill the table with the built-in rules (idempotent: ``ready()`` may run twice in tests)."""
    for rule in BUILTIN_RULES:
        register(rule)
    for model, reason in BUILTIN_NO_PERSONAL_DATA.items():
        registry._no_personal_data.setdefault(model, reason)
