"""Development settings: the demo on http://127.0.0.1:8000 with SQLite and console e-mail."""

from .base import *  # noqa: F403
from .base import RELAIS_JOURNAL_KEY, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
# Read from the environment by base.py; this public key only when none is given there.
RELAIS_JOURNAL_KEY = RELAIS_JOURNAL_KEY or "dev-only-insecure-journal-key-never-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Plain HTTP on localhost.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
