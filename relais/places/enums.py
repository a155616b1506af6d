from django.db import models


class PlaceKind(models.TextChoices):
    MEDIA_LIBRARY = "media_library", "Médiathèque"
    LIBRARY = "library", "Bibliothèque"
    TOWN_HALL = "town_hall", "Mairie"
    CCAS = "ccas", "CCAS"
    FRANCE_SERVICES = "france_services", "France Services"
    OTHER = "other", "Autre lieu"
