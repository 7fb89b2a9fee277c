"""One submission per form token: the second click gets the first click's result."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import schema_context, tenant_context

from rathaus.platform.abuse.once import AlreadySubmitted, submitted_once
from rathaus.tenants.models import Municipality

TOKEN = "form-token-1"


class Refused(Exception):  # noqa: N818 (reads as what happened)
    """Nothing was done (e.g. the time was taken)."""


class Results:
    """Where the submissions' results are kept (as a booking table would)."""

    def __init__(self) -> None:
        self.made: dict[str, str] = {}
        self.runs = 0

    def submit(self, result: str = "booking-1", before: Callable[[], None] = lambda: None) -> str:
        self.runs += 1
        before()
        self.made[result] = result
        return result

    def send(self, submit: Callable[[], str], **kwargs: Any) -> str:
        return submitted_once(
            token=TOKEN,
            purpose="tests.booking",
            submit=submit,
            remember=lambda result: result,
            recall=self.made.get,
            refusals=(Refused,),
            **kwargs,
        )


def test_a_repeat_gets_the_first_result_and_runs_nothing(town_a: Municipality) -> None:
    results = Results()
    with tenant_context(town_a):
        first = results.send(results.submit)
        second = results.send(lambda: results.submit("booking-2"))

    assert first == second == "booking-1"
    assert results.runs == 1


def test_a_repeat_during_the_first_waits_for_its_result(town_a: Municipality) -> None:
    results = Results()
    running, finish = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def slowly() -> None:
        running.set()
        finish.wait(5)

    def first_click() -> None:
        with schema_context(town_a.schema_name):
            outcome["first"] = results.send(lambda: results.submit(before=slowly))

    thread = threading.Thread(target=first_click)
    thread.start()
    assert running.wait(5)
    threading.Timer(0.3, finish.set).start()
    with tenant_context(town_a):
        outcome["second"] = results.send(lambda: results.submit("booking-2"))
    thread.join(5)

    assert outcome == {"first": "booking-1", "second": "booking-1"}
    assert results.runs == 1


def test_a_refused_first_attempt_frees_the_token(town_a: Municipality) -> None:
    results = Results()

    def refuse() -> str:
        raise Refused

    with tenant_context(town_a):
        with pytest.raises(Refused):
            results.send(refuse)
        assert results.send(results.submit) == "booking-1"


def test_after_an_unexpected_error_a_repeat_is_told_and_runs_nothing(
    town_a: Municipality,
) -> None:
    results = Results()

    def crash() -> str:
        raise RuntimeError("the database went away after the booking")

    with tenant_context(town_a):
        with pytest.raises(RuntimeError):
            results.send(crash)
        with pytest.raises(AlreadySubmitted):
            results.send(results.submit, wait=0.2)

    assert results.runs == 0


def test_the_same_token_in_another_town_is_another_submission(
    town_a: Municipality, town_b: Municipality
) -> None:
    results = Results()
    with tenant_context(town_a):
        results.send(results.submit)
    with tenant_context(town_b):
        assert results.send(lambda: results.submit("booking-b")) == "booking-b"

    assert results.runs == 2
