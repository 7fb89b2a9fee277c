"""Named rate limits: counted per client address, account or e-mail address, per town."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_ratelimit.exceptions import Ratelimited
from django_tenants.utils import tenant_context

from rathaus.platform.abuse.limits import (
    Per,
    RateLimit,
    declared_limits,
    first_limit_reached,
    limit_reached,
    rate_limit,
)
from rathaus.platform.identity import limits as identity_limits
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality

PER_CLIENT = RateLimit("tests.sign-up.client", "3/h", Per.CLIENT)
PER_ACCOUNT = RateLimit("tests.sign-up.account", "2/m", Per.ACCOUNT)
PER_EMAIL = RateLimit("tests.sign-up.email", "2/d", Per.EMAIL)


def _request(ip: str = "192.0.2.1", user: object = None, method: str = "post") -> HttpRequest:
    request = getattr(RequestFactory(), method)("/", REMOTE_ADDR=ip)
    request.user = user or AnonymousUser()
    return request


def _hits(limit: RateLimit, times: int, **kwargs: object) -> list[bool]:
    request = _request(**kwargs)  # type: ignore[arg-type]
    return [limit_reached(request, limit) for _ in range(times)]


def test_a_client_gets_its_share_and_then_is_over_the_limit(town_a: Municipality) -> None:
    with tenant_context(town_a):
        assert _hits(PER_CLIENT, 4) == [False, False, False, True]
        assert _hits(PER_CLIENT, 1, ip="198.51.100.7") == [False]  # another client


def test_looking_without_counting_counts_nothing(town_a: Municipality) -> None:
    with tenant_context(town_a):
        request = _request()
        for _ in range(5):
            assert not limit_reached(request, PER_CLIENT, count=False)
        assert _hits(PER_CLIENT, 3) == [False, False, False]


def test_one_towns_counters_leave_another_town_alone(
    town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        _hits(PER_CLIENT, 4)
    with tenant_context(town_b):
        assert _hits(PER_CLIENT, 1) == [False]


def test_accounts_behind_one_address_are_counted_each(town_a: Municipality) -> None:
    erika, max_ = User(pk=1001, email="erika@example.org"), User(pk=1002, email="m@example.org")
    with tenant_context(town_a):
        assert _hits(PER_ACCOUNT, 3, user=erika) == [False, False, True]
        assert _hits(PER_ACCOUNT, 1, user=max_) == [False]
        # A visitor who is not logged in is counted by address.
        assert _hits(PER_ACCOUNT, 3) == [False, False, True]


def test_an_email_address_is_counted_however_it_is_written(town_a: Municipality) -> None:
    with tenant_context(town_a):
        assert not limit_reached(_request(ip="192.0.2.1"), PER_EMAIL, email="Erika@Example.org")
        assert not limit_reached(_request(ip="192.0.2.2"), PER_EMAIL, email=" erika@example.org")
        assert limit_reached(_request(ip="192.0.2.3"), PER_EMAIL, email="ERIKA@example.org ")
        assert not limit_reached(_request(), PER_EMAIL, email="max@example.org")
        with pytest.raises(TypeError, match=r"tests\.sign-up\.email"):
            limit_reached(_request(), PER_EMAIL)


def test_every_limit_counts_the_request_and_the_first_one_over_is_named(
    town_a: Municipality,
) -> None:
    limits = [PER_EMAIL, PER_CLIENT]
    with tenant_context(town_a):
        request = _request()
        reached = [
            first_limit_reached(request, limits, email="erika@example.org") for _ in range(3)
        ]
        # The client's count went on while the address was over.
        assert first_limit_reached(request, limits, email="max@example.org") is PER_CLIENT

    assert reached == [None, None, PER_EMAIL]


def test_the_decorator_refuses_or_marks_requests_over_the_limit(town_a: Municipality) -> None:
    marked: list[bool] = []

    @rate_limit(PER_CLIENT)
    def blocking(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    @rate_limit(RateLimit("tests.sign-up.page", "1/h", Per.CLIENT), block=False)
    def answering(request: HttpRequest) -> HttpResponse:
        marked.append(getattr(request, "limited", False))
        return HttpResponse("ok")

    with tenant_context(town_a):
        for _ in range(5):
            blocking(_request(method="get"))  # only POST counts
        for _ in range(3):
            blocking(_request())
        with pytest.raises(Ratelimited):
            blocking(_request())
        answering(_request())
        answering(_request())

    assert marked == [False, True]


def test_a_limit_per_email_address_needs_the_address_from_the_view() -> None:
    with pytest.raises(TypeError, match=r"tests\.sign-up\.email"):
        rate_limit(PER_EMAIL)


def test_a_limit_is_declared_once_with_a_valid_rate() -> None:
    assert RateLimit("tests.sign-up.client", "3/h", Per.CLIENT) == PER_CLIENT  # the same again
    with pytest.raises(ValueError, match="declared twice"):
        RateLimit("tests.sign-up.client", "30/h", Per.CLIENT)
    with pytest.raises(ValueError, match=r"tests\.bad"):
        RateLimit("tests.bad", "20 per hour", Per.CLIENT)
    with pytest.raises(ValueError, match=r"tests\.bad"):
        RateLimit("tests.bad", "0/h", Per.CLIENT)


def test_the_declared_limits_are_listed_by_name() -> None:
    names = [limit.name for limit in declared_limits()]

    assert identity_limits.LOGIN in declared_limits()
    assert PER_CLIENT in declared_limits()
    assert names == sorted(set(names))
