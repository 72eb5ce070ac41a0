"""Forms of the secretariat's meeting pages. Each keeps what was typed and puts its errors
at the field; choices that many forms on one page share are built once by the view."""

import re

from django import forms
from django.core.validators import (
    FileExtensionValidator,
    MaxLengthValidator,
    MaxValueValidator,
)
from django.db.models import Q
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
from changerequests.models import ChangeRequest
from core.models import Person, Role, initials_from
from core.references import TypedReferenceField
from core.versions import VersionedFormMixin
from core.widgets import PeopleSelect, PersonSelect, with_membership
from decisions.forms import MeetingChoiceField
from decisions.minutes_papers import headline_taken
from decisions.models import Decision
from raid.models import RaidItem, RaidReview

from .models import (
    AgendaItem,
    AgendaItemType,
    Attendance,
    AttendanceCategory,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    usual_headings,
)

# The papers a secretariat keeps with a meeting: minutes, slide packs, their text.
SOURCE_PAPER_EXTENSIONS = ["pdf", "docx", "doc", "pptx", "ppt", "txt", "odt", "odp"]
MAX_SOURCE_PAPER_BYTES = 25_000_000
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
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
        widgets = {"date": DATE_WIDGET, "start_time": TIME_WIDGET, "end_time": TIME_WIDGET}

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
            "date": DATE_WIDGET,
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "next_meeting_date": DATE_WIDGET,
            "next_meeting_time": TIME_WIDGET,
            "following_meeting_date": DATE_WIDGET,
        }

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


class AttendanceLineForm(VersionedFormMixin, forms.ModelForm):
    """One line of the attendee table. `deputy_choices` (people one may attend on behalf
    of) is built once by the view for all lines."""

    on_behalf_of = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="On behalf of"
    )
    remove = forms.BooleanField(required=False, label="Remove from the list")

    class Meta:
        model = Attendance
        fields = ["status", "category", "role", "printed_name", "initials", "note", "part_meeting"]
        labels = {
            "status": "Attendance",
            "category": "Section",
            "role": "Role in the minutes",
            "printed_name": "Name as printed",
            "note": "Note in brackets",
            "part_meeting": "Part meeting",
        }
        # The labels say it already; the model's hints would repeat on every line.
        help_texts = {"role": "", "printed_name": "", "note": ""}
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, deputy_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].choices = deputy_choices
        self.initial.setdefault("on_behalf_of", self.instance.on_behalf_of_id)
        self.fields["initials"].widget.attrs.update(
            placeholder=self.instance.person.suggested_initials(), size=6
        )
        self.fields["printed_name"].widget.attrs.update(placeholder=self.instance.person.name)
        self.fields["note"].widget.attrs.update(placeholder="Chair", size=10)

    def clean_printed_name(self):
        name = " ".join(self.cleaned_data["printed_name"].split())
        # The person's own name needs no copy: it follows a correction of the name.
        return "" if name == self.instance.person.name else name

    def clean_note(self):
        return self.cleaned_data["note"].strip().strip("()").strip()

    def clean_on_behalf_of(self):
        deputy = self.cleaned_data["on_behalf_of"]
        if deputy is not None and deputy == self.instance.person_id:
            raise forms.ValidationError("A person cannot attend on their own behalf.")
        return deputy

    def clean_initials(self):
        return self.cleaned_data["initials"].strip()

    def clean_status(self):
        """Who was present is known once the meeting starts; until then people are expected
        or send apologies."""
        status = self.cleaned_data["status"]
        if status == AttendanceStatus.PRESENT and "status" in self.changed_data:
            reason = self.instance.meeting.records_closed_reason()
            if reason:
                raise forms.ValidationError(
                    f"{reason}: mark people present then (until then they are expected or "
                    "send apologies)."
                )
        return status

    def stored_values(self, record):
        return {**super().stored_values(record), "on_behalf_of": record.on_behalf_of_id}

    def save(self, commit=True):
        self.instance.on_behalf_of_id = self.cleaned_data["on_behalf_of"]
        return super().save(commit)


