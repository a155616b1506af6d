from django.apps import AppConfig


class MandatesConfig(AppConfig):
    name = "relais.mandates"
    label = "mandates"
    verbose_name = "Mandats"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the scan clean-up on delete
