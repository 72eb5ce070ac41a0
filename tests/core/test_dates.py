"""Issue 21 item 4: one date field everywhere. It reads dd/mm/yyyy, 2023-10-11 and
"11 Oct 2023", shows dd/mm/yyyy in a text box with the calendar's marker (never the browser's
own date input), refuses anything else with one message and shows what was typed again."""

import datetime
import importlib
import pkgutil

import django_filters
import pytest
from django import forms

from core.dates import parse_date
from core.widgets import DATE_ERROR, DateField, DateFilter

OCT_11 = datetime.date(2023, 10, 11)


@pytest.mark.parametrize(
    "text",
    [
        "11/10/2023",
        "11/10/23",
        " 11/10/2023 ",
        "11.10.2023",
        "11-10-2023",
        "2023-10-11",
        "11 Oct 2023",
        "11 oct 2023",
        "11 October 2023",
        "11th October 2023",
        "11 Oct. 2023",
    ],
)
def test_every_accepted_form_reads_as_the_day(text):
    assert parse_date(text) == OCT_11


def test_a_short_day_and_month_and_september_spelt_sept():
    assert parse_date("1/2/2024") == datetime.date(2024, 2, 1)
    assert parse_date("5 Sept 2024") == datetime.date(2024, 9, 5)


@pytest.mark.parametrize(
    "text", ["31/02/2024", "2023/10/11", "11 Foo 2023", "10/11", "yesterday", "11/13/2023", ""]
)
def test_what_names_no_day_is_none(text):
    assert parse_date(text) is None


class OneDateForm(forms.Form):
    day = DateField()


def test_a_bad_date_is_refused_with_the_format_and_shown_as_typed():
    form = OneDateForm(data={"day": "31/02/2024"})
    assert not form.is_valid()
    assert form.errors["day"] == [DATE_ERROR]
    html = str(form["day"])
    assert 'value="31/02/2024"' in html
    # The error is tied to its field (the field template gives it the id "<field id>_error").
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_day_error"' in html


def test_a_date_is_shown_as_dd_mm_yyyy_in_a_text_box_with_the_calendar():
    form = OneDateForm(initial={"day": OCT_11})
    html = str(form["day"])
    assert 'type="text"' in html and 'value="11/10/2023"' in html
    assert "data-datepicker" in html
    assert OneDateForm(data={"day": "11 Oct 2023"}).is_valid()


OUR_APPS = ["actions", "changerequests", "core", "decisions", "documents", "meetings"]
OUR_APPS += ["notifications", "raid", "mhhs_gov"]


def _import_every_module():
    """Forms live in forms.py, filters.py and others (inline_forms.py, documents.py...)."""
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.ispkg and module.name not in {"wsgi", "asgi", "celery"}:
                importlib.import_module(f"{app}.{module.name}")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_date_field_of_every_form_and_filter_is_the_one_date_field():
    _import_every_module()
    ours = [
        form
        for form in _subclasses(forms.BaseForm)
        if not form.__module__.startswith(("django.", "django_filters."))
    ]
    wrong = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in ours
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField) and not isinstance(field, DateField)
    ]
    filters = [
        f"{filterset.__module__}.{filterset.__name__}.{name}"
        for filterset in _subclasses(django_filters.FilterSet)
        for name, date_filter in filterset.base_filters.items()
        if isinstance(date_filter, django_filters.DateFilter)
        and not isinstance(date_filter, DateFilter)
    ]
    assert len(ours) > 20
    assert not wrong + filters
