"""Durations are asked for in hours and minutes and shown as people say them."""

import pytest
from django import forms

from rathaus.platform.durations import DurationField, duration_text


class ServiceDuration(forms.Form):
    duration = DurationField(label="Dauer", min_minutes=5, max_minutes=480)


class OptionalDuration(forms.Form):
    duration = DurationField(label="Puffer", required=False)


@pytest.mark.parametrize(
    ("minutes", "short", "long"),
    [
        (90, "1 Std. 30 Min.", "1 Stunde 30 Minuten"),
        (120, "2 Std.", "2 Stunden"),
        (45, "45 Min.", "45 Minuten"),
        (1, "1 Min.", "1 Minute"),
        (0, "0 Min.", "0 Minuten"),
        (61, "1 Std. 1 Min.", "1 Stunde 1 Minute"),
    ],
)
def test_minutes_read_as_hours_and_minutes(minutes: int, short: str, long: str) -> None:
    assert duration_text(minutes) == short
    assert duration_text(minutes, long=True) == long


@pytest.mark.parametrize(
    ("hours", "minutes", "total"),
    [("1", "30", 90), ("", "45", 45), ("2", "", 120), ("0", "5", 5), ("8", "0", 480)],
)
def test_hours_and_minutes_are_stored_as_minutes(hours: str, minutes: str, total: int) -> None:
    form = ServiceDuration({"duration_hours": hours, "duration_minutes": minutes})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["duration"] == total


@pytest.mark.parametrize(
    ("hours", "minutes", "message"),
    [
        ("", "", "Bitte eine Dauer in Stunden und Minuten angeben."),
        ("0", "3", "Bitte mindestens 5 Min. angeben."),
        ("8", "15", "Bitte höchstens 8 Std. angeben."),
        ("1", "75", "Die Minuten müssen zwischen 0 und 59 liegen; 60 Minuten sind 1 Stunde."),
        ("eins", "", "Stunden: bitte eine ganze Zahl angeben, z. B. 1 oder 30."),
        ("", "-5", "Minuten: bitte keine negative Zahl angeben."),
    ],
)
def test_a_wrong_duration_says_what_is_wrong(hours: str, minutes: str, message: str) -> None:
    form = ServiceDuration({"duration_hours": hours, "duration_minutes": minutes})

    assert not form.is_valid()
    assert form.errors["duration"] == [message]


def test_an_optional_duration_may_stay_empty() -> None:
    form = OptionalDuration({"duration_hours": "", "duration_minutes": ""})

    assert form.is_valid()
    assert form.cleaned_data["duration"] is None


def test_the_form_shows_a_stored_duration_in_hours_and_minutes() -> None:
    html = str(ServiceDuration(initial={"duration": 95})["duration"])

    assert 'name="duration_hours"' in html
    assert 'value="1"' in html
    assert 'name="duration_minutes"' in html
    assert 'value="35"' in html
    assert "Std." in html
    assert "Min." in html
