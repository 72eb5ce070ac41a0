"""Dates as the papers write them."""

import calendar
import datetime
import re


def uk_date(value: datetime.date) -> str:
    """ "18/10/2023", as the papers write the issue date."""
    return f"{value:%d/%m/%Y}"


def long_date(value: datetime.date | None) -> str:
    """ "11 October 2023", as the papers write dates in prose."""
    return value.strftime("%d %B %Y") if value else ""


# What a date field accepts: the pages' dd/mm/yyyy (also d/m/yy, and "." or "-" between the
# parts, as people type them), ISO 2023-10-11 (what a browser's own picker or a spreadsheet
# gives), and the papers' "11 Oct 2023" / "11 October 2023" (as pasted from a document).
_NUMERIC_UK = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})", re.IGNORECASE)
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


def parse_date(text: str) -> datetime.date | None:
    """The day `text` names in one of the accepted forms, or None if it names none (a form
    that is not one of them, or a day that does not exist such as 31/02/2024)."""
    text = " ".join(str(text).split())
    if match := _NUMERIC_UK.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _WORDS.fullmatch(text):
        month = _MONTHS.get(match.group(2).lower())
        if month is None:
            return None
        day, year = int(match.group(1)), int(match.group(3))
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
