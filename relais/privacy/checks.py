"""System checks of the journal's configuration: its key is required, its checkpoints advised."""

from django.conf import settings
from django.core import checks

from .journal_keys import key_problems

KEY_HINT = (
    "Générez une clé avec python3 -c 'import secrets; print(secrets.token_urlsafe(32))' et "
    "mettez-la dans RELAIS_JOURNAL_KEY (docs/operations.md, « Purge et journal »)."
)


@checks.register()
def journal_keys_check(app_configs, **kwargs):
    return [
        checks.Error(message, hint=KEY_HINT, id=f"privacy.{code}")
        for code, message in key_problems()
    ]


@checks.register(checks.Tags.security, deploy=True)
def journal_deploy_check(app_configs, **kwargs):
    warnings = []
    if not settings.RELAIS_JOURNAL_CHECKPOINT_FILE:
        warnings.append(
            checks.Warning(
                "RELAIS_JOURNAL_CHECKPOINT_FILE est vide : aucun point de contrôle du journal "
                "hors de la base, une fin de journal supprimée ne serait pas détectée.",
                id="privacy.W001",
            )
        )
    if settings.DATABASE_MIGRATION:
        warnings.append(
            checks.Warning(
                "DATABASE_MIGRATION_URL est lu par ce processus : le mot de passe du "
                "propriétaire des tables ne doit être donné qu'à `relais migrate`, jamais dans "
                "le .env du service.",
                id="privacy.W002",
            )
        )
    return warnings
