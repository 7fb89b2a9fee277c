"""Every page carries a strict Content-Security-Policy and a Permissions-Policy.

The policy allows scripts and styles from the town's own host, and inline ones only
with the response's nonce; so templates must not have inline scripts, event-handler or
style attributes. The template scan below names any that creep in.
"""

import base64
import hashlib
import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client

from rathaus.tenants.models import Municipality
from tests.conftest import ROOT
from tests.platform.staff.conftest import admin_client_a  # noqa: F401

TEMPLATES = sorted((ROOT / "rathaus").glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>")
HANDLER_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_a_town_page_allows_only_its_own_scripts_and_the_nonce(client_a: Client) -> None:
    response = client_a.get("/")

    policy = _directives(response["Content-Security-Policy"])
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["script-src"]))
    assert policy["default-src"] == ["'self'"]
    assert nonce, policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # The town's colours are an inline style: it carries the nonce of this response.
    assert f'<style nonce="{nonce.group(1)}">' in response.content.decode()


def test_each_response_has_a_fresh_nonce(client_a: Client) -> None:
    first = client_a.get("/")["Content-Security-Policy"]
    second = client_a.get("/")["Content-Security-Policy"]

    assert first != second


def test_passkeys_are_allowed_on_the_own_host_and_the_camera_nowhere(client_a: Client) -> None:
    policy = client_a.get("/")["Permissions-Policy"]

    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "publickey-credentials-get=(self)" in policy


def test_the_staff_branding_preview_keeps_to_the_policy(
    admin_client_a: Client,  # noqa: F811
) -> None:
    response = admin_client_a.get("/staff/branding/")

    assert response.status_code == 200
    assert not STYLE_ATTRIBUTE.search(response.content.decode())


def test_the_api_docs_load_swagger_from_the_app_without_inline_script(
    client_a: Client,
) -> None:
    page = client_a.get("/api/docs/").content.decode()

    assert "cdn.jsdelivr.net" not in page
    assert not INLINE_SCRIPT.search(page), page


def test_the_error_page_style_is_allowed_by_its_hash(town_a: Municipality) -> None:
    page = render_to_string("500.html")
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)

    assert style
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    policy: dict[str, Any] = settings.CONTENT_SECURITY_POLICY
    assert f"'sha256-{digest}'" in policy["DIRECTIVES"]["style-src"]


def _offences(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for template in TEMPLATES:
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    return found


def test_templates_have_no_inline_scripts() -> None:
    # JavaScript lives in static files; data for it goes in via json_script.
    assert not _offences(INLINE_SCRIPT)


def test_templates_have_no_event_handler_attributes() -> None:
    assert not _offences(HANDLER_ATTRIBUTE)


def test_templates_have_no_style_attributes() -> None:
    # A class in rathaus.css, or a <style nonce="{{ CSP_NONCE }}"> for a town's values.
    assert not _offences(STYLE_ATTRIBUTE)
