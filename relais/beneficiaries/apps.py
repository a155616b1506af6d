from django.apps import AppConfig


class BeneficiariesConfig(AppConfig):
    name = "relais.beneficiaries"
    label = "beneficiaries"
    verbose_name = "Personnes accompagnées"
