"""Development: DEBUG on, e-mail printed to the console."""

from rathaus.config.settings.base import *  # noqa: F403
from rathaus.config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
TOWN_URL_SCHEME = env.str("TOWN_URL_SCHEME", default="http")
# Links in e-mails point at the dev server (RATHAUS_PORT, as `make run` uses).
TOWN_URL_PORT = env.str("TOWN_URL_PORT", default=env.str("RATHAUS_PORT", default="8000"))
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Static files come from the apps' folders (runserver); WhiteNoise serves the
# collected ones in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# Billing talks to localstripe, never to Stripe: `make run` starts it on
# RATHAUS_STRIPE_PORT, by default 420 above RATHAUS_PORT (infra/scripts/lib.sh).
_stripe_port = env.int("RATHAUS_STRIPE_PORT", default=env.int("RATHAUS_PORT", default=8000) + 420)
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default=f"http://127.0.0.1:{_stripe_port}")
# The local identity providers of development and tests run on 127.0.0.1.
FEDERATION_ALLOW_PRIVATE_NETWORKS = True
