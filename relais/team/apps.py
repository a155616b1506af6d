from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "relais.team"
    label = "team"
    verbose_name = "Équipe départementale"
