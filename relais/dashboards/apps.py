from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The home page of each role: the top layer, it reads every domain app and none reads it."""

    name = "relais.dashboards"
    label = "dashboards"
    verbose_name = "Tableaux de bord"
