import datetime

import pytest

from core.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date


def test_dag029_publication_deadline():
    """DAG029 on Wed 11/10/2023: ten working days later is Wed 25/10/2023 (no holidays)."""
    assert add_working_days(D(2023, 10, 11), 10) == D(2023, 10, 25)


def test_bank_holidays_are_skipped():
    # Christmas Day, Boxing Day 2023 (Mon, Tue) and New Year's Day 2024 (Mon).
    assert add_working_days(D(2023, 12, 22), 1) == D(2023, 12, 27)
    assert add_working_days(D(2023, 12, 29), 1) == D(2024, 1, 2)
    # The King's coronation bank holiday, 8 May 2023, is England & Wales only but counts.
    assert not is_working_day(D(2023, 5, 8))
    # Scottish-only holiday (2 January) is a working day in England & Wales.
    assert is_working_day(D(2024, 1, 2))


def test_working_days_between():
    assert working_days_between(D(2023, 10, 11), D(2023, 10, 25)) == 10
    assert working_days_between(D(2023, 10, 25), D(2023, 10, 11)) == -10
    assert working_days_between(D(2023, 10, 14), D(2023, 10, 15)) == 0  # a weekend


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2023, 10, 11), -1)


def test_working_days_between_counts_as_day_by_day():
    """Counted by whole weeks less the bank holidays: the same as counting each day, over
    spans of any length and start (weekends, Christmas, years apart, either way round)."""
    start = D(2019, 12, 20)
    for offset in range(0, 60, 3):
        for length in (*range(-10, 15), 364, 365, 900):
            a = start + datetime.timedelta(days=offset)
            b = a + datetime.timedelta(days=length)
            low, high = min(a, b), max(a, b)
            days = (low + datetime.timedelta(days=k) for k in range(1, (high - low).days + 1))
            expected = sum(is_working_day(day) for day in days)
            assert working_days_between(a, b) == (expected if b >= a else -expected)
