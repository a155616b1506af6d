from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "relais.agreements"
    label = "agreements"
    verbose_name = "Conventions et délibérations"
