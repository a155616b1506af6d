"""The test settings with the database backend: what a real worker started by a test runs."""

from config.settings.test import *  # noqa: F403

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": TASK_QUEUES,  # noqa: F405
    }
}
