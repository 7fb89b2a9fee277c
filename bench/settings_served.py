"""Settings of bench/lighthouse.py: development, but static files served as in production.

WhiteNoise serves the collected, compressed files (``collectstatic``) with their
caching headers, so Lighthouse measures the pages a town's citizens get.
"""

from rathaus.config.settings import base
from rathaus.config.settings.development import *  # noqa: F403

MIDDLEWARE = list(base.MIDDLEWARE)
# Named again: development changes the storages dict it shares with base.
STORAGES = {
    **base.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
