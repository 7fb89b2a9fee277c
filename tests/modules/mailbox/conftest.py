"""Fixtures of the mailbox tests: the module on, a citizen who consented, a clerk."""

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message
from rathaus.modules.mailbox.services import NewDocument, consent_record, message_provide
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.applications.conftest import log_in, make_staff
from tests.modules.conftest import switch_on

NOTICE_PDF = b"%PDF-1.7\n% Bescheid ueber die Hundesteuer 2026\n%%EOF\n"
CLERK = ["mailbox.clerk"]

__all__ = ["CLERK", "NOTICE_PDF", "log_in", "make_staff", "provide"]


@pytest.fixture
def mailbox_a(town_a: Municipality) -> Municipality:
    switch_on(town_a, "mailbox")
    return town_a


@pytest.fixture
def mailbox_b(town_b: Municipality) -> Municipality:
    switch_on(town_b, "mailbox")
    return town_b


def citizen(town: Municipality, *, email: str = "erika@example.org", consent: bool = True) -> User:
    with tenant_context(town):
        person = UserFactory.create(email=email, first_name="Erika", last_name="Mustermann")
        if consent:
            consent_record(account=person, consented=True)
    return person


@pytest.fixture
def erika(mailbox_a: Municipality) -> User:
    return citizen(mailbox_a)


def provide(
    town: Municipality, owner: User, *, subject: str = "Hundesteuerbescheid 2026", key: str = ""
) -> Message:
    with tenant_context(town):
        return message_provide(
            owner=owner,
            source_key=key or f"test:{subject}",
            kind=Message.Kind.NOTICE,
            subject=subject,
            sender_office="Steueramt",
            body="Sehr geehrte Frau Mustermann, anbei Ihr Bescheid.",
            reference="HSt-2026-0042",
            documents=[NewDocument(filename="bescheid.pdf", content=NOTICE_PDF)],
        )


__all__ += ["Client", "citizen"]
