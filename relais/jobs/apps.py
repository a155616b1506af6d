from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "relais.jobs"
    label = "jobs"
    verbose_name = "Tâches de fond"
