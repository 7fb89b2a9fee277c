"""A module's settings are validated by the module; every change lands in the town's audit log."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django_tenants.utils import tenant_context

from rathaus.modules.selectors import module_activation
from rathaus.modules.services import module_configure
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

CLERK = Actor(AuditEntry.ActorKind.STAFF, "admin@tangerhuette.de")
GOOD = {
    "office": "Bürgerbüro",
    "phone": "+49 3935 93060",
    "email": "buergerbuero@tangerhuette.de",
    "opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "12:00"}],
}


def test_valid_settings_are_stored(town_a: Municipality) -> None:
    module_configure(town=town_a, key="contact", settings=GOOD, actor=CLERK)

    stored = module_activation(town=town_a, key="contact").settings
    assert stored["phone"] == "+49 3935 93060"
    assert stored["opening_hours"] == [{"weekday": 1, "opens": "09:00", "closes": "12:00"}]


def test_bad_settings_name_the_field_and_store_nothing(town_a: Municipality) -> None:
    module_configure(town=town_a, key="contact", settings=GOOD, actor=CLERK)
    bad = {
        **GOOD,
        "email": "kein-at-zeichen",
        "opening_hours": [{"weekday": 1, "opens": "14:00", "closes": "12:00"}],
    }

    with pytest.raises(ValidationError) as error:
        module_configure(town=town_a, key="contact", settings=bad, actor=CLERK)

    assert set(error.value.message_dict) == {"email", "opening_hours"}
    assert module_activation(town=town_a, key="contact").settings["email"] == GOOD["email"]


def test_a_settings_change_is_audited_with_before_and_after(town_a: Municipality) -> None:
    module_configure(town=town_a, key="contact", settings=GOOD, actor=CLERK)
    module_configure(
        town=town_a, key="contact", settings={**GOOD, "phone": "03935 1234"}, actor=CLERK
    )

    with tenant_context(town_a):
        entry = AuditEntry.objects.filter(action="module.configure").first()
    assert entry is not None
    assert entry.actor == "admin@tangerhuette.de"
    assert (entry.before or {})["phone"] == "+49 3935 93060"
    assert (entry.after or {})["phone"] == "03935 1234"


def test_one_towns_changes_never_appear_in_another_towns_log(
    town_a: Municipality, town_b: Municipality
) -> None:
    module_configure(town=town_a, key="contact", settings=GOOD, actor=CLERK)

    with tenant_context(town_b):
        assert not AuditEntry.objects.filter(actor="admin@tangerhuette.de").exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda entries: entries.update(actor="someone else"),
        lambda entries: entries.delete(),
        lambda entries: entries.raw("TRUNCATE audit_auditentry")._fetch_all(),
    ],
    ids=["update", "delete", "truncate"],
)
def test_nobody_can_change_or_delete_the_audit_log(
    town_a: Municipality, change: Callable[[QuerySet[AuditEntry]], object]
) -> None:
    module_configure(town=town_a, key="contact", settings=GOOD, actor=CLERK)

    with tenant_context(town_a):
        entries = AuditEntry.objects.all()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change(entries)
        assert entries.filter(actor="admin@tangerhuette.de").exists()
