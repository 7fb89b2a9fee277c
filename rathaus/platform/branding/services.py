"""Changing a town's branding: validated, audited, visible on the next page."""

from typing import Any

from django.db import transaction

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.branding.models import Branding
from rathaus.platform.branding.selectors import forget_branding
from rathaus.tenants.models import Municipality

FIELDS = (
    "display_name",
    "authority_name",
    "address",
    "primary_color",
    "logo",
    "coat_of_arms",
    "contact_email",
    "contact_phone",
    "imprint_url",
    "privacy_url",
)


def _snapshot(branding: Branding) -> dict[str, str]:
    return {name: str(getattr(branding, name) or "") for name in FIELDS}


@transaction.atomic
def branding_update(*, town: Municipality, actor: Actor, **changes: Any) -> Branding:
    """Applies ``changes`` to the current town's branding (must run in the town's schema).

    Raises ``ValidationError`` naming each bad field; then nothing is stored.
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not branding fields: {sorted(unknown)}")
    branding = Branding.objects.select_for_update().filter(pk=1).first() or Branding(pk=1)
    before = _snapshot(branding)
    for name, value in changes.items():
        setattr(branding, name, value)
    branding.full_clean()
    branding.save()
    after = _snapshot(branding)
    changed = {name for name in FIELDS if before[name] != after[name]}
    if changed:
        audit_record(
            town=town,
            actor=actor,
            action="branding.update",
            target="branding",
            before={name: before[name] for name in sorted(changed)},
            after={name: after[name] for name in sorted(changed)},
        )
    transaction.on_commit(forget_branding)
    forget_branding()
    return branding
