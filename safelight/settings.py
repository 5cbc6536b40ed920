"""Django settings for Safelight: one file, driven by environment variables.

Each variable is documented in docs/configuration.md and read in safelight/config.py.
"""

from __future__ import annotations

import django.conf.locale

from safelight import config

CONFIG = config.load()
# umask 077 and a data directory no other account can read (refused in production otherwise).
config.secure_data_dir(CONFIG.data_dir, production=CONFIG.production)

SAFELIGHT_MODE = CONFIG.mode
SAFELIGHT_DATA_DIR = CONFIG.data_dir
SAFELIGHT_INTERFACES = CONFIG.interfaces
SAFELIGHT_RECEIPT_PEPPER = CONFIG.receipt_pepper
SAFELIGHT_EVIDENCE_SIGNING_KEY = CONFIG.evidence_signing_key
SAFELIGHT_SEVERITY_SCORER = CONFIG.severity_scorer
SAFELIGHT_LOCKER_QUOTA_BYTES = CONFIG.locker_quota_bytes
SAFELIGHT_QUICK_EXIT_URL = CONFIG.quick_exit_url

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts

INSTALLED_APPS = [
    "safelight",  # site-wide templates, static files and the demo command
    # Before safelight.accounts, whose admin replaces django-otp's device admin.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "safelight.accounts",
    "safelight.audit",
    "safelight.reports",  # the case core, under every app that reads or writes cases
    "safelight.intake",
    "safelight.cases",
    "safelight.triage",
    "safelight.referrals",
    "safelight.techcheck",  # the tech-safety check (issue 16)
    "safelight.escrow",
    "safelight.evidence",
    # Background tasks through Django's Tasks API (the django-tasks backport): the database
    # backend's table is always there; Redis adds django-rq below (SAFELIGHT_TASKS_URL).
    "django_tasks",
    "django_tasks_db",
    # Content in every language (questionnaires, channels...): safelight.accounts.content
    "parler",
    "safelight.accounts.admin_config.StaffAdminConfig",  # Django's admin, behind sign-in with TOTP
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost, so its headers reach every response: static files, redirects and errors too.
    "safelight.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # before WhiteNoise: static files too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A report sealed to a handler's earlier key pair: "this key cannot open it, and who can".
    "safelight.cases.opening.KeyCannotOpenMiddleware",
    # Deletes any encrypted upload of the request that no view kept (a failed form, an error).
    "safelight.reports.uploads.DiscardUnclaimedUploads",
]

if CONFIG.rq_queues is not None:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
if CONFIG.interfaces == {"keyservice"}:
    # A key service answers one JSON endpoint and serves no static file (nor has any to collect).
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "safelight.urls"
WSGI_APPLICATION = "safelight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safelight.context_processors.safety",
            ],
        },
    },
]

