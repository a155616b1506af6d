"""System checks of the public forms' rate limits, the cache they count in, the imports, and
the database's place in the squashed migrations."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .ratelimits import parse_rate

# The last commit with every migration that the squashed ones replace
# (docs/decisions/0011-squashed-migrations.md): a database part of the way through them upgrades
# there first.
BEFORE_SQUASH = "c56a297"

# Caches that each process keeps for itself (or not at all): every gunicorn worker would count
# on its own, multiplying the limits by the number of workers.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register()
def limits_check(app_configs, **kwargs):
    errors = []
    for name in ("RELAIS_RATELIMIT_PER_ADDRESS", "RELAIS_RATELIMIT_PER_CONTACT"):
        try:
            parse_rate(getattr(settings, name))
        except ImproperlyConfigured as error:
            errors.append(checks.Error(f"{name} : {error}", id="core.E001"))
    if settings.RELAIS_IMPORT_MAX_ROWS < 2:
        errors.append(
            checks.Error(
                "RELAIS_IMPORT_MAX_ROWS doit valoir au moins 2 (les en-têtes et une ligne).",
                id="core.E002",
            )
        )
    return errors


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            checks.Warning(
                f"Le cache {backend} n'est pas partagé entre les processus : les limites des "
                "formulaires publics y seraient comptées processus par processus.",
                hint="Laissez CACHE_URL vide (table de la base) ou donnez un memcached ou Redis.",
                id="core.W001",
            )
        ]
    return []


@checks.register(checks.Tags.database)
def squashed_migrations_check(app_configs, databases=None, **kwargs):
    """A database that applied some but not all of the migrations a squashed one replaces.

    Django then leaves the app's migrations out of the plan without a word (the replaced files
    are gone): `relais migrate` would say « No migrations to apply » over a database missing
    columns. Run by `migrate` before it plans (and by `check --database`)."""
    errors = []
    for alias in databases or ():
        recorder = MigrationRecorder(connections[alias])
        if not recorder.has_table():
            continue  # a new database: every squashed migration runs whole
        applied = set(recorder.applied_migrations())
        loader = MigrationLoader(None, ignore_no_migrations=True)
        for key, migration in sorted(loader.replacements.items()):
            missing = [name for app, name in migration.replaces if (app, name) not in applied]
            if 0 < len(missing) < len(migration.replaces):
                errors.append(
                    checks.Error(
                        f"La base « {alias} » s'est arrêtée au milieu des migrations de "
                        f"« {key[0]} » que {key[1]} regroupe (manquantes : "
                        f"{', '.join(missing)}).",
                        hint=f"Installez d'abord la version {BEFORE_SQUASH} de Relais et lancez "
                        "« relais migrate », puis revenez à cette version.",
                        id="core.E003",
                    )
                )
    return errors
