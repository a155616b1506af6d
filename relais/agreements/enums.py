from django.db import models


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
