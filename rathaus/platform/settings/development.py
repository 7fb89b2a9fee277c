"""Development: DEBUG on, e-mail printed to the console."""

from rathaus.platform.settings.base import *  # noqa: F403
from rathaus.platform.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
