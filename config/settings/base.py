"""Base settings: production-safe defaults, configured by the environment.

Production runs these settings as they are (``DJANGO_SETTINGS_MODULE=config.settings.base``,
the default of the ``relais`` command); ``dev`` and ``test`` only relax them. Every value an
operator may change is read from an environment variable documented in docs/operations.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# A source checkout keeps its state beside manage.py; an installed package (pip install .)
# keeps it in the directory the `relais` command runs from.
PROJECT_DIR = BASE_DIR if (BASE_DIR / "manage.py").exists() else Path.cwd()
env = environ.Env()
# A `.env` file there is read when present, so a server can keep its variables in it.
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("RELAIS_VAR_DIR", default=str(PROJECT_DIR / "var")))

# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Empty means "not configured": Django refuses to start a request without a key.
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    # The task engine: django-tasks (Django 6's django.tasks, backported) and its database
    # backend, whose worker is `relais worker` (docs/decisions/0006-task-engine.md).
    "django_tasks",
    "django_tasks_db",
    "relais.core",
    # Low in the layers: every app may queue an e-mail or an SMS, or schedule a job.
    "relais.messaging",
    "relais.jobs",
    "relais.accounts",
    "relais.places",
    "relais.team",
    "relais.agreements",
    "relais.planning",
    "relais.privacy",
    "relais.workshops",
    "relais.bookings",
    "relais.appointments",
    "relais.beneficiaries",
    "relais.activities",
    "relais.monthly",
    "relais.committee",
    "relais.api",
    "relais.mandates",
    "relais.rights",
    "relais.public",
    "relais.reporting",
    # Last: the home page of each role reads every app above (docs/architecture.md, layers).
    "relais.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A public page this process sent to a visitor in the last two seconds goes out again from
    # here, without the rest of the stack (relais/core/pagecache.py, ADR 0009).
    "relais.core.pagecache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware and django-otp's OTPMiddleware in one: the user and the
    # device that verified the session in one query (issue 19 §2).
    "relais.accounts.middleware.VerifiedUserMiddleware",
    # Before any view, and before the login (django-axes stores the e-mail typed): NUL → 400.
    "relais.core.middleware.RefuseNulCharactersMiddleware",
    "relais.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "relais.core.context_processors.relais",
                # The service worker and queue of offline entry, on the advisers' pages.
                "relais.activities.context_processors.offline_entry",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# SQLite under var/ is the embedded default; production sets DATABASE_URL=postgres://…
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'relais.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two concurrent writers queue
    # instead of failing with "database is locked" halfway through a transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The statistics' roll-ups kept by each write run as prepared statements (relais.core.db):
# false only behind a connection pooler in transaction mode older than PgBouncer 1.21.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Django's cursors bind on the client and never prepare, whatever this is; psycopg
    # prepares only for the cursors of relais.core.db, and only when this is not None.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("prepare_threshold", 5 if DATABASE_PREPARED_STATEMENTS else None)
    if DATABASE_PREPARED_STATEMENTS:
        # Planned once, on its first execution, not five times for the values first given:
        # the plans of those statements do not depend on the values (ids, one person).
        _options["options"] = (
            f"{_options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
        )
# The owner of the tables, when it is not DATABASE_URL's role (docs/operations.md, « Rôles
# PostgreSQL »): `relais migrate` then migrates as the owner and grants DATABASE_URL's role only
# what it needs (on the journal: SELECT and INSERT). Give it in the environment of `relais
# migrate` only, never in the service's .env: the application must not hold the owner's password.
DATABASE_MIGRATION = (
    env.db_url("DATABASE_MIGRATION_URL") if env.str("DATABASE_MIGRATION_URL", default="") else {}
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A covering index's included columns are PostgreSQL's (the statistics' roll-ups, read from the
# index alone); SQLite keeps the index on its keys, which is all its sizes need.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache ------------------------------------------------------------------------------------
# Shared by every process: the rate limits of the public forms count there (django-ratelimit),
# and the posters, public pages and statistics charts are kept there (ADR 0009, 0010).
# Default: a table of the database, created by `relais migrate` (core's first migration), so
# it works on SQLite and PostgreSQL with nothing to install.
# memcached or Redis also work: CACHE_URL=pymemcache://127.0.0.1:11211 or redis://… A cache
# per process (locmem://) would let each gunicorn worker count on its own: do not use it.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://relais_cache")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # The same table, with an increment that holds under concurrent requests and keeps the
    # entry's expiry (Django's reads then rewrites with the default timeout): a rate limit's
    # window is not shortened and no attempt is lost. See relais/core/cache.py.
    CACHES["default"]["BACKEND"] = "relais.core.cache.DatabaseCache"
    # Beyond MAX_ENTRIES Django deletes a third of the entries at random: with the default 300,
    # a burst of requests from many addresses would wipe the counters of the others.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
# In front of it, for the public pages only, each process keeps the finished pages it sent to
# visitors for two seconds (ADR 0009): under load most visits then cost no round trip at all.
# A change made in another process shows after those two seconds at most; in its own, at once.
CACHES["public_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "relais-public-pages",
    "TIMEOUT": 2,
    "OPTIONS": {"MAX_ENTRIES": 500},  # a page is 10-60 kB: at most ~30 MB a process
}

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day: the link in the e-mail expires after that

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 10)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-otp: the issuer shown in the authenticator app next to the account.
OTP_TOTP_ISSUER = env.str("RELAIS_OTP_ISSUER", default="Relais")

# django-axes: lock an e-mail address + IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "relais.accounts.views.lockout"
AXES_USERNAME_CALLABLE = "relais.accounts.forms.axes_username"
# Behind the reverse proxy the client address is the last X-Forwarded-For entry written by a
# proxy we trust (RELAIS_TRUSTED_PROXY_COUNT of them; 0 = no proxy: use REMOTE_ADDR).
RELAIS_TRUSTED_PROXY_COUNT = env.int("RELAIS_TRUSTED_PROXY_COUNT", default=1)
AXES_CLIENT_IP_CALLABLE = "relais.core.ratelimits.client_ip"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# One French catalog (locale/fr): the UI is written in French in the code, and the catalog only
# carries French plural rules (0 and 1 singular) to ngettext and {% blocktranslate count %}.
# `make messages` rebuilds it (docs/architecture.md, « Pluriels »).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail -----------------------------------------------------------------------------------
# EMAIL_URL examples: smtp+tls://user:password@smtp.example.org:587, consolemail://
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
# A stuck SMTP server must not hold a worker for ever: the attempt fails and is retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Relais <ne-pas-repondre@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Administrateur", a) for a in env.list("ADMINS", default=[])]

# --- Security ---------------------------------------------------------------------------------
# TLS is terminated by the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Monitoring probes the health check over plain HTTP on the loopback.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# django-csp: no inline script or style anywhere; htmx is configured by a <meta> tag.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO (« Step 2 - Fetching and parsing
        # CSS »): noise in the worker's and the commands' output.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Relais -----------------------------------------------------------------------------------
RELAIS_DEPARTMENT_NAME = env.str(
    "RELAIS_DEPARTMENT_NAME", default="Département des Pyrénées-Orientales"
)
RELAIS_DEPARTMENT_CODE = env.str("RELAIS_DEPARTMENT_CODE", default="66")
# Public address of the site, used in e-mails (password reset, confirmations).
RELAIS_SITE_URL = env.str("RELAIS_SITE_URL", default="http://127.0.0.1:8000")
# The Département's logo on the posters of places (art. 5): an absolute file path, or a path
# among the static files. Empty: the poster sets the Département's name in type instead.
RELAIS_LOGO_PATH = env.str("RELAIS_LOGO_PATH", default="")
# Workshop reminders go out this many hours before a session (relais send-reminders).
RELAIS_REMINDER_HOURS = env.int("RELAIS_REMINDER_HOURS", default=48)
# SMS provider: dotted path of a class with send(to, text). The default sends nothing and only
# logs (see relais/bookings/sms.py); set a real provider's class in production.
RELAIS_SMS_BACKEND = env.str("RELAIS_SMS_BACKEND", default="relais.bookings.sms.LoggingSmsBackend")
# The Brevo provider (RELAIS_SMS_BACKEND=relais.bookings.sms.BrevoSmsBackend): its API key, the
# sender name shown on the phone (11 letters or digits at most) and the API's address.
RELAIS_SMS_BREVO_API_KEY = env.str("RELAIS_SMS_BREVO_API_KEY", default="")
RELAIS_SMS_SENDER = env.str("RELAIS_SMS_SENDER", default="Relais")
RELAIS_SMS_BREVO_URL = env.str(
    "RELAIS_SMS_BREVO_URL", default="https://api.brevo.com/v3/transactionalSMS/sms"
)
# Public forms (workshop registration and its waiting list, appointment booking, password
# reset): submissions allowed per client address (RELAIS_TRUSTED_PROXY_COUNT decides which
# address) and per e-mail address or phone number given, as "count/period" with a period of
# s, m, h or d (e.g. 30/h, 100/d); empty: no limit. Past it: HTTP 429, a page in French.
RELAIS_RATELIMIT_PER_ADDRESS = env.str("RELAIS_RATELIMIT_PER_ADDRESS", default="30/h")
RELAIS_RATELIMIT_PER_CONTACT = env.str("RELAIS_RATELIMIT_PER_CONTACT", default="10/h")
# Spreadsheet imports (beneficiaries, an agreement's table of places): lines read at most,
# headers included. A file with a filled cell further down is refused before it is parsed.
RELAIS_IMPORT_MAX_ROWS = env.int("RELAIS_IMPORT_MAX_ROWS", default=2000)
# Uploads of more than RELAIS_IMPORT_JOB_BYTES are checked and imported by a worker (an import
# job; the file kept in RELAIS_EXPORTS_DIR/imports for RELAIS_IMPORT_KEEP_HOURS after its last
# step, then deleted); smaller ones stay immediate, through the same functions.
RELAIS_IMPORT_JOB_BYTES = env.int("RELAIS_IMPORT_JOB_BYTES", default=16_000)
RELAIS_IMPORT_KEEP_HOURS = env.int("RELAIS_IMPORT_KEEP_HOURS", default=24)

# The journal (docs/operations.md, « Purge et journal »). Its entries are chained by an HMAC
# with this key, which is never stored in the database: whoever can write to the database but
# does not hold the key cannot rewrite the journal unseen. Required: empty means "not
# configured", and then `relais check` fails and nothing can be journaled (dev and test settings
# set a public key of their own).
RELAIS_JOURNAL_KEY = env.str("RELAIS_JOURNAL_KEY", default="")
# Retired keys, oldest first, kept to verify the entries they signed (key rotation).
RELAIS_JOURNAL_KEYS = env.list("RELAIS_JOURNAL_KEYS", default=[])
# Checkpoints of the journal's head appended by `relais verify-journal` and `relais
# journal-checkpoint`, outside the database; empty: none.
RELAIS_JOURNAL_CHECKPOINT_FILE = env.str(
    "RELAIS_JOURNAL_CHECKPOINT_FILE", default=str(VAR_DIR / "journal-checkpoints.jsonl")
)
# Appointments (« rendez-vous »): the département-wide rules. A place may override the first
# three on its page « Réglages des rendez-vous ».
RELAIS_APPOINTMENT_MIN_NOTICE_HOURS = env.int("RELAIS_APPOINTMENT_MIN_NOTICE_HOURS", default=24)
RELAIS_APPOINTMENT_HORIZON_DAYS = env.int("RELAIS_APPOINTMENT_HORIZON_DAYS", default=30)
# Share (0 to 1) of each adviser's permanence kept free for walk-ins.
RELAIS_APPOINTMENT_WALK_IN_SHARE = env.float("RELAIS_APPOINTMENT_WALK_IN_SHARE", default=0.5)
RELAIS_APPOINTMENT_GRID_MINUTES = env.int("RELAIS_APPOINTMENT_GRID_MINUTES", default=15)
if RELAIS_APPOINTMENT_GRID_MINUTES < 1:
    # A zero step would never advance through a permanence.
    raise ImproperlyConfigured("RELAIS_APPOINTMENT_GRID_MINUTES doit valoir au moins 1.")
RELAIS_APPOINTMENT_REMINDER_HOURS = env.int(
    "RELAIS_APPOINTMENT_REMINDER_HOURS", default=RELAIS_REMINDER_HOURS
)
# Days after a mandate's signature during which actions may be recorded (with a warning) while
# its signed copy is not uploaded; past them, actions are refused until it is.
RELAIS_MANDATE_SCAN_GRACE_DAYS = env.int("RELAIS_MANDATE_SCAN_GRACE_DAYS", default=7)
# Statistical disclosure control (relais.reporting.disclosure): a published count of 1 to
# RELAIS_DISCLOSURE_THRESHOLD - 1 is « secret statistique » (5: the usual public statistics rule).
RELAIS_DISCLOSURE_THRESHOLD = env.int("RELAIS_DISCLOSURE_THRESHOLD", default=5)
# The data protection officer's contact, printed in the record of processing (GDPR art. 30).
RELAIS_DPO_CONTACT = env.str("RELAIS_DPO_CONTACT", default="")
# The planner's travel times: a CSV file from_commune,to_commune,minutes; empty = estimates.
RELAIS_TRAVEL_MATRIX = env.str("RELAIS_TRAVEL_MATRIX", default="")
# The planner's midday break (minutes, the drive between the two places not included).
RELAIS_PLANNER_MIN_BREAK_MINUTES = env.int("RELAIS_PLANNER_MIN_BREAK_MINUTES", default=45)
# Whether the planner may split a day committed as a day between advisers or days.
RELAIS_PLANNER_SPLIT_DAYS = env.bool("RELAIS_PLANNER_SPLIT_DAYS", default=False)
# Solve the planner inside the request instead of a background thread (tests, debugging).
RELAIS_PLANNER_SYNC = env.bool("RELAIS_PLANNER_SYNC", default=False)

# --- Background work (docs/decisions/0006-task-engine.md) -------------------------------------
# Tasks are rows of the database (django-tasks' database backend), run by `relais worker`
# processes on any machine that reaches the database. Queues: "messages" (the outbox),
# "planner" (long solves), "exports" (large exports) and "default" (periodic jobs, the rest); a
# worker takes all of them unless told otherwise (docs/operations.md, « Worker »).
TASK_QUEUES = ["default", "messages", "planner", "exports"]
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES},
}
# A task whose worker stopped sending heartbeats for this long is run again (the worker died:
# SIGKILL, power loss), up to RELAIS_TASK_MAX_ATTEMPTS runs in all; then it is marked failed.
RELAIS_WORKER_HEARTBEAT_SECONDS = env.int("RELAIS_WORKER_HEARTBEAT_SECONDS", default=15)
RELAIS_WORKER_LOST_AFTER_SECONDS = env.int("RELAIS_WORKER_LOST_AFTER_SECONDS", default=120)
RELAIS_TASK_MAX_ATTEMPTS = env.int("RELAIS_TASK_MAX_ATTEMPTS", default=3)
# Whether `relais worker` enqueues the periodic jobs (relais/jobs/schedule.py). Any number of
# workers may: each slot of each job is enqueued once (a unique row).
RELAIS_PERIODIC_JOBS = env.bool("RELAIS_PERIODIC_JOBS", default=True)
# The outbox: a failed e-mail or SMS is tried again after RELAIS_OUTBOX_RETRY_SECONDS, then
# twice as long each time, RELAIS_OUTBOX_MAX_ATTEMPTS attempts in all; then it shows as failed
# to the coordinators (/messages-envoyes/).
RELAIS_OUTBOX_MAX_ATTEMPTS = env.int("RELAIS_OUTBOX_MAX_ATTEMPTS", default=6)
RELAIS_OUTBOX_RETRY_SECONDS = env.int("RELAIS_OUTBOX_RETRY_SECONDS", default=60)
# How many due messages one task claims at a time and sends over one SMTP connection.
RELAIS_OUTBOX_BATCH = env.int("RELAIS_OUTBOX_BATCH", default=50)
# Exports of more than RELAIS_EXPORT_JOB_ROWS rows are written by a worker, kept in
# RELAIS_EXPORTS_DIR and downloadable for RELAIS_EXPORT_KEEP_HOURS; smaller ones stay immediate.
RELAIS_EXPORT_JOB_ROWS = env.int("RELAIS_EXPORT_JOB_ROWS", default=20_000)
RELAIS_EXPORTS_DIR = Path(env.str("RELAIS_EXPORTS_DIR", default=str(VAR_DIR / "exports")))
RELAIS_EXPORT_KEEP_HOURS = env.int("RELAIS_EXPORT_KEEP_HOURS", default=24)
