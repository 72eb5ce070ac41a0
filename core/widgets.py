"""Person pickers: plain selects that static/js/picker.js turns into an accessible
type-ahead (members of the group first, everyone on request). Without JavaScript they work
as the selects they are."""

from django import forms
from django.db.models import Exists, OuterRef

from .models import Membership


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
