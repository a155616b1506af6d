from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "relais.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import checks, registry  # noqa: F401 (checks registers the system checks)

        registry.register_builtin_rules()
        # Each app declares its own personal data in a ``privacy.py`` module (see registry.py):
        # importing them here fills the retention table before any request or command runs.
        autodiscover_modules("privacy")
