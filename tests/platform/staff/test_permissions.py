"""Town admins may do everything in their town; clerks only their module; nobody crosses towns."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.selectors import is_town_admin, may_work_on
from rathaus.platform.staff.services import staff_add, staff_set_roles
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory

SYSTEM = Actor.system("test")


def test_a_town_admin_may_work_on_every_module(town_a: Municipality) -> None:
    with tenant_context(town_a):
        admin = staff_add(town=town_a, email="admin@a.de", roles=[TOWN_ADMIN], actor=SYSTEM)

        assert is_town_admin(user=admin)
        assert may_work_on(user=admin, module="contact")


def test_a_citizen_is_no_staff(town_a: Municipality) -> None:
    with tenant_context(town_a):
        citizen = UserFactory.create()

        assert not is_town_admin(user=citizen)
        assert not may_work_on(user=citizen, module="contact")


def test_unknown_roles_are_refused_and_nothing_changes(town_a: Municipality) -> None:
    with tenant_context(town_a):
        user = UserFactory.create()
        with pytest.raises(ValidationError, match="hausmeister"):
            staff_set_roles(town=town_a, user=user, roles=["hausmeister"], actor=SYSTEM)
        user.refresh_from_db()
        assert not user.is_staff


def test_removing_all_roles_ends_staff_access_and_is_audited(town_a: Municipality) -> None:
    with tenant_context(town_a):
        user = staff_add(town=town_a, email="clerk@a.de", roles=[TOWN_ADMIN], actor=SYSTEM)

        staff_set_roles(town=town_a, user=user, roles=[], actor=SYSTEM)

        user.refresh_from_db()
        assert not user.is_staff
        entry = AuditEntry.objects.filter(action="staff.roles", target="clerk@a.de").first()
        assert entry is not None
        assert (entry.before, entry.after) == ([TOWN_ADMIN], [])


def test_a_town_admin_of_one_town_is_nobody_in_another(
    town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        staff_add(town=town_a, email="admin@a.de", roles=[TOWN_ADMIN], actor=SYSTEM)
    with tenant_context(town_b):
        from rathaus.platform.identity.models import User

        assert not User.objects.filter(email="admin@a.de").exists()
