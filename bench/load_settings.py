"""Settings of ``make bench-load``: the production settings (config.settings.base, every value
from the environment as in production) plus the benchmark's one-line view beside the real
URLs, the ceiling every page is compared with. Never used outside the benchmark."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
