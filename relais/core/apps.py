from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "relais.core"
    label = "core"
    verbose_name = "Référentiels"

    def ready(self) -> None:
        # Imported for their side effects: the system checks, and integer columns that accept
        # the same values on SQLite as on PostgreSQL (``integers``).
        from . import checks, integers  # noqa: F401
