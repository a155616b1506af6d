from django.db import models

from relais.team.enums import Weekday  # one weekday vocabulary for the team and the planning

__all__ = ["ExceptionKind", "MonthWeek", "OccurrenceStatus", "Recurrence", "Weekday"]


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", "Chaque semaine"
    FORTNIGHTLY = "fortnightly", "Une semaine sur deux"
    MONTHLY = "monthly", "Une fois par mois (n-ième jour du mois)"


class MonthWeek(models.IntegerChoices):
    FIRST = 1, "premier"
    SECOND = 2, "deuxième"
    THIRD = 3, "troisième"
    FOURTH = 4, "quatrième"
    LAST = -1, "dernier"


class OccurrenceStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    UNSTAFFED = "unstaffed", "Sans conseiller"
    CANCELLED = "cancelled", "Annulée"


class ExceptionKind(models.TextChoices):
    CANCELLATION = "cancellation", "Annulation"
    REPLACEMENT = "replacement", "Remplacement"
