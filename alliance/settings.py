"""The one settings module, read from the environment (see alliance/env.py and README)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from alliance.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("DEMO_MODE", False)

if not DEBUG:
    _missing = [
        name
        for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
        if not env_str(name)
    ]
    if _missing:
        raise ImproperlyConfigured(
            "DEBUG is off, so these environment variables are required: " + ", ".join(_missing)
        )

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-only-for-debug")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The alliance this deployment serves. Nothing else in the code may name a place.
ALLIANCE_NAME = env_str("ALLIANCE_NAME", "Leicester Supporting Separated Families Alliance")
ALLIANCE_SHORT_NAME = env_str("ALLIANCE_SHORT_NAME", "Separated Families Alliance")
ALLIANCE_AREA = env_str("ALLIANCE_AREA", "Leicester, Leicestershire and Rutland")
ALLIANCE_CONTACT_EMAIL = env_str("ALLIANCE_CONTACT_EMAIL", "alliance@example.org")
ALLIANCE_CONTACT_PHONE = env_str("ALLIANCE_CONTACT_PHONE", "0116 000 0000")
ALLIANCE_MAP_CENTRE = (
    env_float("ALLIANCE_MAP_LAT", 52.6369),
    env_float("ALLIANCE_MAP_LNG", -1.1398),
)
ALLIANCE_AREA_RADIUS_MILES = env_float("ALLIANCE_AREA_RADIUS_MILES", 25.0)
# The alliance's area as postcode districts ("DE74") or whole postcode areas ("LE"), as well as
# the radius around ALLIANCE_MAP_CENTRE: a postcode in neither is told it is outside the area.
ALLIANCE_AREA_DISTRICTS = env_list(
    "ALLIANCE_AREA_DISTRICTS",
    ["LE", "CV13", "DE11", "DE12", "DE73", "DE74", "NG13", "PE9"],
)
EXIT_URL = env_str("EXIT_URL", "https://www.bbc.co.uk/weather")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 730)
# Months a closed referral's personal data (names, contact details, free text, the case's court
# and number) is kept before the retention purge erases it, leaving anonymous figures only
# (issue 10; docs/referrals-operations.md). The privacy notice reads this same setting.
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 12)

INSTALLED_APPS = [
    "alliance.apps.AllianceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_ratelimit",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "alliance",
    "directory",
    "referrals",
    "resources",
]

MIDDLEWARE = [
    # Outermost, so it logs every answer (redirects, static files, errors): route names only.
    "alliance.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alliance.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"
AUTH_USER_MODEL = "alliance.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance.context_processors.alliance",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alliance"),
        # Measured here: a new PostgreSQL connection per request cuts a simple page's
        # throughput about nine-fold, so connections persist and are health-checked.
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# No JIT: the portal's queries are short, and one misestimated plan (an OR of subqueries in
# the search) otherwise spends over a second compiling code for a 50 ms query (issue 14,
# bench/search.py at 100,000 services).
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = f"{_db_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# Sessions (a parent's answers, postcode and list) and the cache live in a Redis that never
# writes to disk (DESIGN.md privacy rule 8, docs/decisions/0005): `check --deploy` and
# /healthz refuse one that does. The broker may keep persistence on a separate instance.
SESSION_REDIS_URL = env_str("SESSION_REDIS_URL", REDIS_URL)
# A managed Redis may refuse CONFIG GET: confirm persistence is off there, then set this off.
SESSION_REDIS_CONFIG_CHECK = env_bool("SESSION_REDIS_CONFIG_CHECK", True)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": SESSION_REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "alliance"),
        "TIMEOUT": 300,
        # A Redis that stops answering (rather than refusing) must fail fast into the 503
        # page (alliance/errors.py), not hold a worker thread until the proxy gives up.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
# Sessions live in Redis, never in the database: the get-help answers are kept only there,
# and /exit/ deletes them (DESIGN.md privacy rule 3).
# The cache store, except that a Redis out of reach is reported, not read as "no session".
SESSION_ENGINE = "alliance.sessions"
# A shared family computer: the session cookie ends when the browser closes, and the server
# forgets a session left idle this long (each request starts the time again).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# Staff sign in with two factors and may spend a while on one form: a longer idle time.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_MINUTES", 120) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Messages ("we are sending your list to ...") stay in the session, not in a cookie on disk.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# The CSRF cookie, too, ends with the browser session.
CSRF_COOKIE_AGE = None

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
LOGIN_URL = "alliance:login"
LOGIN_REDIRECT_URL = "alliance:staff-home"
OTP_TOTP_ISSUER = ALLIANCE_SHORT_NAME
# New staff choose a password and set up their authenticator through a single-use link that
# lasts this long (alliance.services.staff_setup_link_send; `manage.py staff_setup_link`).
STAFF_SETUP_LINK_HOURS = env_int("STAFF_SETUP_LINK_HOURS", 72)
# How long the link in a parent's programme-referral email opens their own page.
REFERRAL_PARENT_LINK_DAYS = env_int("REFERRAL_PARENT_LINK_DAYS", 28)

# How many proxies of our own stand in front of the portal: the visitor's address is the one
# the nearest of them appended to X-Forwarded-For (0: REMOTE_ADDR, the header is ignored).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
# Sign-in lock-out (alliance/lockout.py): per account from any address, and per address
# across accounts, with a higher limit for an address (an office may share one).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 0.5)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_HANDLER = "alliance.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "alliance.lockout.client_address"
AXES_USERNAME_CALLABLE = "alliance.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "alliance.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Behind a proxy, name the header that carries the visitor's address (e.g. HTTP_X_REAL_IP).
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY") or None
# A parent may email their list a few times; the form must not become a way to flood someone.
MY_LIST_EMAILS_PER_HOUR = env_int("MY_LIST_EMAILS_PER_HOUR", 5)
# Curation (docs/curation.md): where the contact page's messages go, the spam limits of the
# public forms (per visitor address, and per practitioner email address), review links and
# the link checker's bounds.
ALLIANCE_INBOX_EMAIL = env_str("ALLIANCE_INBOX_EMAIL", ALLIANCE_CONTACT_EMAIL)
PUBLIC_FORMS_PER_HOUR = env_int("PUBLIC_FORMS_PER_HOUR", 10)
SUGGESTIONS_PER_ADDRESS_PER_DAY = env_int("SUGGESTIONS_PER_ADDRESS_PER_DAY", 5)
REVIEW_LINK_DAYS = env_int("REVIEW_LINK_DAYS", 42)
LINK_CHECK_TIMEOUT_SECONDS = env_float("LINK_CHECK_TIMEOUT_SECONDS", 10.0)
LINK_CHECK_CONCURRENCY = env_int("LINK_CHECK_CONCURRENCY", 8)
# The checker refuses websites (and redirects) on private, loopback or link-local networks, so
# a listing can never make the portal fetch its own infrastructure; tests use a local server.
LINK_CHECK_ALLOW_PRIVATE = env_bool("LINK_CHECK_ALLOW_PRIVATE", False)
# Parenting plan (issue 13): sign-in links work once and expire; invitations last longer.
PLAN_SIGN_IN_LINK_MINUTES = env_int("PLAN_SIGN_IN_LINK_MINUTES", 60)
PLAN_INVITE_LINK_DAYS = env_int("PLAN_INVITE_LINK_DAYS", 7)
# Links emailed per hour, per address asked for and per visitor; invitations a day per plan.
PLAN_LINKS_PER_HOUR_PER_EMAIL = env_int("PLAN_LINKS_PER_HOUR_PER_EMAIL", 3)
PLAN_LINKS_PER_HOUR_PER_VISITOR = env_int("PLAN_LINKS_PER_HOUR_PER_VISITOR", 10)
PLAN_INVITES_PER_DAY = env_int("PLAN_INVITES_PER_DAY", 3)
PLAN_MAX_ITEMS = env_int("PLAN_MAX_ITEMS", 300)
# django-ratelimit lists only the older third-party Redis backends; Django's own RedisCache
# gives it what it needs (add, and an atomic INCR), and the test of the limit runs on it.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("build", BASE_DIR / "build" / "static"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env_bool("STATIC_MANIFEST", True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.8.0"

# Email: SMTP in production; files in the demo so nothing leaves the machine.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Outbox: how long a claimed message may stay claimed before the sweeper hands it out again,
# and how old an unsent row must be before the sweeper re-queues it.
OUTBOX_CLAIM_SECONDS = env_int("OUTBOX_CLAIM_SECONDS", 300)
OUTBOX_SWEEP_AFTER_SECONDS = env_int("OUTBOX_SWEEP_AFTER_SECONDS", 120)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 120)

# Celery (DESIGN.md "Reliability").
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "alliance")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 90)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 3,
}
# A web request must not hang when the broker is down: publish fails fast and the
# beat sweeper delivers the row later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "alliance.tasks.heartbeat", "schedule": 30.0},
    "sweep-outbox": {"task": "alliance.tasks.sweep_outbox", "schedule": 60.0},
    "erase-expired-personal-data": {
        "task": "alliance.tasks.erase_expired_personal_data",
        "schedule": 6 * 60 * 60.0,
    },
    "directory-reviews": {"task": "directory.tasks.run_reviews", "schedule": 24 * 60 * 60.0},
    "directory-link-check": {"task": "directory.tasks.check_links", "schedule": 24 * 60 * 60.0},
    "directory-erase-personal-data": {
        "task": "directory.tasks.erase_curation_personal_data",
        "schedule": 6 * 60 * 60.0,
    },
    # Parenting plan (issue 13): review-date reminders, and plans past their retention.
    "plan-review-reminders": {
        "task": "resources.plan.tasks.send_review_reminders",
        "schedule": 60 * 60.0,
    },
    "plan-erase-expired": {
        "task": "resources.plan.tasks.erase_expired_plans",
        "schedule": 6 * 60 * 60.0,
    },
    # Referral timers count whole days; a quarter-hour beat sends each within minutes of its
    # day starting, and a second beat process changes nothing (referrals.timer_services).
    "referral-timers": {"task": "referrals.tasks.run_referral_timers", "schedule": 15 * 60.0},
    "purge-closed-referrals": {
        "task": "referrals.tasks.purge_closed_referrals",
        "schedule": 6 * 60 * 60.0,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    # The throttle counts per client address: the one our own proxies recorded, as for the
    # sign-in lock-out; a client's own X-Forwarded-For entries are never trusted.
    "NUM_PROXIES": PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "directory.api.errors.exception_handler",
    # JSON only: `?format=` is an ORUK parameter, not a way to ask DRF for another renderer.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{ALLIANCE_NAME}: Open Referral UK API",
    "DESCRIPTION": "The public directory as Open Referral UK (HSDS 3.0); see /api/v1/.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Security headers (issue: the walking skeleton, item 7).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
# The embedded demo (`make run`, DEMO_MODE) runs as deployed, DEBUG off, but over plain HTTP
# on 127.0.0.1: no HTTPS redirect, HSTS or HTTPS-only cookies there. `check --deploy` refuses
# DEMO_MODE (alliance.E012), so a deployment cannot inherit this.
_HTTPS_ONLY = not (DEBUG or DEMO_MODE)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS_ONLY)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000) if _HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS_ONLY
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _HTTPS_ONLY)
SESSION_COOKIE_SECURE = _HTTPS_ONLY
CSRF_COOKIE_SECURE = _HTTPS_ONLY
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "alliance.views.csrf_failure"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
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
if SECURE_SSL_REDIRECT:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A path can say what a parent answered (/get-help/emergency/): Django's own request
    # warnings ("Not Found: /path") name the route instead (alliance/middleware.py).
    "filters": {"route_not_path": {"()": "alliance.middleware.RouteNotPathFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["route_not_path"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The access log (gunicorn's is off): method, route name, status, time.
        "alliance.access": {"level": "INFO"},
        # Request logs would carry query strings (postcodes); keep only warnings.
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
