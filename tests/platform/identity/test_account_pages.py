"""The account pages speak plainly: "Mein Rathaus", and forms that say what is wrong."""

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.identity import account_sections
from rathaus.platform.identity.account_sections import AccountLink, AccountLinkItem
from rathaus.platform.identity.models import AccountKind, Membership, User
from rathaus.platform.messaging.contrib.sms import backends as sms
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.platform.design.test_error_pages import assert_error_page
from tests.platform.identity.helpers import send_queued

NEW_PASSWORD = "Lindenblüte-im-Mai-42"
PERSON = {
    "kind": "person",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "email": "erika@example.org",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}


def _input(html: str, name: str) -> str:
    match = re.search(rf"<input[^>]*name=\"{name}\"[^>]*>", html)
    assert match, f"no input {name}"
    return match.group(0)


def _log_in(client: Client, email: str = "erika@example.org") -> None:
    assert (
        client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code
        == 302
    )


def test_a_wrong_password_says_the_pair_does_not_match(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    html = client_a.post(
        "/accounts/login/", {"username": "erika@example.org", "password": "falsch"}
    ).content.decode()

    assert "E-Mail-Adresse und Passwort passen nicht zusammen." in html
    assert "Bitte E-Mail-Adresse und Passwort eingeben" not in html
    assert "Bitte einen gültigen" not in html


def test_an_empty_login_names_what_is_missing(client_a: Client) -> None:
    html = client_a.post("/accounts/login/", {"username": "", "password": ""}).content.decode()

    assert "Bitte geben Sie Ihre E-Mail-Adresse ein." in html
    assert "Bitte geben Sie Ihr Passwort ein." in html
    assert "passen nicht zusammen" not in html


def test_the_login_form_tells_browsers_what_to_fill_in(client_a: Client) -> None:
    html = client_a.get("/accounts/login/").content.decode()

    assert 'autocomplete="email"' in _input(html, "username")
    assert 'autocomplete="current-password"' in _input(html, "password")


def test_registration_needs_no_mobile_number_and_sends_no_sms(
    client_a: Client, town_a: Municipality
) -> None:
    sms.outbox.clear()

    response = client_a.post("/accounts/register/", PERSON)
    send_queued(town_a)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert sms.outbox == []
    with tenant_context(town_a):
        user = User.objects.get(email="erika@example.org")
    assert not user.phone
    page = client_a.get("/accounts/").content.decode()
    assert "Mobilnummer hinzufügen" in page


def test_a_mobile_number_added_later_is_confirmed_by_code(
    client_a: Client, town_a: Municipality
) -> None:
    client_a.post("/accounts/register/", PERSON)
    sms.outbox.clear()

    response = client_a.post("/accounts/phone/", {"phone": "0151 12345678"})
    send_queued(town_a)

    assert response["Location"] == "/accounts/confirm-phone/"
    assert sms.outbox[-1].to == "+4915112345678"
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].body)
    assert code
    assert client_a.post("/accounts/confirm-phone/", {"code": code.group(1)}).status_code == 302
    with tenant_context(town_a):
        user = User.objects.get(email="erika@example.org")
    assert str(user.phone) == "+4915112345678"
    assert user.phone_verified_at is not None


