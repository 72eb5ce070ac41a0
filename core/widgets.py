"""Person pickers: plain selects that static/js/picker.js turns into an accessible
type-ahead (members of the group first, everyone on request). Without JavaScript they work
as the selects they are.

The one date field of every form and filter: a text box showing dd/mm/yyyy, which accepts
the forms core.dates.parse_date reads and which static/js/datepicker.js gives a calendar
button. Never the browser's own date input, whose display follows the browser's language
and which cannot take "11 Oct 2023" pasted from a paper."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from .dates import parse_date
from .models import Membership

DATE_ERROR = "Enter a valid date. Type it as dd/mm/yyyy, for example 11/10/2023."


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "data-datepicker": "",
            "autocomplete": "off",
            "spellcheck": "false",
            **(attrs or {}),
        }
        super().__init__(attrs, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A day typed as dd/mm/yyyy, 2023-10-11 or "11 Oct 2023". A value that is none of these
    is refused with DATE_ERROR; the form shows it again as typed (Django keeps the bound
    value), so nothing typed is lost."""

    widget = DateInput
    default_error_messages = {"invalid": DATE_ERROR}

    def to_python(self, value):
        # Empty values, dates and datetimes are Django's to handle; text is ours to read.
        if isinstance(value, str) and value.strip():
            day = parse_date(value)
            if day is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return day
        return super().to_python(value)


class DateFilter(django_filters.DateFilter):
    """A filter bar's date: the same field and calendar as every form."""

    field_class = DateField


def with_membership(people, group):
    """People annotated with is_member (an active member of `group`, a group or its id),
    in the same query."""
    members = Membership.objects.filter(person=OuterRef("pk"), group=group, active=True)
    return people.annotate(is_member=Exists(members))


class PersonPickerMixin:
    """Marks each option of a member with data-member="1": from `members` (ids, for plain
    choices) or the person's is_member annotation (for a queryset's choices).
    `add` is the CSS selector of a field where the picker offers to add a new person;
    without it, the secretariat is offered the "add a person" form (offers_new_person: the
    field's template links to that page, the picker opens it in place)."""

    def __init__(self, attrs=None, *, members=(), add=None, **kwargs):
        attrs = {"data-picker": "", **(attrs or {})}
        if add:
            attrs["data-picker-add"] = add
        super().__init__(attrs, **kwargs)
        self.offers_new_person = not add
        self.members = {str(pk) for pk in members}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        person = getattr(value, "instance", None)
        if str(value) in self.members or getattr(person, "is_member", False):
            option["attrs"]["data-member"] = "1"
        return option


class PersonSelect(PersonPickerMixin, forms.Select):
    pass


class PeopleSelect(PersonPickerMixin, forms.SelectMultiple):
    pass
