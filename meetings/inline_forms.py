"""Forms of the records raised at an agenda item from the minutes page: an action, an
action the minutes name without its record, a decision, a RAID item discussed. Each keeps
what was typed and puts its errors at the field."""

from django import forms
from django.utils import timezone

from actions.forms import PrintedOwnerMixin
from actions.models import (
    DATED_DUE_KINDS,
    Action,
    ActionStatus,
    DueKind,
    due_choices,
    due_errors,
    last_day_due,
)
from core.models import Person
from core.references import TypedReferenceField
from core.widgets import DateField, PeopleSelect, with_membership
from decisions.models import Decision
from raid.models import RaidItem, RaidReview

from .forms import group_chair_id


class RaiseActionForm(PrintedOwnerMixin, forms.Form):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.CharField(max_length=300, required=False, help_text="As in the actions table.")
    owners = forms.ModelMultipleChoiceField(
        queryset=Person.objects.filter(active=True),
        required=False,
        widget=PeopleSelect(attrs={"size": 6}),
        help_text="Type a name; the group's members come first.",
    )
    owner_party = forms.CharField(
        max_length=200, required=False, label="Owning party", help_text='e.g. "Programme".'
    )
    due_kind = forms.ChoiceField(
        choices=DueKind.choices, initial=DueKind.DATE, widget=forms.RadioSelect, label="Due"
    )
    due_date = DateField(required=False, label="Due date")
    reference = TypedReferenceField(model=Action, next_example="")
    raid_review = forms.ModelChoiceField(
        queryset=RaidReview.objects.none(),
        required=False,
        label="Raised from the RAID review of",
        empty_label="Not from a RAID review",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["owners"].queryset = with_membership(
            Person.objects.filter(active=True), meeting.group_id
        )
        self.add_printed_owner_fields()
        self.fields["due_kind"].choices = due_choices(meeting.group.code)
        self.fields["reference"].help_text = (
            f"Leave empty for the meeting's next reference ({meeting.action_prefix}-NN). "
            "Type the paper's own reference only when recording a past meeting."
        )
        reviews = meeting.raid_reviews.select_related("raid_item").order_by("raid_item__reference")
        if reviews:  # the meeting reviewed RAID items: the action may come from one
            field = self.fields["raid_review"]
            field.queryset = reviews
            field.label_from_instance = lambda review: str(review.raid_item)
        else:
            del self.fields["raid_review"]

    def clean(self):
        cleaned = super().clean()
        self.clean_printed_owner(cleaned)
        named = cleaned.get("owners") or cleaned.get("owner_party") or cleaned.get("owner_team")
        if not named and not self.errors.keys() & {"owners", "owner_party", "owner_printed"}:
            self.add_error(
                "owners", "Name an owner: the owner as printed, people, a party, or both."
            )
        due_kind, due_date = cleaned.get("due_kind"), cleaned.get("due_date")
        if due_kind in DATED_DUE_KINDS:
            if "due_date" in self.errors:
                pass
            elif problem := due_errors(due_kind, due_date):
                self.add_error("due_date", problem["due_date"])
            elif last_day_due(due_kind, due_date) < self.meeting.date:
                self.add_error("due_date", "An action cannot be due before it was raised.")
        elif due_kind:
            cleaned["due_date"] = None
        return cleaned


class KnownActionForm(PrintedOwnerMixin, forms.Form):
    """An action the minutes name (closed at this meeting, say) whose paper gives no full
    record: its reference and what is known, nothing more required."""

    reference = TypedReferenceField(
        model=Action,
        next_example="",
        required=True,
        label="Reference",
        help_text="As the minutes name it, e.g. DAG27-03.",
    )
    status = forms.ChoiceField(
        label="Status at this meeting",
        choices=[
            (ActionStatus.CLOSED, "Closed at this meeting"),
            (ActionStatus.OPEN, "Still open"),
            (ActionStatus.ONGOING, "Ongoing"),
            (ActionStatus.RECOMMEND_CLOSED, "Recommended for closure"),
        ],
        initial=ActionStatus.CLOSED,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What the minutes say",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept as the action's update at this meeting.",
    )
    text = forms.CharField(
        label="Action, if the papers give it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty when the papers do not say: it is held as known by reference.",
    )
    area = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.add_printed_owner_fields()
        self.fields["owner_printed"].label = "Owner as printed, if the papers give it"

    def clean(self):
        cleaned = super().clean()
        self.clean_printed_owner(cleaned)
        return cleaned


class RecordDecisionForm(forms.Form):
    """A decision recorded at an agenda item: proposed, for the chair to approve; or, at a
    meeting held before today, recorded as taken there, on the day and by whom the papers
    say (the chair, who may have no account)."""

    wording = forms.CharField(label="Decision", widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.CharField(max_length=300, required=False)
    taken_on = DateField(
        required=False,
        label="Taken on (a past meeting)",
        help_text="For a meeting held before today: the day the papers give. "
        "Blank leaves the decision for the chair to approve.",
    )
    taken_by = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Taken by",
        help_text="With the day taken; otherwise the chair approves it later.",
    )
    reference = TypedReferenceField(model=Decision, next_example="")

    def __init__(self, *args, meeting, people_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["taken_by"].choices = people_choices
        self.fields["taken_by"].initial = group_chair_id(meeting.group)
        self.fields["reference"].help_text = (
            f"Leave empty for the group's next reference ({meeting.group.code}-DECNN). "
            "Type the paper's own reference only when recording a past meeting."
        )

    def clean(self):
        cleaned = super().clean()
        taken_on, taken_by = cleaned.get("taken_on"), cleaned.get("taken_by")
        if taken_on is None:
            # Proposed for the chair to approve: who takes it is only asked with the day
            # (the chair is offered first, so a plain proposal posts them too).
            cleaned["taken_by"] = None
            return cleaned
        if self.meeting.date >= timezone.localdate():
            self.add_error(
                "taken_on", "Only a meeting held before today records a decision as taken."
            )
        elif taken_on < self.meeting.date or taken_on >= timezone.localdate():
            self.add_error(
                "taken_on",
                f"Give a day from the meeting ({self.meeting.date:%d/%m/%Y}) up to yesterday.",
            )
        if taken_by is None:
            self.add_error("taken_by", "Name who took it: the chair.")
        return cleaned


class RaidDiscussedForm(forms.Form):
    raid_item = forms.ModelChoiceField(queryset=RaidItem.objects.none(), label="RAID item")
    discussion = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(
        required=False, label="Concluding comments", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, raid_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raid_item"].queryset = raid_items

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("discussion") and not cleaned.get("conclusion"):
            self.add_error("discussion", "Say what was discussed or concluded.")
        return cleaned
