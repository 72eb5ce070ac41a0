"""Forms of the people pages. Adding someone new reuses the person pickers' form
(meetings.attendance_forms.PersonNewForm)."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import Q
from django.utils import timezone

from core.models import GovernanceGroup, Membership, Organisation, Person, Role
from core.versions import VersionedFormMixin
from core.widgets import DateField, PersonSelect, with_membership


def _squeezed(value):
    return " ".join(value.split())


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Find people",
        help_text="Name, initials, organisation or email.",
    )


class PersonEditForm(VersionedFormMixin, forms.ModelForm):
    """A person's details; the organisation is typed and found by name (or recorded)."""

    organisation = forms.CharField(max_length=200, required=False)

    class Meta:
        model = Person
        fields = ["name", "initials", "organisation", "email", "active"]
        labels = {"active": "Still active (offered in pickers, sent reminders)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["organisation"] = str(self.instance.organisation or "")

    def clean_name(self):
        name = _squeezed(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("Give the person's name.")
        same = Person.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if same is not None:
            raise forms.ValidationError(
                f"{same.name} (#{same.pk}) already has this name: if they are the same person, "
                "merge the two records instead."
            )
        return name

    def clean_email(self):
        email = self.cleaned_data["email"]
        same = (
            Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).first()
            if email
            else None
        )
        if same is not None:
            raise forms.ValidationError(
                f"{same.name} already has this email: if they are the same person, merge the "
                "two records instead."
            )
        return email

    def clean_initials(self):
        return self.cleaned_data["initials"].strip()

    def clean_organisation(self):
        name = _squeezed(self.cleaned_data["organisation"])
        if not name:
            return None
        return Organisation.objects.filter(name__iexact=name).first() or Organisation(name=name)

    def stored_values(self, record):
        values = super().stored_values(record)
        values["organisation"] = str(record.organisation or "")
        return values

    def save(self, commit=True):
        organisation = self.cleaned_data["organisation"]
        if organisation is not None and organisation.pk is None:
            organisation.save()
        self.instance.organisation = organisation
        return super().save(commit)


class PersonMergeForm(forms.Form):
    """The record to fold into the one being kept, and why."""

    merged = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="The duplicate record to merge into this one",
        help_text="It is removed; everything that names it moves to this record.",
        widget=PersonSelect(),
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text='Kept with the merge, e.g. "Same person: recorded twice from the DAG029 paper".',
    )

    def __init__(self, *args, kept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged"].queryset = Person.objects.exclude(pk=kept.pk).select_related(
            "organisation"
        )
        self.fields["merged"].label_from_instance = _with_details

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why these are the same person.")
        return reason


def _with_details(person):
    details = [str(d) for d in (person.organisation, person.email) if d]
    return f"{person.name} ({', '.join(details)})" if details else person.name


class OrganisationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name"]

    def clean_name(self):
        name = _squeezed(self.cleaned_data["name"])
        same = Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if same is not None:
            raise forms.ValidationError(
                f"{same.name} is already recorded: merge the two organisations instead."
            )
        return name


class OrganisationMergeForm(forms.Form):
    merged = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="The duplicate organisation to merge into this one",
        help_text="It is removed; its people and records move to this organisation.",
    )

    def __init__(self, *args, kept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged"].queryset = Organisation.objects.exclude(pk=kept.pk)


class MembershipForm(VersionedFormMixin, forms.ModelForm):
    """A membership of the group: who (when adding), role, constituency, voting, deputy."""

    class Meta:
        model = Membership
        fields = ["person", "role", "constituency", "voting", "deputy", "start_date"]
        widgets = {"person": PersonSelect(), "deputy": PersonSelect()}
        field_classes = {"start_date": DateField}
        labels = {"voting": "Voting member"}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        people = with_membership(Person.objects.filter(active=True), group).select_related(
            "organisation"
        )
        for name in ("person", "deputy"):
            self.fields[name].label_from_instance = _with_details
            self.fields[name].queryset = people
        self.fields["start_date"].help_text = "When they joined; blank for not recorded."
        if self.instance.pk:
            # Who the membership is of does not change: end it and add the other person.
            del self.fields["person"]
        else:
            self.initial.setdefault("start_date", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person") or getattr(self.instance, "person", None)
        role = cleaned.get("role")
        if person is not None and role:
            current = Membership.objects.filter(
                group=self.instance.group, person=person, role=role, active=True
            ).exclude(pk=self.instance.pk)
            if current.exists():
                self.add_error(
                    "role" if self.instance.pk else "person",
                    f"{person.name} is already {Role(role).label.lower()} of "
                    f"{self.instance.group.code}.",
                )
        return cleaned


class MembershipEndForm(forms.Form):
    end_date = DateField(label="Last day as a member")

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.initial.setdefault("end_date", timezone.localdate())

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        start = self.membership.start_date
        if start and end < start:
            raise forms.ValidationError(
                f"The membership began on {start:%d/%m/%Y}: it cannot end before that."
            )
        return end


class TermsOfReferenceForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = GovernanceGroup
        fields = ["terms_of_reference"]
        widgets = {"terms_of_reference": forms.Textarea(attrs={"rows": 16})}
        help_texts = {"terms_of_reference": "Markdown: headings, lists and links."}


class GroupCreateForm(forms.ModelForm):
    """A new group, with its first secretariat appointed."""

    secretariat = forms.ModelChoiceField(
        queryset=Person.objects.filter(active=True),
        widget=PersonSelect(),
        help_text="Appointed as the group's secretariat: they add the members.",
    )

    class Meta:
        model = GovernanceGroup
        fields = ["code", "name", "level", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretariat"].label_from_instance = _with_details

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class InvitationAcceptForm(forms.Form):
    """The invited person's user name and password."""

    username = forms.CharField(max_length=150, label="User name")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="The password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person.user is not None:
            # A returning account keeps its user name.
            del self.fields["username"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        field = get_user_model()._meta.get_field("username")
        for validator in field.validators:
            validator(username)
        if get_user_model().objects.filter(Q(username__iexact=username)).exists():
            raise forms.ValidationError("That user name is taken: choose another.")
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            user = self.person.user or get_user_model()(
                username=cleaned.get("username", ""), email=self.person.email
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
