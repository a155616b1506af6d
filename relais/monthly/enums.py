from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Transmis à la structure"
    VALIDATED = "validated", "Validé"
    RETURNED = "returned", "Renvoyé pour correction"


class ReminderKind(models.TextChoices):
    NOT_SUBMITTED = "not_submitted", "Compte rendu non transmis"
    NOT_VALIDATED = "not_validated", "Compte rendu non validé"
