"""A print partner speaking Pingen's REST API (v2, JSON:API).

The flow is Pingen's: an access token by OAuth client credentials
(``POST {identity}/auth/access-tokens``), a signed upload address
(``GET /file-upload``), the PDF ``PUT`` there, then the letter
(``POST /organisations/{org}/deliveries/letters`` with ``auto_send``, an
``Idempotency-Key`` header so a repeat makes no second letter). Its status is
``GET .../letters/{id}``, a cancel ``PATCH .../letters/{id}/cancel``.
Configured by ``NOTICES_PINGEN_API_URL``, ``NOTICES_PINGEN_IDENTITY_URL``,
``NOTICES_PINGEN_CLIENT_ID``, ``NOTICES_PINGEN_CLIENT_SECRET`` and
``NOTICES_PINGEN_ORGANISATION``; tests point them at a local stand-in.
"""

import datetime as dt
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

from ...registry import (
    ACCEPTED,
    CANCELLED,
    POSTED,
    PRINTING,
    UNDELIVERABLE,
    PartnerRefused,
    PartnerStatus,
    PartnerUnavailable,
    PrintOptions,
    PrintPartner,
    partners,
)

# Pingen's letter statuses, normalised.
STATUSES = {
    "validating": ACCEPTED,
    "valid": ACCEPTED,
    "action_required": ACCEPTED,
    "submitted": ACCEPTED,
    "accepted": ACCEPTED,
    "printing": PRINTING,
    "processing": PRINTING,
    "sent": POSTED,
    "undeliverable": UNDELIVERABLE,
    "cancelled": CANCELLED,
}
TIMEOUT = 20


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, f"NOTICES_PINGEN_{name}", default))


@partners.register("pingen")
class Pingen(PrintPartner):
    label = "Pingen"

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self._lock = threading.Lock()
        self._token = ""
        self._expires = 0.0
        self._session = requests.Session()
        # The environment's proxies, looked up once per host: requests would on every call
        # (a few milliseconds each, three calls a letter).
        self._session.trust_env = False
        self._proxies: dict[str, dict[str, str]] = {}

    def _token_get(self) -> str:
        with self._lock:
            if self._token and time.monotonic() < self._expires - 60:
                return self._token
            response = self._call(
                "POST",
                f"{_setting('IDENTITY_URL', 'https://identity.pingen.com')}/auth/access-tokens",
                data={
                    "grant_type": "client_credentials",
                    "client_id": _setting("CLIENT_ID"),
                    "client_secret": _setting("CLIENT_SECRET"),
                    "scope": "letter",
                },
                auth=False,
            )
            body = response.json()
            self._token = str(body["access_token"])
            self._expires = time.monotonic() + float(body.get("expires_in", 3600))
            return self._token

    def _call(
        self, method: str, url: str, *, auth: bool = True, **kwargs: Any
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            headers["Authorization"] = f"Bearer {self._token_get()}"
        host = urlsplit(url).netloc
        if host not in self._proxies:
            self._proxies[host] = requests.utils.get_environ_proxies(url)
        try:
            response = self._session.request(
                method, url, headers=headers, timeout=TIMEOUT, proxies=self._proxies[host], **kwargs
            )
        except requests.RequestException as exc:
            raise PartnerUnavailable(f"Pingen: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise PartnerUnavailable(f"Pingen: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise PartnerRefused(f"Pingen: HTTP {response.status_code} {response.text[:300]}")
        return response

    def _letters(self) -> str:
        api = _setting("API_URL", "https://api.pingen.com")
        return f"{api}/organisations/{_setting('ORGANISATION')}/deliveries/letters"

    def upload(
        self, *, pdf: bytes, filename: str, idempotency_key: str, options: PrintOptions
    ) -> str:
        api = _setting("API_URL", "https://api.pingen.com")
        upload = self._call("GET", f"{api}/file-upload").json()["data"]["attributes"]
        self._call(
            "PUT", upload["url"], auth=False, data=pdf, headers={"Content-Type": "application/pdf"}
        )
        created = self._call(
            "POST",
            self._letters(),
            headers={
                "Content-Type": "application/vnd.api+json",
                "Idempotency-Key": idempotency_key[:64],
            },
            json={
                "data": {
                    "type": "letters",
                    "attributes": {
                        "file_original_name": filename,
                        "file_url": upload["url"],
                        "file_url_signature": upload["url_signature"],
                        "address_position": "left",
                        "auto_send": True,
                        "delivery_product": "fast" if options.delivery == "fast" else "cheap",
                        "print_mode": "duplex" if options.duplex else "simplex",
                        "print_spectrum": "color" if options.color else "grayscale",
                    },
                }
            },
        )
        return str(created.json()["data"]["id"])

    def status(self, *, partner_id: str) -> PartnerStatus:
        data = self._call("GET", f"{self._letters()}/{partner_id}").json()["data"]["attributes"]
        raw = str(data.get("status", ""))
        posted_on = None
        if STATUSES.get(raw) == POSTED and data.get("submitted_at"):
            posted_on = dt.datetime.fromisoformat(str(data["submitted_at"])).date()
        return PartnerStatus(status=STATUSES.get(raw, ACCEPTED), posted_on=posted_on, raw=raw)

    def cancel(self, *, partner_id: str) -> bool:
        try:
            self._call("PATCH", f"{self._letters()}/{partner_id}/cancel")
        except PartnerRefused:
            return False
        return True
