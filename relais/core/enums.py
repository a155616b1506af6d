from django.db import models


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", "Département"
    EPCI = "epci", "Intercommunalité (EPCI)"
    MUNICIPALITY = "municipality", "Commune"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Autre structure"
