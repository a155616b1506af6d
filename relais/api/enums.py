from django.db import models


class Scope(models.TextChoices):
    STATS_READ = "stats:read", "Statistiques agrégées (stats:read)"
    ACTIVITIES_READ = "activities:read", "Activités anonymisées (activities:read)"
