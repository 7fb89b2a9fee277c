"""Which addresses the server may fetch on a town's behalf (IdP metadata, discovery, keys).

A town admin types these URLs, and a provider's metadata names more of them;
without a check, "test connection" would let a town probe the vendor's own
network (cloud metadata service, internal services). Only https to public
addresses is allowed, unless ``FEDERATION_ALLOW_PRIVATE_NETWORKS`` is set
(development and tests, whose identity providers run on 127.0.0.1).

The address is checked when resolved here, and again for every redirect the
answer asks for (``OutboundRedirectGuard``: a public address that redirects into
the vendor's network is refused at the redirect). A host that changes its DNS
answer between this check and the fetch is not caught (an egress proxy would).
"""

import ipaddress
import socket
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from rathaus.platform.federation.registry import FederationError


def outbound_url_check(url: str) -> str:
    """Returns ``url`` if the server may fetch it, else raises ``FederationError`` saying why."""
    parts = urlsplit(url)
    allow_private = bool(getattr(settings, "FEDERATION_ALLOW_PRIVATE_NETWORKS", False))
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise FederationError(_("Nur https-Adressen sind erlaubt: %(url)s") % {"url": url})
    if not parts.hostname:
        raise FederationError(_("Die Adresse nennt keinen Server: %(url)s") % {"url": url})
    if allow_private:
        return url
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise FederationError(
            _("Der Server %(host)s ist unbekannt.") % {"host": parts.hostname}
        ) from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FederationError(
                _("Die Adresse %(url)s zeigt in ein internes Netz und wird nicht abgerufen.")
                % {"url": url}
            )
    return url


def outbound_metadata_check(metadata: dict[str, object]) -> None:
    """Checks every endpoint an OIDC provider's discovery document names."""
    for key, value in metadata.items():
        if isinstance(value, str) and (key.endswith("_endpoint") or key == "jwks_uri"):
            outbound_url_check(value)


class OutboundRedirectGuard:
    """For a ``requests.Session`` (subclass): every redirect target is checked with
    ``outbound_url_check`` before it is followed; a refused one raises ``FederationError``."""

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        target: str | None = super().get_redirect_target(resp)  # type: ignore[misc]
        if target:
            outbound_url_check(urljoin(resp.url, target))
        return target


class OutboundSession(OutboundRedirectGuard, requests.Session):
    """A session for fetches on a town's behalf."""


def outbound_get(url: str, **kwargs: Any) -> requests.Response:
    """``GET url`` (checked, and each redirect checked) for a town's settings."""
    with OutboundSession() as session:
        return session.get(outbound_url_check(url), **kwargs)
