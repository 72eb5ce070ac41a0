"""Settings for the test suite: the production settings, on PostgreSQL, with test-only speed-ups."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mhhs")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

# No collectstatic in tests: serve from the finders with plain storage.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests; do not scan STATIC_ROOT
# Each test process counts its own login failures and rate limits; tests/conftest.py
# clears the cache before every test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A test database is thrown away after the run, so its commits need not wait for the disk:
# the end-to-end, worker and transactional tests commit after every request and every test.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
# The API's test client sends JSON, as the API's clients do.
REST_FRAMEWORK = {**REST_FRAMEWORK, "TEST_REQUEST_DEFAULT_FORMAT": "json"}  # noqa: F405
# The live server of the end-to-end tests is plain http on loopback.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
