from django.db import models
from django.utils.translation import ngettext


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    AWAITING_SIGNATURES = "awaiting_signatures", "En attente de signatures"
    IN_FORCE = "in_force", "En vigueur"
    ENDED = "ended", "Terminée"


class EndReason(models.TextChoices):
    HARD_END = "hard_end", "Date de fin prévue par la convention"
    TERM = "term", "Fin de la durée initiale (sans reconduction)"
    OPPOSITION = "opposition", "Opposition à la reconduction tacite"
    TERMINATION_FAULT = "termination_fault", "Résiliation pour faute"
    FORCE_MAJEURE = "force_majeure", "Résiliation pour force majeure"
    DISSOLUTION = "dissolution", "Dissolution du bénéficiaire"


class TerminationKind(models.TextChoices):
    FAULT = "fault", "Pour faute (art. 7.1)"
    FORCE_MAJEURE = "force_majeure", "Pour force majeure ou empêchement (art. 7.2)"
    DISSOLUTION = "dissolution", "Dissolution du bénéficiaire (art. 7.2)"


class PartyRole(models.TextChoices):
    DEPARTMENT = "department", "Le Département"
    PARTNER = "partner", "Le Bénéficiaire"


class CommitmentUnit(models.TextChoices):
    HALF_DAY = "half_day", "demi-journée"
    DAY = "day", "journée"


def unit_count(unit: str, count: int) -> str:
    """« 1 demi-journée », « 3 journées »: French plurals from the catalog (locale/fr)."""
    if unit == CommitmentUnit.DAY:
        text = ngettext("%(count)s journée", "%(count)s journées", count)
    else:
        text = ngettext("%(count)s demi-journée", "%(count)s demi-journées", count)
    return text % {"count": count}


class CommitmentFrequency(models.TextChoices):
    WEEKLY = "weekly", "Par semaine"
    FORTNIGHTLY = "fortnightly", "Par quinzaine"
    MONTHLY = "monthly", "Par mois"


class Modality(models.TextChoices):
    ON_SITE = "on_site", "Présentiel"
    REMOTE = "remote", "Distanciel"


class Attendance(models.TextChoices):
    PRESENT = "present", "Présent"
    PROXY = "proxy", "Absent ayant donné procuration"
    EXCUSED = "excused", "Absent excusé"
    ABSENT = "absent", "Absent"


class ContactRole(models.TextChoices):
    """What a named person does for the agreement (Art. 3.3, 3.4 and 4.1)."""

    TECHNICAL_TEAM = "technical_team", "Équipe technique départementale dédiée (art. 3.3)"
    REGULAR_CONTACT = "regular_contact", "Interlocuteur régulier des conseillers (art. 3.3)"
    EDITORIAL = "editorial", "Responsable éditorial des publications (art. 4.1)"
    FOLLOW_UP = "follow_up", "Suivi de l'activité (art. 3.4)"


class CommunicationMedium(models.TextChoices):
    """The supports Art. 5 lists (« plaquette, site internet, affiche, vidéo, etc. »)."""

    BROCHURE = "brochure", "Plaquette"
    WEBSITE = "website", "Site internet"
    POSTER = "poster", "Affiche"
    VIDEO = "video", "Vidéo"
    SOCIAL = "social", "Réseaux sociaux"
    PRESS = "press", "Presse"
    REPORT = "report", "Bilan ou publication (art. 4.1)"
    ORAL = "oral", "Communication orale"
    OTHER = "other", "Autre support"


class CommunicationStatus(models.TextChoices):
    PENDING = "pending", "En attente d'autorisation"
    CHANGES_REQUESTED = "changes_requested", "Modifications demandées"
    APPROVED = "approved", "Autorisée"
    REFUSED = "refused", "Refusée"
    WITHDRAWN = "withdrawn", "Retirée"


class CommunicationDecision(models.TextChoices):
    """What the other party answers (Art. 5: « autorisation préalable auprès de l'autre
    Partie »)."""

    APPROVED = "approved", "Autoriser"
    CHANGES_REQUESTED = "changes_requested", "Demander des modifications"
    REFUSED = "refused", "Refuser"
