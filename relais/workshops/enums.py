from django.db import models

from relais.core.enums import Theme


class TopicLevel(models.TextChoices):
    BEGINNER = "beginner", "Débutant"
    INTERMEDIATE = "intermediate", "Intermédiaire"
    ADVANCED = "advanced", "Avancé"


class TopicStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publié"
    RETIRED = "retired", "Retiré du catalogue"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Programmée"
    CONFIRMED = "confirmed", "Confirmée"
    CANCELLED = "cancelled", "Annulée"
    HELD = "held", "Réalisée"


# Sessions a resident may still register to (before they start).
OPEN_SESSION_STATUSES = frozenset({SessionStatus.PLANNED, SessionStatus.CONFIRMED})


def theme_choices() -> list[tuple[str, str]]:
    """The Coop themes a topic may carry (topics store their codes in a JSON list)."""
    return list(Theme.choices)
