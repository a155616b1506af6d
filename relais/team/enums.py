from django.db import models


class AdvisorKind(models.TextChoices):
    AMBASSADOR = "ambassador", "Ambassadeur du numérique"
    CNFS = "cnfs", "Conseiller numérique France Services"


class TrainingStatus(models.TextChoices):
    """The certifying training the ambassadors follow (preamble of the convention)."""

    NOT_STARTED = "not_started", "Non commencée"
    IN_PROGRESS = "in_progress", "En cours"
    CERTIFIED = "certified", "Certifié"


class Weekday(models.IntegerChoices):
    """ISO weekdays counted from 0, as ``date.weekday()`` returns them."""

    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"


class SkillKind(models.TextChoices):
    LANGUAGE = "language", "Langue"
    HABILITATION = "habilitation", "Habilitation"
    OTHER = "other", "Autre compétence"


class LeaveKind(models.TextChoices):
    PAID = "paid", "Congé payé"
    TRAINING = "training", "Formation"
    SICK = "sick", "Arrêt maladie"
    OTHER = "other", "Autre absence"


class HalfDay(models.TextChoices):
    MORNING = "am", "matin"
    AFTERNOON = "pm", "après-midi"


class BusyKind(models.TextChoices):
    """What takes an adviser's time (``relais.team.busy``)."""

    PERMANENCE = "permanence", "Permanence"
    WORKSHOP = "workshop", "Atelier"
    APPOINTMENT = "appointment", "Rendez-vous"
    LEAVE = "leave", "Absence"
    CLOSURE = "closure", "Fermeture du lieu"
    MEETING = "meeting", "Comité technique"
    TRAVEL = "travel", "Trajet"
