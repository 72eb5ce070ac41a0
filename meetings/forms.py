"""Forms of the secretariat's meeting pages. Each keeps what was typed and puts its errors
at the field; choices that many forms on one page share are built once by the view."""

import re

from django import forms
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
)
from django.utils import timezone

from actions.models import (
    ActionStatus,
)
from changerequests.models import ChangeRequest
from core.models import Person, Role
from core.versions import VersionedFormMixin
from core.widgets import DateField, PersonSelect, with_membership
from decisions.forms import MeetingChoiceField
from decisions.minutes_papers import headline_taken

from .models import (
    AgendaItem,
    AgendaItemType,
    Meeting,
    MeetingStatus,
)

# The papers a secretariat keeps with a meeting: minutes, slide packs, their text.
SOURCE_PAPER_EXTENSIONS = ["pdf", "docx", "doc", "pptx", "ppt", "txt", "odt", "odp"]
MAX_SOURCE_PAPER_BYTES = 25_000_000
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_MINUTES_LENGTH = 100_000
# The statuses a secretariat sets by hand; issuing and approving minutes have their own steps.
EDITABLE_STATUSES = [
    MeetingStatus.PLANNED,
    MeetingStatus.HELD,
    MeetingStatus.MINUTES_DRAFT,
    MeetingStatus.CANCELLED,
]


def group_chair_id(group) -> int | None:
    """The group's chair, offered first as who took a past decision or approval."""
    return (
        group.memberships.filter(role=Role.CHAIR, active=True)
        .values_list("person_id", flat=True)
        .first()
    )


def person_choices(people, blank="—"):
    return [("", blank), *((str(person.pk), person.name) for person in people)]


def normalise_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


class MeetingForm(forms.ModelForm):
    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's own checks (ends after it starts...) need the group for its code.
        self.instance.group = group


class MeetingScheduleForm(MeetingForm):
    class Meta:
        model = Meeting
        fields = [
            "number",
            "point",
            "title",
            "date",
            "start_time",
            "end_time",
            "venue",
            "classification",
        ]
        labels = {"point": "Point (extraordinary meetings only)"}
        widgets = {"start_time": TIME_WIDGET, "end_time": TIME_WIDGET}
        field_classes = {"date": DateField}

    def __init__(self, *args, suggested, **kwargs):
        """`suggested` is the number after the group's latest ordinary meeting."""
        super().__init__(*args, initial={"number": suggested}, **kwargs)
        code = self.instance.group.code
        number = self.fields["number"]
        number.min_value = 1
        number.widget.attrs["min"] = 1
        number.help_text = (
            f"{suggested} makes {code}{suggested:03d}, the meeting after {code}{suggested - 1:03d}."
            if suggested > 1
            else f"1 makes {code}001, the group's first meeting."
        )
        self.fields["point"].help_text = (
            f"Leave at 0; 1 makes {code}{max(suggested - 1, 1):03d}.1, an extraordinary "
            f"meeting after {code}{max(suggested - 1, 1):03d}."
        )

    def clean(self):
        cleaned = super().clean()
        number, point = cleaned.get("number"), cleaned.get("point")
        # The group is not a field of the form, so the model's unique check skips it.
        group = self.instance.group
        if (
            number is not None
            and point is not None
            and group.meetings.filter(number=number, point=point).exists()
        ):
            meeting = Meeting(group=group, number=number, point=point)
            self.add_error("number", f"{meeting.code} already exists.")
        return cleaned


class MeetingEditForm(VersionedFormMixin, MeetingForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "date",
            "start_time",
            "end_time",
            "venue",
            "classification",
            "held_by_correspondence",
            "status",
            "next_meeting_date",
            "next_meeting_time",
            "following_meeting_date",
            "paper_title",
            "paper_reference",
            "paper_version",
            "source_file",
        ]
        labels = {
            "following_meeting_date": "And the meeting after",
            "paper_title": "Title as printed",
            "paper_reference": "Document reference",
            "paper_version": "Version",
            "source_file": "Source paper",
        }
        widgets = {
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "next_meeting_time": TIME_WIDGET,
        }
        field_classes = dict.fromkeys(
            ["date", "next_meeting_date", "following_meeting_date"], DateField
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label) for status in EDITABLE_STATUSES
        ]
        self.fields["classification"].choices = [
            ("", "None given on the paper"),
            *Meeting._meta.get_field("classification").choices,
        ]
        self.fields["source_file"].validators.append(
            FileExtensionValidator(SOURCE_PAPER_EXTENSIONS)
        )

    def clean_source_file(self):
        upload = self.cleaned_data["source_file"]
        if upload and getattr(upload, "size", 0) > MAX_SOURCE_PAPER_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_SOURCE_PAPER_BYTES // 1_000_000} MB."
            )
        return upload

    def clean_paper_title(self):
        return " ".join(self.cleaned_data["paper_title"].split())


class AgendaItemForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "title",
            "lead",
            "lead_text",
            "item_type",
            "duration_minutes",
            "objective",
            "paper_text",
            "members_only",
        ]
        labels = {
            "members_only": "Withhold from the public minutes",
            "lead": "Lead (a person)",
            "lead_text": "Lead as printed",
            "item_type": "Type",
            "duration_minutes": "Time (minutes)",
            "paper_text": "Paper or slides presented",
        }
        help_texts = {"duration_minutes": "0 or blank when the agenda gives no time."}
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 2}),
            "paper_text": forms.Textarea(attrs={"rows": 6}),
            "lead": PersonSelect,
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["lead"].queryset = with_membership(
            Person.objects.filter(active=True), meeting.group_id
        )
        self.fields["lead"].required = False
        self.fields["item_type"].choices = [("", "Not given"), *AgendaItemType.choices]
        self.fields["paper_text"].max_length = MAX_MINUTES_LENGTH
        self.fields["paper_text"].validators.append(MaxLengthValidator(MAX_MINUTES_LENGTH))
        duration = self.fields["duration_minutes"]
        duration.min_value, duration.max_value = 0, 600
        duration.validators.append(MaxValueValidator(600))
        duration.widget.attrs.update(min=0, max=600)

    def clean_lead_text(self):
        return " ".join(self.cleaned_data["lead_text"].split())

    def clean_paper_text(self):
        return normalise_newlines(self.cleaned_data["paper_text"])

    def clean_number(self):
        # "1." is item 1: the pages and papers add the full stop ("1. Welcome").
        number = self.cleaned_data["number"].strip().rstrip(".").strip()
        if not number:
            raise forms.ValidationError("Give the item's number, e.g. 1 or 6A.")
        taken = self.instance.meeting.agenda_items.filter(number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Item {number} is already on the agenda.")
        return number

    def clean(self):
        """A title typed with its number ("1. Welcome" for item 1) keeps only the title."""
        cleaned = super().clean()
        number, title = cleaned.get("number"), cleaned.get("title")
        if number and title:
            prefix = re.match(rf"{re.escape(number)}\.?\s+(?=\S)", title)
            if prefix:
                cleaned["title"] = title[prefix.end() :]
        return cleaned


CR_REFERENCE = re.compile(r"CR[-A-Z0-9.]{1,18}")


class ChangeRequestPresentedForm(forms.Form):
    """A CR named under an agenda item, by its reference as the paper prints it, with the
    status presented. `visible_crs` are the CRs the user may see; a reference not in the
    tracker at all becomes a CR known only by its reference."""

    reference = forms.CharField(
        max_length=20, label="CR reference", help_text="As the paper prints it: CR032, CR-D040."
    )
    status_presented = forms.CharField(
        max_length=200,
        required=False,
        label="Status presented",
        help_text='As the paper words it, e.g. "Raised to Impact Assessment".',
    )

    def __init__(self, *args, agenda_item, visible_crs, **kwargs):
        kwargs.setdefault("auto_id", "cr_%s")
        super().__init__(*args, **kwargs)
        self.agenda_item, self.visible_crs = agenda_item, visible_crs

    def clean_reference(self):
        reference = "".join(self.cleaned_data["reference"].split()).upper()
        if not CR_REFERENCE.fullmatch(reference):
            raise forms.ValidationError("Give a CR reference such as CR032 or CR-D040.")
        known = ChangeRequest.objects.filter(reference__iexact=reference).first()
        if known and not self.visible_crs.filter(pk=known.pk).exists():
            raise forms.ValidationError(f"{reference} is held by a group you are not in.")
        listed = self.agenda_item.change_requests_presented.filter(change_request=known)
        if known and listed.exists():
            raise forms.ValidationError(
                f"{known.reference} is already listed against this item: remove it first to "
                "change the status presented."
            )
        self.cleaned_data["change_request"] = known
        return known.reference if known else reference


class MinutesForm(forms.Form):
    text = forms.CharField(
        required=False, strip=False, max_length=MAX_MINUTES_LENGTH, widget=forms.Textarea
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean_text(self):
        return normalise_newlines(self.cleaned_data["text"])


class ActionReviewForm(forms.Form):
    """The review of open actions in one form: per action a new status and what was said.

    `rows` are (action, may update, may close). Fields are "<pk>-status" and "<pk>-text";
    only the actions the user may update get fields. Closing, and changing a closed
    action, needs the right to close.
    """

    date = DateField(label="Date of these updates")

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for action, may_update, may_close in rows:
            if not may_update:
                continue
            allowed = [
                (status.value, status.label)
                for status in ActionStatus
                if may_close or status != ActionStatus.CLOSED
            ]
            self.fields[f"{action.pk}-status"] = forms.ChoiceField(
                choices=[("", "No change"), *allowed],
                required=False,
                label=f"New status of {action.reference}",
            )
            self.fields[f"{action.pk}-text"] = forms.CharField(
                required=False,
                max_length=MAX_MINUTES_LENGTH,
                label=f"Update on {action.reference}",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def bound_rows(self):
        """(action, status field, text field) for the template; no fields when the user
        may not update the action."""
        for action, may_update, _ in self.rows:
            if may_update:
                yield action, self[f"{action.pk}-status"], self[f"{action.pk}-text"]
            else:
                yield action, None, None

    def clean(self):
        cleaned = super().clean()
        self.changes = []
        for action, may_update, may_close in self.rows:
            if not may_update:
                continue
            status = cleaned.get(f"{action.pk}-status", "")
            text = cleaned.get(f"{action.pk}-text", "").strip()
            if status == action.status:
                status = ""
            if status and action.status == ActionStatus.CLOSED and not may_close:
                self.add_error(f"{action.pk}-status", "Only the chair or secretariat reopen.")
            elif status and not text:
                self.add_error(f"{action.pk}-text", "Say what was reported.")
            elif text:
                self.changes.append((action, status, text))
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Recorded with the minutes' history.",
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Reason for the correction",
        help_text="Listed with the issue on the minutes page.",
    )


class MinutesIssueForm(forms.Form):
    issued_on = DateField(
        required=False,
        label="Issue date",
        help_text="Blank for today; for a past meeting, the issue date its paper gives.",
    )


class MinutesApprovalForm(forms.Form):
    at_meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="Approved at meeting",
        empty_label="Not at a meeting",
    )
    headline = forms.BooleanField(label="The Headline Report too", required=False, initial=True)
    change_marked = forms.BooleanField(
        label="The minutes were change marked (amended after comments)", required=False
    )
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        later = (
            Meeting.objects.filter(group=meeting.group_id, date__gt=meeting.date)
            .open_for_records()
            .select_related("group")
            .order_by("date")
        )
        self.fields["at_meeting"].queryset = later
        self.fields["at_meeting"].initial = later.first()
        self.fields["change_marked"].initial = meeting.minutes_reopened()
        taken = headline_taken(meeting)
        if taken is not None:
            self.fields["headline"].initial = False
            self.fields["headline"].help_text = f"Already in {taken.reference}."


# The RAID review of a meeting (meetings/raid_review.py)


class PastMinutesApprovalForm(MinutesApprovalForm):
    """The secretariat records how a past meeting's minutes were approved: on which day, by
    whom (the chair, who may have no account), at which meeting."""

    approved_on = DateField(label="Approved on")
    approved_by = forms.TypedChoiceField(coerce=int, label="Approved by")

    def __init__(self, *args, meeting, people_choices, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        self.fields["approved_by"].choices = people_choices
        self.fields["approved_by"].initial = group_chair_id(meeting.group)
        later = self.fields["at_meeting"].initial
        if later is not None and later.date < timezone.localdate():
            self.fields["approved_on"].initial = later.date
        self.order_fields(["approved_on", "approved_by", "at_meeting"])

    def clean_approved_by(self):
        return Person.objects.get(pk=self.cleaned_data["approved_by"])
