"""Settings of ``make bench-load``: the production settings (config.settings.base, every value
from the environment as in production) plus the benchmark's one-line view beside the real
URLs, the ceiling every page is compared with. Never used outside the benchmark."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE

ROOT_URLCONF = "bench.load_urls"


def former_middleware(middleware: list[str]) -> list[str]:
    """The baseline of issue 19 §2, measured beside the current stack in the same run: Django's
    AuthenticationMiddleware and django-otp's OTPMiddleware, reading the user and the device in
    two queries where relais.accounts.middleware.VerifiedUserMiddleware reads them in one."""
    at = middleware.index("relais.accounts.middleware.VerifiedUserMiddleware")
    return [
        *middleware[:at],
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        *middleware[at + 1 :],
    ]


if os.environ.get("BENCH_LOAD_MIDDLEWARE") == "django":
    MIDDLEWARE = former_middleware(MIDDLEWARE)
