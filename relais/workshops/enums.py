from django.db import models


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


def theme_choices() -> list[tuple[str, str]] | None:
    """The Coop themes (relais.activities) when that app is installed, else ``None``.

    Topics store theme *codes* in a JSON list either way, so the list is mapped onto the Coop
    vocabulary without a migration once the activities app defines it.
    """
    try:
        from relais.activities.enums import Theme
    except ImportError:
        return None
    return list(Theme.choices)
