"""Test settings: real PostgreSQL and Redis, kept apart from development data.

Redis databases and the Celery queue differ from development, so a test run
never consumes the tasks of a running ``make run`` and vice versa.
"""

from rathaus.config.settings.base import *  # noqa: F403
from rathaus.config.settings.base import BASE_DIR, env

DEBUG = False
REDIS_URL = env.str("TEST_REDIS_URL", default="redis://127.0.0.1:6379/10")
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["platform"]["LOCATION"] = REDIS_URL  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = "test"  # noqa: F405
CACHES["platform"]["KEY_PREFIX"] = "test-platform"  # noqa: F405
CELERY_BROKER_URL = env.str("TEST_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/11")
CELERY_RESULT_BACKEND = env.str("TEST_CELERY_RESULT_BACKEND", default="redis://127.0.0.1:6379/12")
CELERY_TASK_DEFAULT_QUEUE = env.str("TEST_CELERY_QUEUE", default="rathaus-test")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test process keeps mail in memory; the worker fixture points its worker
# at a real SMTP sink through TEST_EMAIL_BACKEND, EMAIL_HOST and EMAIL_PORT.
EMAIL_BACKEND = env.str(
    "TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
TOWN_URL_SCHEME = "http"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Static files come from the apps' folders (runserver); WhiteNoise serves the
# collected ones in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# In memory for the test process; the worker fixture has its worker write SMS to a
# file (TEST_SMS_BACKEND, SMS_FILE_PATH), since its memory is not the test's.
SMS_BACKEND = env.str(
    "TEST_SMS_BACKEND", default="rathaus.platform.messaging.contrib.sms.backends.MemorySmsBackend"
)
# Never real Stripe: a closed port (fails at once) unless a test starts localstripe
# (tests/billing/conftest.py) and points STRIPE_API_BASE at it.
STRIPE_API_BASE = env.str("TEST_STRIPE_API_BASE", default="http://127.0.0.1:9")
STRIPE_MAX_NETWORK_RETRIES = 0
# The local identity providers of development and tests run on 127.0.0.1.
FEDERATION_ALLOW_PRIVATE_NETWORKS = True