def test_a_changed_mobile_number_is_unconfirmed_until_its_code_comes_back(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org", phone="+4915112345678")
        User.objects.update(phone_verified_at="2026-01-01T00:00Z")
    _log_in(client_a)

    client_a.post("/accounts/phone/", {"phone": "0160 9876543"})

    with tenant_context(town_a):
        user = User.objects.get(email="erika@example.org")
    assert str(user.phone) == "+491609876543"
    assert user.phone_verified_at is None

    client_a.post("/accounts/phone/", {"remove": "1"})
    with tenant_context(town_a):
        assert not User.objects.get(email="erika@example.org").phone


def test_a_wrong_mobile_number_gets_an_example(client_a: Client) -> None:
    html = client_a.post("/accounts/register/", {**PERSON, "phone": "12"}).content.decode()

    assert "Bitte geben Sie eine Mobilnummer wie 0151 23456789 ein." in html


def test_a_person_keeps_no_organisation_name_typed_in_by_mistake(
    client_a: Client, town_a: Municipality
) -> None:
    client_a.post("/accounts/register/", {**PERSON, "organisation_name": "SV Tangerhütte e. V."})

    with tenant_context(town_a):
        user = User.objects.get(email="erika@example.org")
    assert user.kind == AccountKind.PERSON
    assert user.organisation_name == ""


def test_the_organisation_field_is_marked_for_associations_and_companies_only(
    client_a: Client,
) -> None:
    html = client_a.get("/accounts/register/").content.decode()

    assert 'data-shown-for-kind="association company"' in _input(html, "organisation_name")
    assert "account-kind.js" in html


def test_registration_fields_carry_autocomplete_tokens(client_a: Client) -> None:
    html = client_a.get("/accounts/register/").content.decode()

    expected = {
        "first_name": "given-name",
        "last_name": "family-name",
        "email": "email",
        "phone": "tel",
        "organisation_name": "organization",
        "password1": "new-password",
        "password2": "new-password",
    }
    for name, token in expected.items():
        assert f'autocomplete="{token}"' in _input(html, name), name


def test_an_empty_registration_names_each_missing_field(client_a: Client) -> None:
    html = client_a.post("/accounts/register/", {"kind": "person"}).content.decode()

    for message in (
        "Bitte geben Sie Ihren Vornamen ein.",
        "Bitte geben Sie Ihren Nachnamen ein.",
        "Bitte geben Sie Ihre E-Mail-Adresse ein.",
        "Bitte wählen Sie ein Passwort.",
    ):
        assert message in html
    assert "Dieses Feld ist zwingend erforderlich." not in html


def test_the_profile_fields_carry_address_autocomplete_tokens(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
    _log_in(client_a)

    html = client_a.get("/accounts/").content.decode()

    for name, token in {
        "first_name": "given-name",
        "last_name": "family-name",
        "street": "street-address",
        "postal_code": "postal-code",
        "city": "address-level2",
    }.items():
        assert f'autocomplete="{token}"' in _input(html, name), name


def test_the_password_reset_and_the_code_form_carry_autocomplete_tokens(
    client_a: Client, town_a: Municipality
) -> None:
    reset = client_a.get("/accounts/password-reset/").content.decode()
    assert 'autocomplete="email"' in _input(reset, "email")

    with tenant_context(town_a):
        UserFactory(email="erika@example.org", phone="+4915112345678")
    _log_in(client_a)
    code = client_a.get("/accounts/confirm-phone/").content.decode()
    assert 'autocomplete="one-time-code"' in _input(code, "code")


@pytest.fixture
def other_section() -> Iterator[None]:
    """A later module's part of "Mein Rathaus" (applications), through the port."""

    def provider(user: User) -> list[AccountLink]:
        return [
            AccountLink(
                "Meine Anträge",
                "/antraege/",
                "1 Antrag in Bearbeitung",
                (AccountLinkItem("Hund anmelden", "/antraege/7/", "eingegangen am 01.12.2026"),),
            )
        ]

    account_sections.account_links_provider(provider)
    yield
    account_sections._providers.remove(provider)


def test_mein_rathaus_shows_every_section_the_port_gives(
    client_a: Client, town_a: Municipality, other_section: None
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
    _log_in(client_a)

    html = client_a.get("/accounts/").content.decode()

    assert "Mein Rathaus" in html
    assert "Meine Anträge" in html
    assert "1 Antrag in Bearbeitung" in html
    assert 'href="/antraege/7/"' in html
    assert "Hund anmelden" in html


def test_mein_rathaus_holds_data_security_download_and_deletion(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org", first_name="Erika")
    _log_in(client_a)

    html = client_a.get("/accounts/").content.decode()

    for text in (
        "Persönliche Angaben",
        "erika@example.org",
        "Mobilnummer",
        "Passwort ändern",
        "Zweiter Faktor",
        "Landeskonto",
        "Meine Daten herunterladen",
        "Konto löschen",
    ):
        assert text in html, text
    for url in ("/accounts/export/", "/accounts/delete/", "/accounts/two-factor/"):
        assert f'href="{url}"' in html, url


def test_an_association_sees_its_members_on_mein_rathaus(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        club = UserFactory.create(
            email="verein@example.org",
            kind=AccountKind.ASSOCIATION,
            organisation_name="SV Tangerhütte e. V.",
        )
        member = UserFactory.create(email="kassenwart@example.org")
        Membership.objects.create(organisation=club, member=member, role="admin")
    _log_in(client_a, "verein@example.org")

    html = client_a.get("/accounts/").content.decode()

    assert "Mitglieder" in html
    assert "kassenwart@example.org" in html
    assert 'href="/accounts/members/"' in html

    person = Client(HTTP_HOST="tangerhuette.localhost")
    _log_in(person, "kassenwart@example.org")
    own = person.get("/accounts/").content.decode()
    assert "SV Tangerhütte e. V." in own  # the organisations one acts for
    assert 'href="/accounts/members/"' not in own


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/", {"birth_date": "gestern"}),
        ("/accounts/phone/", {"phone": "12"}),
        ("/accounts/confirm-phone/", {"code": ""}),
        ("/accounts/password/", {"old_password": "", "new_password1": "", "new_password2": ""}),
        ("/accounts/two-factor/", {"code": ""}),
        ("/accounts/delete/", {"password": ""}),
    ],
)
def test_a_logged_in_form_with_errors_says_so_at_the_top(
    client_a: Client, town_a: Municipality, path: str, data: dict[str, str]
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org", phone="+4915112345678")
    _log_in(client_a)

    response = client_a.post(path, data)

    assert response.status_code in (200, 400)
    assert_error_page(response.content.decode())


def test_the_members_form_with_errors_says_so_at_the_top(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(
            email="verein@example.org", kind=AccountKind.ASSOCIATION, organisation_name="SV"
        )
    _log_in(client_a, "verein@example.org")

    assert_error_page(client_a.post("/accounts/members/", {"email": "x"}).content.decode())


def test_a_password_is_changed_with_the_current_one(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
    _log_in(client_a)

    wrong = client_a.post(
        "/accounts/password/",
        {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Das bisherige Passwort stimmt nicht." in wrong.content.decode()
    done = client_a.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done["Location"] == "/accounts/"
    with tenant_context(town_a):
        assert User.objects.get(email="erika@example.org").check_password(NEW_PASSWORD)
    assert client_a.get("/accounts/").status_code == 200  # still logged in


def test_the_current_password_cannot_be_guessed_on_the_change_page(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
    _log_in(client_a)
    wrong = {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(10):
        assert client_a.post("/accounts/password/", wrong).status_code == 200

    right = {**wrong, "old_password": PASSWORD}
    refused = client_a.post("/accounts/password/", right)

    assert refused.status_code == 403
    with tenant_context(town_a):
        assert not User.objects.get(email="erika@example.org").check_password(NEW_PASSWORD)