class AttendanceAddForm(forms.Form):
    """Add someone already in the tracker; `people_choices` are those not yet listed."""

    person = forms.TypedChoiceField(
        coerce=int,
        label="Person",
        widget=PersonSelect(add="#guest_name"),
        help_text="Type a name; the group's members come first.",
    )
    category = forms.ChoiceField(
        choices=[("", "From their role in the group")] + AttendanceCategory.choices,
        required=False,
        label="Section",
    )
    role = forms.CharField(max_length=200, required=False, label="Role in the minutes")

    def __init__(self, *args, people_choices, members=(), **kwargs):
        # The guest form on the same page has fields of the same names: distinct ids keep
        # each label on its own field.
        kwargs.setdefault("auto_id", "add_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people_choices
        self.fields["person"].widget.members = {str(pk) for pk in members}


class GuestForm(forms.Form):
    """Someone not in the tracker yet, added to the meeting as they are recorded: a guest
    presenter, or a deputy attending on behalf of a member, as the paper's line reads
    ("Morven Hunter (MHu) (on behalf of Donna Jamieson)"). `deputy_choices` are whom one
    may attend on behalf of."""

    name = forms.CharField(max_length=200)
    organisation = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False, help_text="Optional; needed to send them actions.")
    category = forms.ChoiceField(
        choices=AttendanceCategory.choices, initial=AttendanceCategory.OTHER, label="Section"
    )
    role = forms.CharField(max_length=200, required=False, label="Role in the minutes")
    initials = forms.CharField(max_length=10, required=False, help_text="Blank suggests them.")
    on_behalf_of = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="On behalf of"
    )
    note = forms.CharField(
        max_length=100, required=False, label="Note in brackets", help_text='e.g. "Chair".'
    )
    part_meeting = forms.BooleanField(required=False, label="Part meeting")

    def __init__(self, *args, deputy_choices, **kwargs):
        kwargs.setdefault("auto_id", "guest_%s")
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].choices = deputy_choices

    def clean_initials(self):
        return self.cleaned_data["initials"].strip()

    def clean_note(self):
        return self.cleaned_data["note"].strip().strip("()").strip()

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the guest's name.")
        return name

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and Person.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone with this email is already in the tracker: add them from the list."
            )
        return email


class PersonNewForm(forms.Form):
    """Someone new to the tracker, added from a person picker: a new action owner, agenda
    lead, change request raiser. A name already in the tracker (in any case) is refused,
    naming who has it, so that nobody is recorded twice."""

    name = forms.CharField(max_length=200)
    organisation = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False, help_text="Optional; needed to send them actions.")
    initials = forms.CharField(
        max_length=10,
        required=False,
        label="Initials",
        help_text="As the minutes print them; suggested from the name.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "new_person_%s")
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the person's name.")
        same = Person.objects.filter(name__iexact=name).select_related("organisation").first()
        if same is not None:
            who = f"{same.name} ({same.organisation})" if same.organisation else same.name
            raise forms.ValidationError(
                f"{who} is already in the tracker: choose them from the list."
            )
        return name

    def clean_organisation(self):
        return " ".join(self.cleaned_data["organisation"].split())

    def clean_email(self):
        email = self.cleaned_data["email"]
        same = Person.objects.filter(email__iexact=email).first() if email else None
        if same is not None:
            raise forms.ValidationError(
                f"{same.name} already has this email: choose them from the list."
            )
        return email

    def clean_initials(self):
        return self.cleaned_data["initials"].strip()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("initials") and cleaned.get("name"):
            cleaned["initials"] = initials_from(cleaned["name"])
        return cleaned


class AttendanceHeadingsForm(forms.Form):
    """How this meeting's paper heads the sections of the attendee table, where it differs
    from the usual headings (given as placeholders); and whether it prints initials for
    apologies."""

    apologies_initials = forms.BooleanField(
        required=False, label="The paper prints initials for apologies too"
    )

    def __init__(self, *args, meeting, headings, **kwargs):
        kwargs.setdefault("auto_id", "heading_%s")
        super().__init__(*args, **kwargs)
        self.usual = usual_headings(meeting)
        own = {h.section: h.heading for h in headings}
        for section, usual in self.usual.items():
            self.fields[section] = forms.CharField(
                max_length=100, required=False, label=f"Heading for {usual}"
            )
            self.fields[section].widget.attrs["placeholder"] = usual
            self.initial.setdefault(section, own.get(section, ""))
        self.initial.setdefault("apologies_initials", meeting.apologies_initials)
        self.order_fields([*self.usual, "apologies_initials"])

    def headings(self) -> dict[str, str]:
        """{section: heading} of the sections headed differently from the usual."""
        given = {section: " ".join(self.cleaned_data[section].split()) for section in self.usual}
        return {s: h for s, h in given.items() if h and h != self.usual[s]}


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
        ]
        labels = {
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
    due_date = forms.DateField(required=False, widget=DATE_WIDGET, label="Due date")
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
    taken_on = forms.DateField(
        required=False,
        widget=DATE_WIDGET,
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


class ActionReviewForm(forms.Form):
    """The review of open actions in one form: per action a new status and what was said.

    `rows` are (action, may update, may close). Fields are "<pk>-status" and "<pk>-text";
    only the actions the user may update get fields. Closing, and changing a closed
    action, needs the right to close.
    """

    date = forms.DateField(widget=DATE_WIDGET, label="Date of these updates")

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
    issued_on = forms.DateField(
        required=False,
        widget=DATE_WIDGET,
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


class PastMinutesApprovalForm(MinutesApprovalForm):
    """The secretariat records how a past meeting's minutes were approved: on which day, by
    whom (the chair, who may have no account), at which meeting."""

    approved_on = forms.DateField(widget=DATE_WIDGET, label="Approved on")
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
