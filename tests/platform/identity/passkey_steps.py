"""The two POSTs of each passkey ceremony, as the page's JavaScript makes them."""

import json
from typing import Any

from django.test import Client

from tests.platform.identity.authenticator import SoftAuthenticator


def post_json(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def passkey_register_steps(
    client: Client, phone: SoftAuthenticator, *, origin: str, name: str = "Mein Telefon"
) -> Any:
    options = post_json(client, "/accounts/passkeys/new/options/")
    assert options.status_code == 200, options.content.decode()
    answer = phone.create(options.content.decode(), origin=origin)
    return post_json(client, "/accounts/passkeys/new/", {"name": name, "credential": answer})


def passkey_login_steps(
    client: Client, phone: SoftAuthenticator, *, origin: str, **kwargs: Any
) -> Any:
    options = post_json(client, "/accounts/login/passkey/options/")
    assert options.status_code == 200, options.content.decode()
    answer = phone.get(options.content.decode(), origin=origin, **kwargs)
    return post_json(client, "/accounts/login/passkey/", {"credential": answer})
