"""The registers as they stood at a meeting or on a date (meetings/as_at.py), and one
record then beside today. Members and observers see the records of their groups only."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.permissions import Perm, get_object_for_user, groups_for
from core.widgets import DateField

from .as_at import (
    REGISTERS,
    compare,
    end_of_day,
    entered_later,
    page_as_at,
    shown,
    with_owners_then,
)
from .models import Meeting


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return f"{meeting.code} ({meeting.date:%d/%m/%Y})"


class AsAtForm(forms.Form):
    """Which register, of which group, as at which meeting or date."""

    register = forms.ChoiceField(
        choices=[(key, register.label) for key, register in REGISTERS.items()]
    )
    group = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All my groups", to_field_name="code"
    )
    meeting = MeetingChoiceField(
        queryset=None,
        required=False,
        empty_label="—",
        label="As at the start of",
        help_text="A meeting; or give a date below.",
    )
    on = DateField(required=False, label="As at the end of", help_text="dd/mm/yyyy")
    only_open = forms.BooleanField(required=False, label="Only those open then")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = groups_for(user)
        self.fields["group"].queryset = groups
        self.fields["meeting"].queryset = self.meeting_choices(groups, self.data)
        if not self.data.get("group"):
            self.fields["meeting"].empty_label = "— (choose a group first)"

    @staticmethod
    def meeting_choices(groups, data):
        """The chosen group's meetings, newest first; without a group only the meeting
        already chosen (the meeting page links here with the meeting alone), so the page
        never lists every meeting of every group (3,000 options at a programme's scale)."""
        meetings = (
            Meeting.objects.filter(group__in=groups)
            .open_for_records()
            .select_related("group")
            .order_by("-date", "group__code")
        )
        if data.get("group"):
            return meetings.filter(group__code=data["group"])
        chosen = str(data.get("meeting", ""))
        return meetings.filter(pk=chosen) if chosen.isdigit() else meetings.none()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting") and cleaned.get("on"):
            self.add_error("on", "Give a meeting or a date, not both.")
        return cleaned

    def moment(self):
        """(when, in words) the register is shown as at, or (None, "") when not given."""
        meeting, on = self.cleaned_data.get("meeting"), self.cleaned_data.get("on")
        if meeting is not None:
            return meeting.records_open_at, f"the start of {meeting.code}"
        if on is not None:
            return end_of_day(on), f"the end of {on:%d/%m/%Y}"
        return None, ""


def registers_as_at(request):
    """Members and observers: a register of their groups as it stood at the start of a
    meeting or the end of a day, with the values then; each row links to its comparison
    with today."""
    user = request.user
    form = AsAtForm(request.GET or None, user=user)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        at, words = form.moment()
        if at is not None:
            register = REGISTERS[form.cleaned_data["register"]]
            group = form.cleaned_data["group"]
            if group is None and form.cleaned_data["meeting"] is not None:
                group = form.cleaned_data["meeting"].group
            groups = [group] if group is not None else None
            # A page of the rows: the actions as the minutes print them outstanding at a
            # meeting's start (meetings/minutes.py), typed-in actions listed; the other
            # registers with a count of the records typed in later, which are not.
            page, rows = page_as_at(
                register,
                user=user,
                at=at,
                groups=groups,
                only_open=form.cleaned_data["only_open"],
                number=request.GET.get("page"),
            )
            later = (
                0
                if register.key == "actions"
                else entered_later(register, user=user, at=at, groups=groups)
            )
            context |= {
                "register": register,
                "at": at,
                "at_words": words,
                "group": group,
                "headings": [
                    str(register.model._meta.get_field(name).verbose_name).capitalize()
                    for name in register.columns
                ],
                "page": page,
                "rows": [(row, _cells(register, row)) for row in rows],
                "entered_later": later,
            }
    return render(request, "meetings/registers_as_at.html", context)


def _cells(register, row):
    return [shown(row, name) for name in register.columns]


def record_as_at(request, kind, pk):
    """Members and observers of the record's group: one record's values at a moment (the
    `at` parameter, as the register page links it) beside its values today."""
    register = REGISTERS.get(kind)
    at = parse_datetime(request.GET.get("at", ""))
    if register is None or at is None:
        raise Http404("No such register or moment.")
    if timezone.is_naive(at):
        at = timezone.make_aware(at, timezone.get_default_timezone())
    now = get_object_for_user(request.user, register.model.objects.all(), Perm.VIEW, pk=pk)
    try:
        then = now.history.as_of(at)
    except register.model.DoesNotExist:
        then = None
    if then is not None and kind == "actions":
        with_owners_then([then])
    return render(
        request,
        "meetings/record_as_at.html",
        {
            "register": register,
            "record": now,
            "at": at,
            "differences": compare(register, then, now) if then is not None else [],
            "existed": then is not None,
        },
    )
