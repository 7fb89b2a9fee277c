"""Managing a town's staff; every change is written to the town's audit log."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import StaffPolicy, StaffRole
from rathaus.platform.staff.roles import is_known_role
from rathaus.tenants.models import Municipality


@transaction.atomic
def staff_set_roles(
    *, town: Municipality, user: User, roles: Iterable[str], actor: Actor
) -> frozenset[str]:
    """Gives ``user`` exactly ``roles`` in the current town (none: no longer staff).

    Unknown roles raise ``ValidationError`` and change nothing.
    """
    wanted = frozenset(roles)
    unknown = sorted(role for role in wanted if not is_known_role(role))
    if unknown:
        raise ValidationError({"roles": _("Unbekannte Rollen: %(r)s") % {"r": ", ".join(unknown)}})
    before = frozenset(StaffRole.objects.filter(user=user).values_list("role", flat=True))
    if before == wanted and user.is_staff == bool(wanted):
        return wanted
    StaffRole.objects.filter(user=user).exclude(role__in=wanted).delete()
    StaffRole.objects.bulk_create(
        [StaffRole(user=user, role=role) for role in wanted - before], ignore_conflicts=True
    )
    user.is_staff = bool(wanted)
    user.save(update_fields=["is_staff"])
    audit_record(
        town=town,
        actor=actor,
        action="staff.roles",
        target=user.email,
        before=sorted(before),
        after=sorted(wanted),
    )
    return wanted


def staff_add(
    *,
    town: Municipality,
    email: str,
    roles: Iterable[str],
    actor: Actor,
    invite: bool = True,
    **names: Any,
) -> User:
    """Makes the person with ``email`` staff with ``roles``, creating the account if needed.

    A new account has no usable password; unless ``invite`` is false it is
    invited by e-mail to set one, once the change is committed (through the
    outbox, in the town's schema: call it there).
    """
    from rathaus.platform.staff.invitations import staff_invitation_queue

    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, None, **names)
            audit_record(town=town, actor=actor, action="staff.create", target=user.email)
            if invite:
                staff_invitation_queue(town=town, user=user)
        staff_set_roles(town=town, user=user, roles=roles, actor=actor)
    return user


@transaction.atomic
def staff_policy_set(*, town: Municipality, second_factor_required: bool, actor: Actor) -> bool:
    """Sets whether the town's staff must prove a second factor; returns whether it changed."""
    policy, _created = StaffPolicy.objects.select_for_update().get_or_create(pk=1)
    if policy.second_factor_required == second_factor_required:
        return False
    policy.second_factor_required = second_factor_required
    policy.save(update_fields=["second_factor_required", "changed_at"])
    audit_record(
        town=town,
        actor=actor,
        action="staff.policy",
        target="second_factor_required",
        before=not second_factor_required,
        after=second_factor_required,
    )
    return True
