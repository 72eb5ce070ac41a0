"""Forms of the action pages: an owner's update, the secretariat's correction, and the
upload of an action log."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.models import GovernanceGroup, Person
from core.uploads import UploadRefused, check_size
from core.versions import VersionedFormMixin
from core.widgets import DateField, PeopleSelect, with_membership

from .models import (
    DATED_DUE_KINDS,
    Action,
    ActionStatus,
    due_choices,
    due_errors,
    last_day_due,
)
from .owners import find_people, known_names, read_owner

# What an owner may set; those who may close actions may also close and reopen them.
OWNER_STATUSES = [ActionStatus.ONGOING, ActionStatus.RECOMMEND_CLOSED]
CLOSER_STATUSES = [ActionStatus.OPEN, *OWNER_STATUSES, ActionStatus.CLOSED]


class PrintedOwnerMixin:
    """ "Owner as printed": the paper's owner cell ("Ofgem / Ian Smith", "Programme (PMO)")
    read into the party, the team and the named owners (actions.owners), kept as printed.
    People named who are not in the app yet are refused at the field unless "add them" is
    ticked; then the service adds them. cleaned_data gains owner_team and new_people."""

    def add_printed_owner_fields(self):
        self.fields["owner_printed"] = forms.CharField(
            label="Owner as printed",
            required=False,
            max_length=300,
            help_text="The paper's owner cell, e.g. “Programme (PMO)” or “Ofgem / Ian Smith”: "
            "it is split into the party, a team and the named owners, and printed as typed.",
        )
        self.fields["add_people"] = forms.BooleanField(
            label="Add the people it names who are not in the app yet",
            required=False,
        )
        # Shown first among the owner fields: the paper's cell is what the secretariat has.
        names = [name for name in self.fields if name not in ("owner_printed", "add_people")]
        at = names.index("owners") if "owners" in names else len(names)
        self.order_fields([*names[:at], "owner_printed", "add_people", *names[at:]])

    def clean_printed_owner(self, cleaned):
        printed = " ".join(cleaned.get("owner_printed", "").split())
        cleaned["owner_printed"] = printed
        cleaned["new_people"] = []
        for name, empty in (("owners", []), ("owner_party", ""), ("owner_team", "")):
            cleaned.setdefault(name, empty)
        if not printed:
            return
        reading = read_owner(printed, known_names(printed))
        found = find_people(reading.names)
        if found.ambiguous:
            self.add_error(
                "owner_printed",
                f"Several people are called {', '.join(found.ambiguous)}: pick the owner "
                "under Named owners and leave the name out here.",
            )
        if found.unknown and not cleaned.get("add_people"):
            self.add_error(
                "owner_printed",
                f"Not in the app yet: {', '.join(found.unknown)}. Tick “Add the people it "
                "names” to add them, or pick the owners under Named owners.",
            )
        owners = list(cleaned.get("owners") or [])
        cleaned["owners"] = owners + [p for p in found.people if p not in owners]
        cleaned["owner_party"] = reading.party or cleaned.get("owner_party", "")
        cleaned["owner_team"] = reading.team
        cleaned["new_people"] = found.unknown


class ActionUpdateForm(forms.Form):
    """A dated update of one action. Built for what the user may do: `may_close` (chair,
    secretariat) adds OPEN and CLOSED to the statuses; `may_edit` (secretariat) sets a new
    due date, anyone else may only ask for one."""

    text = forms.CharField(
        label="Update", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label="Status", required=False, widget=forms.RadioSelect)
    date = DateField(label="Date of the update")
    meeting = forms.ModelChoiceField(
        label="Given at meeting",
        queryset=None,
        required=False,
        empty_label="Not at a meeting",
        help_text="Closing at a meeting records it as the meeting that closed the action.",
    )
    due_date = DateField(required=False)

    def __init__(self, *args, action, may_close, may_edit, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.action = action
        self.may_edit = may_edit
        statuses = CLOSER_STATUSES if may_close else OWNER_STATUSES
        self.fields["status"].help_text = (
            "Closing records the date of the update and, if given, the meeting."
            if may_close
            else "Only the chair or the secretariat can close an action: recommend closure "
            "and the group agrees it at its next meeting."
        )
        self.fields["status"].choices = [
            ("", f"Leave as {action.get_status_display()}"),
            *((status.value, status.label) for status in statuses if status != action.status),
        ]
        self.fields["meeting"].queryset = action.group.meetings.select_related("group")
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.code} ({meeting.date:%d/%m/%Y})"
        )
        due = self.fields["due_date"]
        if may_edit:
            due.label = "New due date"
            due.help_text = "Changes the due date; the update records the change."
        else:
            due.label = "Ask for a new due date"
            due.help_text = "The secretariat decides; the update records the request."

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("An update cannot be dated in the future.")
        # A date raised in the future (a meeting's date mistyped) never blocks an update
        # dated today: only an update older than both is refused.
        if date < min(self.action.date_raised, timezone.localdate()):
            raise forms.ValidationError(
                f"The action was raised on {self.action.date_raised:%d/%m/%Y}; "
                "an update cannot be older."
            )
        return date

    def clean_meeting(self):
        meeting = self.cleaned_data["meeting"]
        # An update is given at a meeting once it has started (the meetings app's one rule).
        if meeting is not None and (reason := meeting.records_closed_reason()):
            raise forms.ValidationError(reason)
        return meeting

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date and due_date < self.action.date_raised:
            raise forms.ValidationError("The due date cannot be before the action was raised.")
        return due_date


class ActionCorrectForm(PrintedOwnerMixin, VersionedFormMixin, forms.ModelForm):
    """The secretariat's correction of what was recorded when the action was raised. Bound
    to a copy of the action, so that the page keeps showing what is saved; the model's
    checks (a dated due needs a date) come back at their field."""

    owners = forms.ModelMultipleChoiceField(
        label="Named owners",
        queryset=Person.objects.none(),
        required=False,
        widget=PeopleSelect(attrs={"size": 8}),
        help_text="Type a name; the group's members come first. Owners who stay keep "
        "their order; new ones are named after them.",
    )
    reason = forms.CharField(
        label="Why the correction",
        required=False,
        max_length=100,
        help_text="Kept in the action's history, e.g. “Owner mistyped in the minutes”.",
    )

    class Meta:
        model = Action
        fields = ["text", "owners", "owner_party", "area", "due_kind", "due_date", "date_raised"]
        labels = {"text": "Action", "owner_party": "Owning party", "due_kind": "Due"}
        help_texts = {
            "owner_party": '"Programme", "Ofgem", "DAG members"...',
            "due_date": "A date, e.g. 11/10/2023, or for w/c the Monday of the week.",
            "date_raised": "For example, 11/10/2023.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_kind": forms.RadioSelect,
        }
        field_classes = {"due_date": DateField, "date_raised": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.instance
        self.add_printed_owner_fields()
        self.initial["owner_printed"] = action.owner_printed
        self.fields["due_kind"].choices = due_choices(action.group.code)
        # An action known only by its reference may stay without words until they are found.
        self.fields["text"].required = not action.known_only
        current = [ownership.person_id for ownership in action.ownerships.all()]
        # Active people, and the current owners even if they have left.
        self.fields["owners"].queryset = with_membership(
            Person.objects.filter(Q(active=True) | Q(pk__in=current)), action.group_id
        ).order_by("name")
        self.initial["owners"] = current

    def clean_date_raised(self):
        day = self.cleaned_data["date_raised"]
        action = self.instance
        if day > timezone.localdate():
            raise forms.ValidationError("The date raised cannot be in the future.")
        if action.closed_date and day > action.closed_date:
            raise forms.ValidationError(
                f"The action was closed on {action.closed_date:%d/%m/%Y}; "
                "it cannot have been raised after that."
            )
        first_update = action.updates.order_by("date").values_list("date", flat=True).first()
        if first_update and day > first_update:
            raise forms.ValidationError(
                f"The action has an update of {first_update:%d/%m/%Y}; "
                "it cannot have been raised after that."
            )
        return day

    def clean(self):
        data = super().clean()
        self.clean_printed_owner(data)
        kind = data.get("due_kind")
        if kind and kind not in DATED_DUE_KINDS:
            data["due_date"] = None  # "ASAP", "TBC", "Ongoing" or "Next meeting" has no date
        due, raised = data.get("due_date"), data.get("date_raised")
        # A w/c that is not a Monday, or a dated due without a date: the model's check
        # (Action.clean) puts it at the field.
        if due and raised and not due_errors(kind, due) and last_day_due(kind, due) < raised:
            self.add_error("due_date", "The due date cannot be before the action was raised.")
        return data


class ImportUploadForm(forms.Form):
    group = forms.ModelChoiceField(
        label="Group",
        queryset=GovernanceGroup.objects.none(),
        to_field_name="code",
        help_text="The group whose action log this is.",
    )
    file = forms.FileField(
        label="Action log",
        help_text=(
            "CSV or Excel (.xlsx) with the columns Ref, Date raised, Area, Action, Owner, Due, "
            "Status, Latest update, Latest update date. Dates as dd/mm/yyyy."
        ),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        if len(groups) == 1:
            self.fields["group"].initial = groups[0].code

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload)
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload
