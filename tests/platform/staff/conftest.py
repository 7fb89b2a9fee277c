import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD


def make_staff(town: Municipality, email: str, roles: list[str]) -> User:
    with tenant_context(town):
        user = staff_add(town=town, email=email, roles=roles, actor=Actor.system("test"))
        user.set_password(PASSWORD)
        user.save()
        return user


@pytest.fixture
def admin_a(town_a: Municipality) -> User:
    return make_staff(town_a, "verwaltung@tangerhuette.de", [TOWN_ADMIN])


@pytest.fixture
def admin_client_a(client_a: Client, admin_a: User) -> Client:
    response = client_a.post("/accounts/login/", {"username": admin_a.email, "password": PASSWORD})
    assert response.status_code == 302
    return client_a
