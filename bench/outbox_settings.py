"""The outbox benchmark's workers: the test settings, the database queue and real SMTP."""

from tests.jobs.worker_settings import *  # noqa: F403

# EMAIL_URL (read by the base settings) names the benchmark's SMTP sink.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