DATABASES = {"default": CONFIG.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The languages Safelight speaks (catalogues in safelight/locale/), each named in its own language
# and script (not translated): the chooser on every page lists them, so a person finds their own
# name whatever language the page is in. The browser's Accept-Language is the first guess
# (LocaleMiddleware); a choice is kept in a session cookie (below; docs/reporting.md says why).
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt-br", "Português (Brasil)"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("ur", "اردو"),
    ("hi", "हिन्दी"),
    ("bn", "বাংলা"),
    ("sw", "Kiswahili"),
    ("id", "Bahasa Indonesia"),
    ("fil", "Filipino"),
    ("tr", "Türkçe"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("pl", "Polski"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("vi", "Tiếng Việt"),
    ("zh-hans", "中文（简体）"),  # noqa: RUF001 - Chinese writes full-width parentheses
]
# Django knows no Filipino: its name and direction join Django's table of languages, which
# get_language_info and the admin read. Django has no setting for this; updating
# django.conf.locale.LANG_INFO when settings load is the established way. Browsers that say
# Tagalog ("tl", Firefox) get Filipino, as "zh-cn" gets "zh-hans" in Django's own table.
EXTRA_LANG_INFO = {
    "fil": {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"},
    "tl": {"fallback": ["fil"]},
}
django.conf.locale.LANG_INFO.update(EXTRA_LANG_INFO)
# Reporter safety: the language a person chose is kept only until the browser closes, never
# in the address (addresses stay in the browser's history); set only when someone chooses, sent
# to no script, and deleted by Quick exit with the other reporter cookies.
LANGUAGE_COOKIE_NAME = "safelight_language"
LANGUAGE_COOKIE_AGE = None
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = CONFIG.https
USE_I18N = True
# An organisation's texts (questionnaire, channels, checklist, landing page, services) are stored
# once a language (django-parler's translation tables); a missing one falls back to the
# organisation's default language (safelight.accounts.content), not to a site-wide one.
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in LANGUAGES),
    "default": {"fallbacks": [LANGUAGE_CODE], "hide_untranslated": False},
}
PARLER_DEFAULT_LANGUAGE_CODE = LANGUAGE_CODE
# No copy of the translations in the cache: its fallback markers follow the site's language, not
# each organisation's default (content.TranslatedContent); pages prefetch translations instead.
PARLER_ENABLE_CACHING = False
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
# Production: `safelight collectstatic` fills STATIC_ROOT and WhiteNoise serves it. Elsewhere
# WhiteNoise serves straight from the apps, with no collectstatic step.
STATIC_ROOT = CONFIG.data_dir / "static" if CONFIG.production else None
WHITENOISE_USE_FINDERS = not CONFIG.production
WHITENOISE_AUTOREFRESH = False
WHITENOISE_ALLOW_ALL_ORIGINS = False
MEDIA_ROOT = CONFIG.data_dir / "files"
# Uploads are encrypted chunk by chunk as they arrive; no clear copy in memory or temp files.
FILE_UPLOAD_HANDLERS = ["safelight.reports.uploads.EncryptingUploadHandler"]
# The most any one upload may be, whatever a channel allows; the rest of a larger one is dropped.
SAFELIGHT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50
# Rate-limit counters (keyed by a daily-rotating hash, never an address): see safelight.ratelimit.
CACHES = {"default": CONFIG.cache}
# Background tasks (safelight.tasks): the database backend, or RQ on Redis (SAFELIGHT_TASKS_URL).
# A job carries ids only, never content. `safelight worker` runs them, `safelight tick` schedules
# the periodic run (docs/operations.md).
TASKS = CONFIG.tasks
if CONFIG.rq_queues is not None:
    RQ_QUEUES = CONFIG.rq_queues
    # django-rq's admin pages list jobs across organisations; operators use the command line.
    RQ_SHOW_ADMIN_LINK = False

# Notification emails carry no content (safelight.notifications): SMTP from SAFELIGHT_EMAIL_URL;
# demo mode writes them under data_dir/mail; production without it drops them with a warning.
EMAIL_BACKEND = CONFIG.email.backend
EMAIL_HOST = CONFIG.email.host
EMAIL_PORT = CONFIG.email.port
EMAIL_HOST_USER = CONFIG.email.user
EMAIL_HOST_PASSWORD = CONFIG.email.password
EMAIL_USE_TLS = CONFIG.email.use_tls
EMAIL_USE_SSL = CONFIG.email.use_ssl
EMAIL_TIMEOUT = 30
if CONFIG.email.file_path is not None:
    EMAIL_FILE_PATH = CONFIG.email.file_path
DEFAULT_FROM_EMAIL = CONFIG.email_from
SERVER_EMAIL = CONFIG.email_from
# Where handlers open the staff side: the only link a notification email carries.
SAFELIGHT_STAFF_URL = CONFIG.staff_url
SAFELIGHT_TRUSTED_PROXIES = CONFIG.trusted_proxies

# Matching escrow ("report together"), docs/escrow-key-services.md. The app asks two key services
# (safelight.escrow.keyservices), each holding one additive share of the OPRF key: a list of
# {"NAME", "BACKEND": "local", "SHARE": bytes} or {"NAME", "BACKEND": "http", "URL", "TOKEN"}
# entries; empty when production names none (the escrow is then off).
SAFELIGHT_KEY_SERVICES = CONFIG.key_services
# A key service process (SAFELIGHT_INTERFACES=keyservice): its share and bearer token.
SAFELIGHT_KEY_SHARE = CONFIG.key_share
SAFELIGHT_KEY_SERVICE_TOKEN = CONFIG.key_service_token
# Evaluations each key service allows (local ones too): per reporter session per day, and per
# day in total. Counters live in the cache, keyed by hashes (safelight.escrow.keyservice_limits).
SAFELIGHT_KEY_SERVICE_SESSION_LIMIT = CONFIG.key_service_session_limit
SAFELIGHT_KEY_SERVICE_DAILY_LIMIT = CONFIG.key_service_daily_limit

# What other apps add to the reporter side (safelight.intake), which imports none of them: the
# interfaces are intake's, the implementations the apps' own, loaded by dotted path.
# The steps of sending a report, in this order (safelight.intake.submission): report together
# may hold the report; the risk checklist then sets its first priority.
SAFELIGHT_SUBMISSION_STEPS = [
    "safelight.escrow.submission.ReportTogether",
    "safelight.triage.submission.RiskChecklist",
]
# Question kinds another app asks and shows (safelight.intake.step_extensions): its field, its
# own inputs on the step page and its part of the review page.
SAFELIGHT_QUESTION_EXTENSIONS = {
    "report_together": "safelight.escrow.reporter.ReportTogetherQuestion",
}
# What the follow-up page shows of other apps (safelight.intake.followup_page), in this order.
SAFELIGHT_FOLLOWUP_SECTIONS = [
    "safelight.cases.followup.checkin_section",
    "safelight.escrow.reporter.followup_section",
]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Reporter safety (DESIGN.md): no referrer leaves for another site, no framing, no sniffing. The
# CSP and Cache-Control headers are set by safelight.middleware.SecurityHeadersMiddleware.
# "same-origin", not "no-referrer": under no-referrer browsers send `Origin: null` with every form
# post, which CSRF protection must refuse, so no form would work. same-origin sends nothing to
# any other host, which is what protects the reporter; links out also carry rel="noreferrer".
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = CONFIG.https
SECURE_HSTS_SECONDS = 31536000 if CONFIG.https else 0
SESSION_COOKIE_SECURE = CONFIG.https
CSRF_COOKIE_SECURE = CONFIG.https
# HSTS for subdomains and the preload list are the domain owner's decision, not Safelight's: it
# cannot know whether every subdomain of the host it runs on speaks HTTPS.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
# Reporter safety: no cookie outlives the browser session, the CSRF cookie included (Django's
# default keeps it for a year). Quick exit deletes it too.
CSRF_COOKIE_AGE = None
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60 * 8

LOGIN_URL = "accounts:sign-in"
OTP_TOTP_ISSUER = "Safelight"
CSRF_FAILURE_VIEW = "safelight.views.csrf_failure"

# Logging: to stderr only, every handler behind the filter that removes client addresses, and no
# access log (django.server's request lines are dropped). Errors are never mailed: a mailed
# traceback could carry what a reporter typed.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_addresses": {"()": "safelight.logfilters.RemoveClientAddresses"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_client_addresses"],
        },
    },
    "root": {"handlers": ["stderr"], "level": CONFIG.log_level},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": CONFIG.log_level, "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # File parsers read what reporters upload; their warnings can quote bytes of a file.
        "pypdf": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "PIL": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # The evidence bundle's PDF: fontTools logs the glyphs used (the characters of a
        # survivor's messages) and WeasyPrint's warnings can quote their text or links.
        "weasyprint": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "fontTools": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []
