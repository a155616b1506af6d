from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "relais.committee"
    label = "committee"
    verbose_name = "Comité technique et suivi (art. 3.4)"
