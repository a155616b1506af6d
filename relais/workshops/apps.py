from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "relais.workshops"
    label = "workshops"
    verbose_name = "Ateliers"
