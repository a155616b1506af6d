"""Test settings: fast hashing, in-memory e-mail, the database chosen by DATABASE_URL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
# Public keys, for tests only; the checkpoint file is a test's own (tmp_path), never var/.
RELAIS_JOURNAL_KEY = "test-only-journal-key-0123456789abcdefghijklmnop"
RELAIS_JOURNAL_KEYS = []
RELAIS_JOURNAL_CHECKPOINT_FILE = ""
# The test database is created and migrated as DATABASE_URL's role, whatever the environment.
DATABASE_MIGRATION = {}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One cache per test process, emptied before every test (tests/conftest.py), so that the rate
# limits of the public forms never carry over from one test to the next.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_pages": CACHES["public_pages"],  # noqa: F405
}
# Like e-mail: never a real SMS provider from a developer's .env; the tests read sms.outbox.
RELAIS_SMS_BACKEND = "relais.bookings.sms.LoggingSmsBackend"
# Tasks run inline when enqueued (after the commit, for the outbox): a test reads mail.outbox
# right after the action. The worker's own tests switch to the database backend.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
# Travel times are the estimates unless a test sets a matrix of its own.
RELAIS_TRAVEL_MATRIX = ""
# The scheduler is tested on its own; a worker started by a test runs only the tasks it is given.
RELAIS_PERIODIC_JOBS = False

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="WARNING")  # noqa: F405
