from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "relais.core"
    label = "core"
    verbose_name = "Référentiels"
