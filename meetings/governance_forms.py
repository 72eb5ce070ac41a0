"""Forms of a group's governance pages: its quorum rule and voting members, the interests
declared at a meeting's agenda items, and the group's register of interests. Choices are
built by the views from the group's and meeting's own people and items."""

from django import forms

from core.widgets import DateField

from .forms import person_choices


class QuorumRuleForm(forms.Form):
    """The quorum the terms of reference set, which members vote, and whether and by when
    the group publishes its minutes."""

    quorum_members = forms.IntegerField(
        min_value=1,
        max_value=500,
        required=False,
        label="Voting members needed",
        help_text="Present, or represented by a deputy; blank for no number.",
    )
    quorum_constituencies = forms.CharField(
        required=False,
        label="Constituencies that must be present",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: a voting member whose constituency contains the words, e.g. "
        '"Supplier" on one line and "Network" on the next.',
    )
    quorum_needs_chair = forms.BooleanField(
        required=False, label="The chair, or the deputy chair, must be present"
    )
    deputy_chair = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Deputy chair"
    )
    public = forms.BooleanField(
        required=False,
        label="Publish the minutes",
        help_text="Issued minutes get a public version anyone can read, without members-only "
        "items and paragraphs.",
    )
    publication_working_days = forms.IntegerField(
        min_value=1,
        max_value=60,
        label="Publish within (UK working days of the meeting)",
    )
    retention_years = forms.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        label="Keep closed records for (years)",
        help_text="Then they are listed for review; blank keeps them for good.",
    )
    voting = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Voting members",
        widget=forms.CheckboxSelectMultiple,
        help_text="Secretariat and observers never vote.",
    )

    def __init__(self, *args, group, members, voters, **kwargs):
        """`members`: the group's active chair and member memberships; `voters`: those of
        them who vote now."""
        super().__init__(*args, **kwargs)
        people = sorted({m.person for m in members}, key=lambda p: p.name)
        self.fields["deputy_chair"].choices = person_choices(people, "None named")
        self.fields["voting"].choices = [
            (m.pk, f"{m.person.name}" + (f" ({m.constituency})" if m.constituency else ""))
            for m in members
        ]
        self.initial.update(
            quorum_members=group.quorum_members,
            quorum_constituencies=group.quorum_constituencies,
            quorum_needs_chair=group.quorum_needs_chair,
            deputy_chair=group.deputy_chair_id,
            public=group.public,
            publication_working_days=group.publication_working_days,
            retention_years=group.retention_years,
            voting=[m.pk for m in voters],
        )

    def clean(self):
        cleaned = super().clean()
        needed, voting = cleaned.get("quorum_members"), cleaned.get("voting")
        if needed and voting is not None and needed > len(voting):
            self.add_error(
                "quorum_members",
                f"Only {len(voting)} members vote: no meeting could be quorate.",
            )
        return cleaned


class DeclarationForm(forms.Form):
    """An interest declared at one of the meeting's agenda items."""

    agenda_item = forms.TypedChoiceField(coerce=int, label="Agenda item")
    person = forms.TypedChoiceField(coerce=int, label="Who declared it")
    interest = forms.CharField(
        max_length=300,
        required=False,
        label="The interest",
        help_text='As the minutes give it, e.g. "Employed by a bidder".',
    )
    recused = forms.BooleanField(
        required=False,
        label="Left the meeting for the item",
        help_text="They are then not counted towards the item's quorum.",
    )

    def __init__(self, *args, items, attendees, **kwargs):
        kwargs.setdefault("auto_id", "declare_%s")
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [
            ("", "Choose an item"),
            *((item.pk, f"{item.number}. {item.title}"[:80]) for item in items),
        ]
        self.fields["person"].choices = person_choices(attendees, "Choose an attendee")


class RegisteredInterestForm(forms.Form):
    person = forms.TypedChoiceField(coerce=int, label="Member")
    interest = forms.CharField(max_length=300)
    declared_on = DateField(label="Declared on")

    def __init__(self, *args, people, **kwargs):
        kwargs.setdefault("auto_id", "register_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = person_choices(people, "Choose a member")

    def clean_interest(self):
        interest = " ".join(self.cleaned_data["interest"].split())
        if not interest:
            raise forms.ValidationError("Say what the interest is.")
        return interest


class InterestEndForm(forms.Form):
    ended_on = DateField(label="No longer applies from")

    def __init__(self, *args, entry, **kwargs):
        self.entry = entry
        kwargs.setdefault("prefix", f"end-{entry.pk}")
        super().__init__(*args, **kwargs)

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.entry.declared_on:
            raise forms.ValidationError(
                f"It was declared on {self.entry.declared_on:%d/%m/%Y}: it cannot end before."
            )
        return ended_on


class RetentionForm(forms.Form):
    """The secretariat's review of one record past retention."""

    kind = forms.CharField(widget=forms.HiddenInput)
    pk = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=[("archived", "Archive (kept read-only)"), ("deleted", "Delete")],
        widget=forms.RadioSelect,
        label="Outcome",
    )
    reason = forms.CharField(max_length=500, label="Reason")
