"""Forms to raise, update, close and supersede RAID items (the RAID review of a meeting is
meetings.raid_review's)."""

from django import forms
from django.utils import timezone

from core.models import Person
from core.references import TypedReferenceField
from core.versions import VersionedFormMixin
from core.widgets import DateField, PersonSelect, with_membership

from .models import RaidItem

PROBABILITY_CHOICES = [
    (1, "1 – Rare"),
    (2, "2 – Unlikely"),
    (3, "3 – Possible"),
    (4, "4 – Likely"),
    (5, "5 – Almost certain"),
]
IMPACT_CHOICES = [
    (1, "1 – Minimal"),
    (2, "2 – Minor"),
    (3, "3 – Moderate"),
    (4, "4 – Major"),
    (5, "5 – Severe"),
]


def score_field(label, choices):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Not scored"), *choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": f"Score the {label.lower()} from 1 to 5."},
    )


class RaidItemForm(VersionedFormMixin, forms.ModelForm):
    """An item's details. Raising adds its group; the status changes by closing, reopening
    or superseding, so it is not here."""

    probability = score_field("Probability", PROBABILITY_CHOICES)
    impact = score_field("Impact", IMPACT_CHOICES)
    change_request_refs = forms.CharField(
        label="Change requests",
        required=False,
        help_text="References separated by commas, for example CR044, CR045.",
    )

    class Meta:
        model = RaidItem
        fields = [
            "raid_type",
            "area",
            "title",
            "description",
            "owner",
            "probability",
            "impact",
            "mitigation",
            "milestone",
            "date_raised",
        ]
        labels = {"raid_type": "Type"}
        help_texts = {"date_raised": "For example, 11/10/2023."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "mitigation": forms.Textarea(attrs={"rows": 4}),
            "owner": PersonSelect,
        }
        field_classes = {"date_raised": DateField}

    def __init__(self, *args, visible_crs, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_crs = visible_crs
        people = Person.objects.filter(active=True).order_by("name")
        if self.instance.group_id:  # the group's members first in the picker
            people = with_membership(people, self.instance.group_id)
        self.fields["owner"].queryset = people
        if self.instance.pk:
            self.initial["change_request_refs"] = ", ".join(
                cr.reference
                for cr in self.instance.change_requests.filter(
                    pk__in=visible_crs.values("pk")
                ).order_by("reference")
            )
            self.fields["reason"] = forms.CharField(
                label="Why the change",
                required=False,
                max_length=100,
                help_text="Kept in the item's history, e.g. “Re-scored at DAG037”.",
            )
        if groups is not None:
            self.fields = {
                "group": forms.ModelChoiceField(
                    queryset=groups, label="Group", empty_label="Choose a group"
                ),
                "reference": TypedReferenceField(model=RaidItem, next_example="R186"),
                **self.fields,
            }
            self.fields["date_raised"].initial = timezone.localdate()

    def clean_date_raised(self):
        day = self.cleaned_data["date_raised"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date raised cannot be in the future.")
        return day

    def clean_change_request_refs(self):
        references = [
            ref.strip().upper()
            for ref in self.cleaned_data["change_request_refs"].split(",")
            if ref.strip()
        ]
        found = {cr.reference: cr for cr in self.visible_crs.filter(reference__in=references)}
        missing = [ref for ref in references if ref not in found]
        if missing:
            raise forms.ValidationError(f"There is no change request {', '.join(missing)}.")
        # Links to CRs the user cannot see are neither shown nor lost.
        hidden = (
            list(self.instance.change_requests.exclude(pk__in=self.visible_crs.values("pk")))
            if self.instance.pk
            else []
        )
        return [found[ref] for ref in dict.fromkeys(references)] + hidden


class ReferenceField(forms.ModelChoiceField):
    """A record picked by typing its reference (any case)."""

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why", required=False, max_length=100, help_text="Kept in the item's history."
    )


class SupersedeForm(forms.Form):
    superseded_by = ReferenceField(
        label="Replaced by",
        queryset=RaidItem.objects.none(),
        to_field_name="reference",
        widget=forms.TextInput,
        help_text="The reference of the item that replaces this one, for example R432.",
        error_messages={"invalid_choice": "There is no RAID item %(value)s."},
    )
    reason = forms.CharField(
        label="Why", required=False, max_length=100, help_text="Kept in the item's history."
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superseded_by"].queryset = items
