"""System checks of the public forms' rate limits, the cache they count in, and the imports."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .ratelimits import parse_rate

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
