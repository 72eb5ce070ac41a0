"""Forms of a meeting's attendance page: its lines as printed, adding members, people and
guests, the sections' headings; and adding someone new to the tracker from any person
picker. Each keeps what was typed and puts its errors at the field."""

from django import forms

from core.models import Person, initials_from
from core.versions import VersionedFormMixin
from core.widgets import PersonSelect

from .models import (
    Attendance,
    AttendanceCategory,
    AttendanceStatus,
    usual_headings,
)


class AttendanceLineForm(VersionedFormMixin, forms.ModelForm):
    """One line of the attendee table. `deputy_choices` (people one may attend on behalf
    of) is built once by the view for all lines."""

    on_behalf_of = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="On behalf of"
    )
    joined_at = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Joined at item"
    )
    left_after = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Left after item"
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

    def __init__(self, *args, deputy_choices, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].choices = deputy_choices
        self.initial.setdefault("on_behalf_of", self.instance.on_behalf_of_id)
        # Part-meeting attendance by agenda item (`item_choices`: the meeting's items in
        # agenda order), which each item's quorum reads.
        self.item_order = [pk for pk, _ in item_choices]
        self.fields["joined_at"].choices = [("", "From the start"), *item_choices]
        self.fields["left_after"].choices = [("", "To the end"), *item_choices]
        self.initial.setdefault("joined_at", self.instance.joined_at_id)
        self.initial.setdefault("left_after", self.instance.left_after_id)
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

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_at"), cleaned.get("left_after")
        if joined and left and self.item_order.index(joined) > self.item_order.index(left):
            self.add_error("left_after", "They cannot leave before the item they joined at.")
        if joined or left:
            # Joining late or leaving early is what the paper prints as "(part meeting)".
            cleaned["part_meeting"] = True
        return cleaned

    def stored_values(self, record):
        return {
            **super().stored_values(record),
            "on_behalf_of": record.on_behalf_of_id,
            "joined_at": record.joined_at_id,
            "left_after": record.left_after_id,
        }

    def save(self, commit=True):
        self.instance.on_behalf_of_id = self.cleaned_data["on_behalf_of"]
        self.instance.joined_at_id = self.cleaned_data["joined_at"]
        self.instance.left_after_id = self.cleaned_data["left_after"]
        self.instance.part_meeting = self.cleaned_data["part_meeting"]
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
