from django.db import models


class MemberCategory(models.TextChoices):
    """Art. 3.4: who sits on the Comité Technique Départemental Inclusion Numérique."""

    DEPARTMENT = "department", "Représentant du Département"
    PARTNER = "partner", "Représentant d'une structure bénéficiaire"
    OTHER_EMPLOYER = "other_employer", "Autre personne morale employant au moins 1 CnFS"


class ActionStatus(models.TextChoices):
    OPEN = "open", "En cours"
    DONE = "done", "Réalisée"


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", "En cours d'envoi"
    SENT = "sent", "Envoyée"
    FAILED = "failed", "Échec de l'envoi"
