"""Limits per visitor count the visitor's address, also behind the load balancer."""

from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from rathaus.platform.abuse.limits import client_address


def _request(forwarded: str | None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.3.7")
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_a_proxy_the_connections_address_counts() -> None:
    assert client_address(_request("203.0.113.9")) == "10.0.3.7"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_the_load_balancer_the_address_it_reports_counts() -> None:
    assert client_address(_request("203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_what_the_client_wrote_into_the_header_itself_is_ignored() -> None:
    # A client that sends "X-Forwarded-For: 1.2.3.4" to dodge its limit: the load
    # balancer appends the real address, the rightmost entry.
    assert client_address(_request("1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_a_request_past_the_load_balancer_counts_by_its_connection() -> None:
    assert client_address(_request(None)) == "10.0.3.7"
