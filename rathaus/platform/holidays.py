"""Public holidays and working days of a town's Land (the ``holidays`` package's calendar).

Appointments close on a holiday; a legal deadline that ends on a Saturday, a
Sunday or a public holiday of the Land ends on the next working day instead
(§ 31 Abs. 3 VwVfG, § 193 BGB).
"""

import datetime as dt
from functools import lru_cache

import holidays

from rathaus.tenants.models import FederalState

# The AGS prefix of each Land -> its ISO 3166-2 subdivision code in `holidays`.
HOLIDAY_SUBDIVISIONS: dict[FederalState, str] = {
    FederalState.SCHLESWIG_HOLSTEIN: "SH",
    FederalState.HAMBURG: "HH",
    FederalState.NIEDERSACHSEN: "NI",
    FederalState.BREMEN: "HB",
    FederalState.NORDRHEIN_WESTFALEN: "NW",
    FederalState.HESSEN: "HE",
    FederalState.RHEINLAND_PFALZ: "RP",
    FederalState.BADEN_WUERTTEMBERG: "BW",
    FederalState.BAYERN: "BY",
    FederalState.SAARLAND: "SL",
    FederalState.BERLIN: "BE",
    FederalState.BRANDENBURG: "BB",
    FederalState.MECKLENBURG_VORPOMMERN: "MV",
    FederalState.SACHSEN: "SN",
    FederalState.SACHSEN_ANHALT: "ST",
    FederalState.THUERINGEN: "TH",
}


@lru_cache(maxsize=64)
def _state_holidays(subdivision: str, year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("DE", subdiv=subdivision, years=year, language="de"))


def public_holidays(*, state: FederalState, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """The public holidays of ``state`` from ``start`` to ``end`` (inclusive), with German names."""
    found: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _state_holidays(HOLIDAY_SUBDIVISIONS[state], year).items():
            if start <= day <= end:
                found[day] = name
    return found


def is_working_day(*, state: FederalState, day: dt.date) -> bool:
    """Monday to Friday and no public holiday of ``state``."""
    return day.weekday() < 5 and not public_holidays(state=state, start=day, end=day)


def working_day_on_or_after(*, state: FederalState, day: dt.date) -> dt.date:
    """``day`` if it is a working day of ``state``, else the next one."""
    while not is_working_day(state=state, day=day):
        day += dt.timedelta(days=1)
    return day
