"""Forms to raise, edit, move and link change requests."""

from django import forms
from django.utils import timezone

from core.models import Organisation, Person
from core.references import TypedReferenceField
from core.versions import VersionedFormMixin
from core.widgets import DateField, PersonSelect, with_membership

from .models import ALL_MOVES, ChangeRequest, DecisionBody, Stage

DATE_HINT = "For example, 11/10/2023."


def not_in_future(day, what):
    if day and day > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future.")
    return day


class ChangeRequestForm(VersionedFormMixin, forms.ModelForm):
    """Details of a CR. Raising adds the group; stage and approval status only change
    through moves, so they are not here."""

    class Meta:
        model = ChangeRequest
        fields = [
            "title",
            "key_detail",
            "raiser_person",
            "raiser_organisation",
            "raiser_note",
            "change_type",
            "decision_body",
            "date_raised",
            "latest_action",
            "next_action",
            "implementation_milestone",
            "change_owner",
            "ia_working_days",
            "ia_deadline",
        ]
        labels = {
            "title": "Title",
            "raiser_person": "Change raiser",
            "raiser_organisation": "Change raiser's organisation",
            "raiser_note": "Note on the raiser",
            "decision_body": "Decided by",
            "next_action": "Next action (if approved)",
            "implementation_milestone": "Implementation date / milestone",
            "ia_deadline": "Impact assessment response deadline",
        }
        help_texts = {
            "date_raised": DATE_HINT,
            "ia_deadline": DATE_HINT,
            "next_action": 'e.g. "Implement", "Programme to hand over solution design to Code '
            'Bodies".',
        }
        widgets = {
            "key_detail": forms.Textarea(attrs={"rows": 5}),
            "latest_action": forms.Textarea(attrs={"rows": 2}),
            "next_action": forms.Textarea(attrs={"rows": 2}),
            "raiser_person": PersonSelect,
            "change_owner": PersonSelect,
        }
        field_classes = {"date_raised": DateField, "ia_deadline": DateField}

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(active=True).order_by("name")
        if self.instance.group_id:  # the group's members first in the pickers
            people = with_membership(people, self.instance.group_id)
        for name in ("raiser_person", "change_owner"):
            self.fields[name].queryset = people
        self.fields["raiser_organisation"].queryset = Organisation.objects.order_by("name")
        for name, empty in [
            ("raiser_person", "Not recorded"),
            ("raiser_organisation", "Not recorded"),
            ("change_owner", "Not named yet"),
        ]:
            self.fields[name].empty_label = empty
        self.fields["decision_body"].choices = [("", "Not known yet"), *DecisionBody.choices]
        # A CR raised here has a title; one known only by its reference may keep none.
        self.fields["title"].required = not self.instance.pk or bool(self.instance.title)
        if groups is not None:
            # Raising: the CR's group, from those the user may raise for; the latest action
            # and the IA deadline come from change control.
            self.fields = {
                "group": forms.ModelChoiceField(
                    queryset=groups,
                    label="Group handling the change",
                    empty_label="Choose a group",
                ),
                "reference": TypedReferenceField(model=ChangeRequest, next_example="CR051"),
                **self.fields,
            }
            del self.fields["latest_action"], self.fields["ia_deadline"]
            self.fields["date_raised"].required = True
            self.fields["date_raised"].initial = timezone.localdate()

    def clean_date_raised(self):
        return not_in_future(self.cleaned_data["date_raised"], "The date raised")


class MoveForm(forms.Form):
    """One move through change control. Every move name is accepted so that a move not
    allowed from the current stage gets a clear error from the service, not a bare
    "invalid choice"; only the allowed ones are offered."""

    move = forms.ChoiceField(
        label="Move to", widget=forms.RadioSelect, choices=[(m.name, m.label) for m in ALL_MOVES]
    )
    from_stage = forms.CharField(widget=forms.HiddenInput)
    date = DateField(label="Date of the move", help_text=DATE_HINT)
    reason = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 3}), help_text="Recorded in its history."
    )
    latest_action = forms.CharField(
        label="Latest action wording",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='Leave blank for the standard wording, e.g. "Approved by DAG (13-Mar-24)".',
    )
    ia_working_days = forms.IntegerField(
        label="Impact assessment working days",
        required=False,
        min_value=1,
        max_value=60,
        help_text="Only for an impact assessment: days for responses, bank holidays excluded.",
    )

    def __init__(self, *args, change_request, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "from_stage": change_request.stage,
                "date": timezone.localdate(),
                "ia_working_days": change_request.ia_working_days,
            },
        )
        super().__init__(*args, **kwargs)
        allowed = change_request.allowed_moves()
        self.fields["move"].widget.choices = [(move.name, move.label) for move in allowed]
        if not any(move.to_stage == Stage.IMPACT_ASSESSMENT for move in allowed):
            del self.fields["ia_working_days"]


class LinkForm(forms.Form):
    reference = forms.CharField(
        label="Reference of an action, decision or RAID item",
        max_length=40,
        help_text="For example, DAG29-01, DAG-DEC76 or R432.",
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()
