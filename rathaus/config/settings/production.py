"""Production: HTTPS behind a proxy, secure cookies, HSTS, files in S3, errors to Sentry.

Refuses to start with DEBUG on, without a real secret key or without a bucket for
files (a container's own disk is gone after the next deploy). Every variable read
here and in ``base`` is listed in docs/operations.md ("Environment variables").
"""

import os

# Before base reads it: Sentry events of this settings module say "production".
os.environ.setdefault("SENTRY_ENVIRONMENT", "production")

from django.core.exceptions import ImproperlyConfigured

from rathaus.config.settings.base import *  # noqa: F403
from rathaus.config.settings.base import (
    AWS_STORAGE_BUCKET_NAME,
    DEBUG,
    DEVELOPMENT_SECRET_KEY,
    SECRET_KEY,
    env,
)

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
if not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured(
        "AWS_STORAGE_BUCKET_NAME must name the S3 bucket for the towns' files in production "
        "(with AWS_S3_ENDPOINT_URL for an S3-compatible store such as MinIO)."
    )

# TLS ends at the load balancer (or the reverse proxy of a one-host installation),
# which must set X-Forwarded-Proto and must strip it from clients' requests.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer's health check talks plain HTTP to the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# Every town is a subdomain of BASE_DOMAIN: HSTS on the vendor's host covers them all.
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Towns are public authorities' sites, HTTPS-only for good: the header asks browsers to
# preload BASE_DOMAIN and its subdomains (submit the domain at hstspreload.org once the
# deployment is final; SECURE_HSTS_PRELOAD=false for a trial domain, since leaving the
# preload list takes months).
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
