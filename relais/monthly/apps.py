from django.apps import AppConfig


class MonthlyConfig(AppConfig):
    """The partners' monthly activity reports (art. 3.4): figures, workflow, reminders."""

    name = "relais.monthly"
    label = "monthly"
    verbose_name = "Comptes rendus mensuels (art. 3.4)"
