"""Base settings.

Everything that differs between a laptop, CI and a production site comes from environment
variables prefixed ``CENTREX_`` so that the same code runs everywhere; local state (the
SQLite database, the generated secret key, the managed Asterisk's credentials) lives in
``CENTREX_VAR_DIR``, which is never committed.
"""

import os
import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("CENTREX_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read the key from the environment, else from a file generated once per install."""
    if key := os.environ.get("CENTREX_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = _env_bool("CENTREX_DEBUG")
ALLOWED_HOSTS = os.environ.get("CENTREX_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "centrex.core",
    "centrex.telephony",
    "centrex.directory",
    "centrex.voicemail",
    "centrex.routing",
    "centrex.rights",
    "centrex.groups",
    "centrex.contact_center",
    "centrex.features",
    "centrex.ivr",
    "centrex.reports",
    "centrex.pbx",
    "centrex.api",
    "centrex.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files served by the same ASGI process (the embedded default, design.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "centrex.web.middleware.CentrexMiddleware",
]

ROOT_URLCONF = "centrex.urls"
ASGI_APPLICATION = "centrex.asgi.application"

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
                "centrex.web.navigation.context",
            ],
        },
    },
]


def _database() -> dict:
    """SQLite (WAL, IMMEDIATE transactions, busy timeout) by default; PostgreSQL on request."""
    engine = os.environ.get("CENTREX_DB", "sqlite")
    if engine == "postgresql":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("CENTREX_DB_NAME", "centrex"),
            "USER": os.environ.get("CENTREX_DB_USER", "centrex"),
            "PASSWORD": os.environ.get("CENTREX_DB_PASSWORD", ""),
            "HOST": os.environ.get("CENTREX_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("CENTREX_DB_PORT", "5432"),
        }
    if engine != "sqlite":
        raise ValueError(f"CENTREX_DB must be 'sqlite' or 'postgresql', not {engine!r}")
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("CENTREX_DB_NAME", str(VAR_DIR / "centrex.sqlite3")),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            "PRAGMA cache_size=-65536;",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "centrex" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("CENTREX_TIME_ZONE", "Europe/Paris")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serve straight from the apps' static folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True

# Where Asterisk reaches the portal (phone feature codes for forwards call it back).
CENTREX_FEATURE_URL = os.environ.get("CENTREX_FEATURE_URL", "http://127.0.0.1:8000")
# Sessions end after 10 minutes without activity (the seed portal's default).
SESSION_COOKIE_AGE = int(os.environ.get("CENTREX_SESSION_IDLE_SECONDS", 600))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
LOGIN_URL = "signin"
LOGIN_REDIRECT_URL = "home"
# Five failed sign-ins for an account or from an address lock it for this long.
CENTREX_SIGNIN_MAX_FAILURES = int(os.environ.get("CENTREX_SIGNIN_MAX_FAILURES", 5))
CENTREX_SIGNIN_LOCK_SECONDS = int(os.environ.get("CENTREX_SIGNIN_LOCK_SECONDS", 900))
# Sounds and music on hold (docs/sounds.md): upload size and durations refused beyond.
CENTREX_SOUNDS = {
    "MAX_UPLOAD_MB": int(os.environ.get("CENTREX_SOUNDS_MAX_UPLOAD_MB", 50)),
    "MAX_PROMPT_SECONDS": int(os.environ.get("CENTREX_SOUNDS_MAX_PROMPT_SECONDS", 300)),
    "MAX_MUSIC_SECONDS": int(os.environ.get("CENTREX_SOUNDS_MAX_MUSIC_SECONDS", 600)),
    "RECORD_SILENCE_SECONDS": 3,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "centrex": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per AMI connection is noise in command-line output; problems are warnings.
        "centrex.pbx.ami": {"level": "WARNING"},
        "centrex.pbx.apply": {"level": os.environ.get("CENTREX_APPLY_LOG_LEVEL", "WARNING")},
    },
}

# --- Asterisk -------------------------------------------------------------------------
# "managed": Centrex builds and runs its own Asterisk (dev, tests, CI, demo); its ports and
# generated credentials are kept in VAR_DIR/asterisk.json by `centrex asterisk start`.
# "external": Centrex drives an Asterisk it does not manage (docs/asterisk.md).
CENTREX_ASTERISK = {
    "MODE": os.environ.get("CENTREX_ASTERISK_MODE", "managed"),
    # managed mode
    "ROOT": os.environ.get(
        "CENTREX_ASTERISK_ROOT", str(Path.home() / ".cache" / "centrex" / "asterisk" / "root")
    ),
    "INSTANCE": os.environ.get("CENTREX_ASTERISK_INSTANCE", ""),
    "STATE_FILE": str(VAR_DIR / "asterisk.json"),
    "SIP_PORT": int(os.environ.get("CENTREX_SIP_PORT", 5060)),
    "AMI_PORT": int(os.environ.get("CENTREX_AMI_PORT", 5038)),
    "HTTP_PORT": int(os.environ.get("CENTREX_ASTERISK_HTTP_PORT", 8088)),
    "RTP_START": int(os.environ.get("CENTREX_RTP_START", 10000)),
    "RTP_END": int(os.environ.get("CENTREX_RTP_END", 10999)),
    # external mode
    "AMI_HOST": os.environ.get("CENTREX_AMI_HOST", "127.0.0.1"),
    "AMI_USER": os.environ.get("CENTREX_AMI_USER", ""),
    "AMI_SECRET": os.environ.get("CENTREX_AMI_SECRET", ""),
    "CONFIG_DIR": os.environ.get("CENTREX_ASTERISK_CONFIG_DIR", "/etc/asterisk"),
    "SPOOL_DIR": os.environ.get("CENTREX_ASTERISK_SPOOL_DIR", "/var/spool/asterisk"),
    "SIP_HOST": os.environ.get("CENTREX_SIP_HOST", "127.0.0.1"),
    "REALTIME_DB": os.environ.get(
        "CENTREX_ASTERISK_REALTIME_DB", "/var/lib/asterisk/centrex_realtime.sqlite3"
    ),
    # Both modes: how long to wait after a commit before applying (changes are batched).
    "APPLY_DEBOUNCE": float(os.environ.get("CENTREX_APPLY_DEBOUNCE", 0.3)),
    # Apply automatically after each committed change (the CLI and tests may turn it off).
    "AUTO_APPLY": _env_bool("CENTREX_AUTO_APPLY", True),
}
