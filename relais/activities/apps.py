from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "relais.activities"
    label = "activities"
    verbose_name = "Activités (comptes rendus d'accompagnement)"
