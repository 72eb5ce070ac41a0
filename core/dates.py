"""Dates as the papers write them."""

import datetime


def uk_date(value: datetime.date) -> str:
    """ "18/10/2023", as the papers write the issue date."""
    return f"{value:%d/%m/%Y}"


def long_date(value: datetime.date | None) -> str:
    """ "11 October 2023", as the papers write dates in prose."""
    return value.strftime("%d %B %Y") if value else ""
