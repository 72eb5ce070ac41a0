"""UK working days: weekends and England & Wales bank holidays are not working days.

Used for the 10-working-day publication deadline of minutes, impact-assessment
deadlines of change requests and reminder timing. Bank holidays come from the
`holidays` package (subdivision ENG covers England & Wales), which tracks one-off
days such as coronations and jubilees.
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when end is earlier."""
    if end < start:
        return -working_days_between(end, start)
    # Counted by whole weeks (five working days each, less the bank holidays among them),
    # not day by day: the meetings lists work out the publication clock of meetings held
    # years ago, 900 days each.
    weeks, rest = divmod((end - start).days, 7)
    last_week = (start + datetime.timedelta(days=7 * weeks + k) for k in range(1, rest + 1))
    count = 5 * weeks + sum(day.weekday() < 5 for day in last_week)
    for year in range(start.year, end.year + 1):
        count -= sum(start < day <= end and day.weekday() < 5 for day in _bank_holidays(year))
    return count
