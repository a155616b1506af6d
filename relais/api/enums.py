from django.db import models


class Scope(models.TextChoices):
    STATS_READ = "stats:read", "Statistiques agrégées (stats:read)"
    ACTIVITIES_READ = (
        "activities:read",
        "Activités anonymisées, sans quasi-identifiant (activities:read)",
    )
    # Date, place and profiles of each activity can single a person out (issue 20 §1): only
    # for a recipient entitled to them (a partner's own agreement, a study under convention).
    ACTIVITIES_DETAIL = (
        "activities:detail",
        "Activités avec quasi-identifiants : date, lieu, genre, âge, statut (activities:detail)",
    )
