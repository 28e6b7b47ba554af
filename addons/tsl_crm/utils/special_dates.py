# Copyright 2026 TSL Member CRM
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Next and last occurrence of a yearly date, solar or Chinese lunar.

Rules a store associate expects:

* a solar 29 February is celebrated on 28 February in common years;
* a lunar date in a leap month (闰月) is celebrated in the leap month when the
  lunar year has that leap month, else in the ordinary month of the same number;
* a lunar day 30 is celebrated on day 29 when that lunar month is short.
"""

import calendar
from datetime import date
from functools import lru_cache

try:
    from lunar_python import Lunar, LunarMonth, LunarYear
except ImportError:  # pragma: no cover - declared in external_dependencies
    Lunar = LunarMonth = LunarYear = None

LUNAR_MIN_YEAR = 1901
LUNAR_MAX_YEAR = 2099


def solar_occurrence(year, month, day):
    """The solar date of (month, day) in ``year``; 29/02 → 28/02 in common years."""
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last_day))


@lru_cache(maxsize=8192)
def lunar_occurrence(lunar_year, month, day, leap=False):
    """The solar date on which lunar (month, day) of ``lunar_year`` falls."""
    use_leap = leap and LunarYear.fromYear(lunar_year).getLeapMonth() == month
    lunar_month = -month if use_leap else month
    days = LunarMonth.fromYm(lunar_year, lunar_month).getDayCount()
    solar = Lunar.fromYmd(lunar_year, lunar_month, min(day, days)).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def occurrence_in(year, calendar_type, month, day, leap=False):
    """The occurrence belonging to (solar or lunar) year ``year``."""
    if calendar_type == "lunar":
        return lunar_occurrence(year, month, day, leap)
    return solar_occurrence(year, month, day)


@lru_cache(maxsize=8192)
def last_and_next(calendar_type, month, day, ref_date, leap=False):
    """Return ``(last, next)``: the latest occurrence before ``ref_date`` and
    the first on or after it. ``day`` may be empty (month-only birthdays):
    the first day of the month is then used."""
    if not month:
        return False, False
    day = day or 1
    occurrences = []
    # A lunar year starts in Jan/Feb of the solar year of the same number, so
    # the occurrences of lunar years Y-2 … Y+1 surround any solar date of Y.
    for year in range(ref_date.year - 2, ref_date.year + 2):
        if calendar_type == "lunar" and not (LUNAR_MIN_YEAR <= year <= LUNAR_MAX_YEAR):
            continue
        occurrences.append(occurrence_in(year, calendar_type, month, day, leap))
    occurrences.sort()
    last = max((d for d in occurrences if d < ref_date), default=False)
    nxt = min((d for d in occurrences if d >= ref_date), default=False)
    return last, nxt
