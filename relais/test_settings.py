"""Settings for the test suite: the real settings, with test-only secrets and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# A fixed master key for tests; production reads its keys from the environment or a file.
os.environ.setdefault("RELAIS_MASTER_KEYS", "test1:" + "A" * 43 + "=")

from relais.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The test client and the browser tests' live server speak plain HTTP; production
# redirects to HTTPS (tests/security/test_hardening.py checks it with the real settings).
SECURE_SSL_REDIRECT = False
# Every prepared query (relais.scale.prepared) is checked, at each call, against the
# queryset it stands for: same SQL, same parameters.
RELAIS_PREPARED_QUERIES_CHECK = True
