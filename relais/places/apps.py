from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "relais.places"
    label = "places"
    verbose_name = "Lieux d'intervention"
