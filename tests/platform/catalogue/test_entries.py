"""How a place's opening hours read: consecutive days with the same hours are one line."""

import datetime as dt

from rathaus.platform.catalogue.entries import OpeningTime, Place


def _t(hour: int) -> dt.time:
    return dt.time(hour)


def test_days_with_the_same_hours_are_one_line_and_others_their_own() -> None:
    hours = [OpeningTime(day, _t(8), _t(16)) for day in (0, 1, 2, 4)]
    hours += [OpeningTime(3, _t(8), _t(12)), OpeningTime(3, _t(13), _t(18))]
    hours += [OpeningTime(5, _t(9), _t(12)), OpeningTime(6, _t(9), _t(12))]

    days = [
        (str(day.weekday), day.periods)
        for day in Place("Bürgerbüro", "", tuple(hours)).opening_days()
    ]

    assert days == [
        ("Montag bis Mittwoch", ("08:00–16:00",)),
        ("Donnerstag", ("08:00–12:00", "13:00–18:00")),
        ("Freitag", ("08:00–16:00",)),
        ("Samstag, Sonntag", ("09:00–12:00",)),
    ]


def test_a_place_without_hours_has_no_days() -> None:
    assert Place("Rathaus").opening_days() == []
