"""Vendor API tokens: issued to vendor staff, checked on every vendor API request.

Only a token's SHA-256 is stored; the plain token is shown once, when it is issued
(``python manage.py vendor_token EMAIL``).
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.platform.identity.models import User
from rathaus.vendor.models import VendorToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def vendor_token_create(*, user: User, name: str) -> str:
    """Issues an API token for a vendor staff member; the plain token is returned only now."""
    if not user.is_staff:
        raise ValidationError({"user": [_("Nur Mitarbeitende des Betreibers erhalten Schlüssel.")]})
    token = secrets.token_urlsafe(32)
    VendorToken.objects.create(user=user, name=name, key_hash=_hash(token))
    return token


def vendor_token_use(*, token: str) -> VendorToken | None:
    """The active token record for ``token`` (its use is recorded), or ``None``."""
    record = VendorToken.objects.select_related("user").filter(key_hash=_hash(token)).first()
    if record is None or not record.user.is_active:
        return None
    VendorToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record
