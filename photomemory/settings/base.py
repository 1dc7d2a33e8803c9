"""Settings driven by the environment (django-environ).

With no environment at all this runs the embedded default: SQLite, media and cache under `var/`,
a filesystem Celery broker, console e-mail, AI and payments off. Each service variable switches
its part to the real backend. See `.env.example` for every variable.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env is a convenience for development; real deployments set the environment.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- core -----------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
# Development-only fallback; production.py refuses to start without SECRET_KEY in the env.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-default-do-not-use-in-production")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
PRODUCT_NAME = "PhotoMemory AI"  # what every e-mail and the admin call us

INSTALLED_APPS = [
    # First: its createsuperuser (verified e-mail, for allauth's admin login) wins over Django's.
    "accounts",
    # The admin with dj-stripe's pages folded away (photomemory/admin.py).
    "photomemory.admin.PhotoMemoryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "csp",
    "projects",
    "rendering",
    "billing",
    "djstripe",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the others, so it sees every answer under /api/ (and turns it into JSON).
    "projects.api.middleware.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After SessionMiddleware, before CommonMiddleware: the cookie, else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's saved language over the cookie and Accept-Language (LocaleMiddleware).
    "accounts.language.UserLanguageMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "photomemory.urls"
WSGI_APPLICATION = "photomemory.wsgi.application"
ASGI_APPLICATION = "photomemory.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # django-environ warns, then returns {} for a garbage URL
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"].get("ENGINE") not in environ.Env.DB_SCHEMES.values():
    raise ImproperlyConfigured(
        "DATABASE_URL must be a database URL, as postgres://USER:PASSWORD@HOST:5432/NAME "
        "or sqlite:////absolute/path.sqlite3"
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has a web process and a worker writing progress at once: WAL lets
    # readers and one writer work together, IMMEDIATE takes the write lock up front (no
    # "database is locked" half-way through a transaction), and writers wait up to 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A dead database must fail /readyz in seconds, not hang a worker for the TCP default.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PRODUCT_NAME}] "
# Names the product and links to SITE_URL in allauth's e-mails (no django.contrib.sites table).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Clicking the link in the same browser (or app session) that signed up signs you in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Counted in the shared cache (Redis or the file cache), so every process sees the same counts.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_ONLY = False
# Users appear in headless responses by their public UUID, never by the sequential pk.
HEADLESS_ADAPTER = "accounts.headless.HeadlessAdapter"

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an anonymous request gets 401 + WWW-Authenticate rather than 403.
        "accounts.api.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only; the upload views take multipart/form-data instead.
    "DEFAULT_PARSER_CLASSES": ["projects.api.parsers.LimitedJSONParser"],
    # Adds the error responses, paging parameters and binary uploads clients are generated from.
    "DEFAULT_SCHEMA_CLASS": "projects.api.schema.ApiAutoSchema",
    # Every API error in one shape: {"error": {"code", "message", "fields"}}.
    "EXCEPTION_HANDLER": "projects.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PhotoMemory AI API",
    "VERSION": "1.0.0",
    # Swagger UI's files come from the drf-spectacular-sidecar wheel, served by us: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The views take the whole body on PATCH (no partial serializers), so no "Patched…" copies.
    # Tags (and a generated client's modules) by resource: projects, me, billing.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "projects.api.schema.name_enum_members",
    ],
    "COMPONENT_SPLIT_PATCH": False,
    # Enum components named for what they are rather than for the field that first used them.
    "ENUM_NAME_OVERRIDES": {
        "Style": "projects.models.Style",
        "Aspect": "projects.models.Aspect",
        "Resolution": "projects.models.Resolution",
        "ProjectStatus": "projects.models.ProjectStatus",
        "ProjectMusic": "projects.api.common.MUSIC_CHOICES",
        "MusicSetting": "projects.api.projects.MUSIC_SETTINGS",
        # A video's language (captions, subtitles) and the app's own language differ.
        "Language": "projects.api.common.LANGUAGE_CHOICES",
        "AppLanguage": "accounts.models.APP_LANGUAGES",
        "VideoStatus": "rendering.models.VideoStatus",
        "VideoStage": "rendering.models.VideoStage",
        "PriceInterval": ["month", "year"],
        "PlanSource": ["subscription", "complimentary", "default"],
        "TextSource": "projects.api.common.TEXT_SOURCES",
        "ImageDetail": "projects.api.common.IMAGE_DETAILS",
        "AiRequestStatus": "projects.models.AiRequestStatus",
        "SuggestionField": "projects.models.SuggestionField",
        "SuggestionState": "projects.models.SuggestionState",
    },
}

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages of the web app, the API's messages and the e-mails. Offer a language only when
# its translation is complete (tests/photomemory/test_i18n.py checks every entry), so no page
# mixes languages: allauth ships catalogs for many more, and its German used to leak into our
# English pages. To add one, e.g. Spanish:
#   1. .venv/bin/python manage.py makemessages -l es --ignore=.venv --ignore=tests and
#      .venv/bin/python manage.py makemessages -d djangojs -l es --ignore=.venv
#      --ignore=static/vendor (README, "Languages")
#   2. translate every msgid in locale/es/LC_MESSAGES/django.po and djangojs.po (no fuzzy)
#   3. add ("es", "Español") below; tests/photomemory/test_i18n.py then checks its catalogs
#      and walks the main pages in it for English left over.
# A right-to-left language needs nothing more: base.html sets dir="rtl" and the CSS uses
# logical properties. .mo files are built by compilemessages (make install, CI, Dockerfile).
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The languages a video's title, captions and subtitles can be written in (the render pipeline
# and machine translation), independent of the languages the app itself is translated into.
VIDEO_LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("ja", "日本語"),
]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static & media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app folders until collectstatic has run (the demo never runs it).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
AWS_S3_ENDPOINT_URL = env("S3_ENDPOINT_URL", default=None)
# Presigned URLs are the only way out of the private bucket; keep them short-lived.
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=3600)

if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "default_acl": None,  # nothing is public-read: the bucket policy decides
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- cache, broker, Celery ------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pm",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # A real cache shared by the web and worker processes (rate limits must count across them).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

RENDER_TIMEOUT_SECONDS = env.int("RENDER_TIMEOUT_SECONDS", default=900)
# A worker holds a job while it renews its lease (every tick); the sweeper re-queues a job whose
# lease ran out (its worker was killed or lost the network), up to RENDER_MAX_ATTEMPTS times.
RENDER_LEASE_SECONDS = env.float("RENDER_LEASE_SECONDS", default=60.0)
RENDER_TICK = env.float("RENDER_TICK", default=0.5)  # progress writes and cancel checks
RENDER_MAX_ATTEMPTS = env.int("RENDER_MAX_ATTEMPTS", default=3)
# A queued job nobody has claimed after this long is sent again (its message may be lost).
RENDER_RESEND_AFTER_SECONDS = env.float("RENDER_RESEND_AFTER_SECONDS", default=120.0)
RENDER_SWEEP_SECONDS = env.float("RENDER_SWEEP_SECONDS", default=30.0)
# Forces every style's pacing (seconds per photo); tests and benchmarks make short videos.
RENDER_SECONDS_PER_PHOTO = env.float("RENDER_SECONDS_PER_PHOTO", default=None)
FFMPEG_BINARY = env("FFMPEG_BINARY", default="")  # empty = imageio-ffmpeg's static build

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # With acks_late, Redis re-delivers an unacknowledged message after this long: it must be
    # longer than the longest render, or a slow render runs twice.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": max(3600, RENDER_TIMEOUT_SECONDS * 2),
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
    }
else:
    # Embedded default: a real worker process, handed work through files under var/broker/.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu's default is ./control in the working directory; keep it with the rest.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
# Each queue with its own exchange and routing key: a bare Queue("render") would be bound to
# the default exchange and key, and render tasks would land on the default queue.
CELERY_TASK_QUEUES = (
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("render", Exchange("render"), routing_key="render"),
    # AI drafts wait on a remote model for seconds: never behind a render, never blocking one.
    Queue("ai", Exchange("ai"), routing_key="ai"),
)
CELERY_TASK_DEFAULT_EXCHANGE = "default"
CELERY_TASK_DEFAULT_ROUTING_KEY = "default"
CELERY_TASK_ROUTES = {
    "rendering.tasks.render_video": {"queue": "render"},
    "projects.tasks.draft_suggestions": {"queue": "ai"},
    # Not behind long renders: the sweeper must run while every render slot is busy.
    "rendering.tasks.sweep_render_jobs": {"queue": "default"},
}
CELERY_BEAT_SCHEDULE = {
    "sweep-render-jobs": {
        "task": "rendering.tasks.sweep_render_jobs",
        "schedule": RENDER_SWEEP_SECONDS,
        "options": {"expires": RENDER_SWEEP_SECONDS},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A render is long and must survive a worker dying mid-job: ack only after it finishes,
# take one message at a time, and put the message back if the worker process is killed.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True  # job state lives on the GeneratedVideo row
# The pipeline's own timeout (RENDER_TIMEOUT_SECONDS) kills FFmpeg first; the soft limit catches
# anything else that hangs, and the hard limit kills the process if even that does not help.
RENDER_SOFT_TIME_LIMIT = env.int("RENDER_SOFT_TIME_LIMIT", default=RENDER_TIMEOUT_SECONDS + 30)
CELERY_TASK_SOFT_TIME_LIMIT = RENDER_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = env.int("RENDER_HARD_TIME_LIMIT", default=RENDER_SOFT_TIME_LIMIT + 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default=f"{PRODUCT_NAME} <no-reply@photomemory.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- AI, translation, payments (off unless keys are set) ------------------------------------
OPENAI_API_KEY = env("OPENAI_API_KEY", default="")
OPENAI_MODEL = env("OPENAI_MODEL", default="gpt-4o-mini")
# The official client reads OPENAI_BASE_URL itself; read here too so settings can point it at a
# proxy or, in tests, at the loopback fake. Empty = the client's own default.
OPENAI_BASE_URL = env("OPENAI_BASE_URL", default="")
# Seconds, not the client's 10-minute default: a draft that takes longer is worth less than a
# clear "timed out, try again".
OPENAI_TIMEOUT_SECONDS = env.float("OPENAI_TIMEOUT_SECONDS", default=60.0)
OPENAI_MAX_RETRIES = env.int("OPENAI_MAX_RETRIES", default=2)
OPENAI_MAX_OUTPUT_TOKENS = env.int("OPENAI_MAX_OUTPUT_TOKENS", default=4000)
AI_ENABLED = bool(OPENAI_API_KEY)
# Photos per request to the model (a 24-photo memory is one request), and the most one
# suggestion covers: more photos than that keep their offline captions.
AI_BATCH_PHOTOS = env.int("AI_BATCH_PHOTOS", default=30)
AI_MAX_PHOTOS = env.int("AI_MAX_PHOTOS", default=150)
# Cloud Translation v3 (projects/translation/): the project goes in every request's path; the
# credentials are an API key or a service-account JSON file (the key wins if both are set).
GOOGLE_TRANSLATE_PROJECT_ID = env("GOOGLE_TRANSLATE_PROJECT_ID", default="")
GOOGLE_TRANSLATE_API_KEY = env("GOOGLE_TRANSLATE_API_KEY", default="")
GOOGLE_TRANSLATE_CREDENTIALS_FILE = env("GOOGLE_TRANSLATE_CREDENTIALS_FILE", default="")
# Another endpoint (staging, a proxy; tests' loopback fake). Empty = translate.googleapis.com.
GOOGLE_TRANSLATE_API_ENDPOINT = env("GOOGLE_TRANSLATE_API_ENDPOINT", default="")
# Seconds per request, not the client's 10 minutes: the user is waiting in the editor.
GOOGLE_TRANSLATE_TIMEOUT_SECONDS = env.float("GOOGLE_TRANSLATE_TIMEOUT_SECONDS", default=15.0)
# Retries after a 429, a 5xx or a refused connection (not after a timeout).
GOOGLE_TRANSLATE_MAX_RETRIES = env.int("GOOGLE_TRANSLATE_MAX_RETRIES", default=2)
# How long a translated line stays in the cache (the same line is never sent twice meanwhile).
TRANSLATION_CACHE_SECONDS = env.int("TRANSLATION_CACHE_SECONDS", default=30 * 24 * 3600)
TRANSLATION_ENABLED = bool(
    GOOGLE_TRANSLATE_PROJECT_ID and (GOOGLE_TRANSLATE_API_KEY or GOOGLE_TRANSLATE_CREDENTIALS_FILE)
)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
BILLING_ENABLED = bool(STRIPE_SECRET_KEY)

# --- security headers (all environments, so development shows what production sends) --------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL:
    # Presigned photo and video URLs point at the object store, not at us.
    for _directive in ("img-src", "media-src", "connect-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(AWS_S3_ENDPOINT_URL)

# --- logging & errors -----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="development"),
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# --- dj-stripe (installed always so its tables exist; inert without keys) --------------------
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
DJSTRIPE_USE_NATIVE_JSONFIELD = True
STRIPE_TEST_SECRET_KEY = "" if STRIPE_LIVE_MODE else STRIPE_SECRET_KEY
STRIPE_LIVE_SECRET_KEY = STRIPE_SECRET_KEY if STRIPE_LIVE_MODE else ""
# Pinned: object shapes (e.g. the billing period on subscription items) follow this version.
STRIPE_API_VERSION = "2026-08-26.dahlia"
if env("STRIPE_API_HOST", default=""):
    # A Stripe-compatible API elsewhere (a local fake for demos); dj-stripe sets stripe.api_base.
    STRIPE_API_HOST = env("STRIPE_API_HOST")

# --- billing --------------------------------------------------------------------------------
# The plan everyone has when payments are off (a catalogue key: free, plus, pro).
BILLING_DEFAULT_PLAN = env("BILLING_DEFAULT_PLAN", default="free")
# A failed renewal keeps the paid plan this long while Stripe retries the card.
BILLING_PAST_DUE_GRACE_DAYS = env.int("BILLING_PAST_DUE_GRACE_DAYS", default=7)
BILLING_ENTITLEMENTS_CACHE_SECONDS = env.int("BILLING_ENTITLEMENTS_CACHE_SECONDS", default=3600)

# --- projects -------------------------------------------------------------------------------
# Links to private photos are short-lived: long enough to load a page, too short to share.
PROJECTS_SIGNED_URL_SECONDS = env.int("PROJECTS_SIGNED_URL_SECONDS", default=600)
# A direct-to-storage upload form is valid this long; a phone on a slow network needs minutes.
PROJECTS_DIRECT_UPLOAD_SECONDS = env.int("PROJECTS_DIRECT_UPLOAD_SECONDS", default=900)
# A cap on upload bursts per user (projects/api/uploads.py).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {  # type: ignore[assignment]  # dict among lists
    "uploads": env("PROJECTS_UPLOAD_RATE", default="240/min"),
}

# --- rendering ------------------------------------------------------------------------------
# A progress stream ends after this long; the browser reconnects on its own.
RENDER_EVENTS_MAX_SECONDS = env.float("RENDER_EVENTS_MAX_SECONDS", default=300.0)
# The signed progress link the API hands out opens a stream this long after it was made; it
# outlives a whole render (RENDER_TIMEOUT_SECONDS) with its reconnects.
RENDER_EVENTS_URL_SECONDS = env.int("RENDER_EVENTS_URL_SECONDS", default=3600)
