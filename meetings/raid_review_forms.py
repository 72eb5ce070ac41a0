"""Forms of a meeting's RAID review: one item's review as printed (the items it also
covers, the actions raised from it) and the agenda item it is recorded under."""

import re

from django import forms
from django.db.models import Q

from actions.models import (
    Action,
)
from core.versions import VersionedFormMixin
from raid.models import RaidItem, RaidReview


class RaidReviewForm(VersionedFormMixin, forms.ModelForm):
    """What the meeting said about one item (one of these per item on the review page),
    opened on its review or on a new one; version 0 says the item had none, so of two
    editors reviewing it at once the second is refused too."""

    versions_new_records = True

    also_covers = forms.CharField(
        required=False,
        label="Also covers",
        help_text="Other RAID items this text reviews, as the paper groups them: e.g. R185, R186.",
    )
    actions = forms.CharField(
        required=False,
        label="Actions raised",
        help_text="Actions raised from this review: e.g. DAG29-07.",
    )

    class Meta:
        model = RaidReview
        fields = ["discussion", "conclusion"]
        labels = {"conclusion": "Concluding comments"}
        help_texts = {"conclusion": ""}
        widgets = {
            "discussion": forms.Textarea(attrs={"rows": 3}),
            "conclusion": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("also_covers", references_text(self.instance.also_covers))
            self.initial.setdefault("actions", references_text(self.instance.actions))

    def stored_values(self, record):
        linked = {}
        if record.pk:
            linked = {
                "also_covers": list(record.also_covers.all()),
                "actions": list(record.actions.all()),
            }
        return {**super().stored_values(record), "also_covers": [], "actions": [], **linked}

    def clean_also_covers(self):
        group = self.instance.meeting.group
        items = records_by_reference(
            RaidItem.objects.filter(Q(group=group) | Q(group__isnull=True)),
            self.cleaned_data["also_covers"],
            f"RAID item of {group.code}",
        )
        if self.instance.raid_item in items:
            raise forms.ValidationError(
                f"{self.instance.raid_item.reference} is the item this review is for."
            )
        return items

    def clean_actions(self):
        group = self.instance.meeting.group
        actions = Action.objects.filter(group=group)
        return records_by_reference(actions, self.cleaned_data["actions"], f"{group.code} action")

    def clean(self):
        cleaned = super().clean()
        said = any((cleaned.get(name) or "").strip() for name in ("discussion", "conclusion"))
        for name in ("also_covers", "actions"):
            if cleaned.get(name) and not said:
                self.add_error(name, "Record the discussion or concluding comments first.")
        return cleaned


def references_text(records):
    """The references of linked records (read from what was prefetched), in order."""
    return ", ".join(sorted(record.reference for record in records.all()))


def records_by_reference(queryset, text, kind):
    """The records named by a list of references (commas or spaces between, any case), in
    the order typed; an unknown reference is an error naming it."""
    references = list(dict.fromkeys(ref.upper() for ref in re.split(r"[\s,;/]+", text) if ref))
    named = queryset.filter(reference__in=references)
    found = {record.reference.upper(): record for record in named}
    missing = [ref for ref in references if ref not in found]
    if missing:
        raise forms.ValidationError(f"There is no {kind} {', '.join(missing)}.")
    return [found[ref] for ref in references]


class RaidReviewAgendaForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=None,
        required=False,
        empty_label="Not under a particular item",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("order")
