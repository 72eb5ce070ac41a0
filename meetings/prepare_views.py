"""The secretariat's "prepare the next meeting" page (meetings/prepare.py): the schedule
form filled in from the group's latest meeting and usual pattern, with that meeting's
agenda items to carry over (all ticked: the secretariat unticks the one-off ones) and its
expected attendance."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.models import GovernanceGroup
from core.permissions import Perm, get_object_for_user

from .forms import MeetingScheduleForm
from .prepare import latest_meeting, prepare_next_meeting, suggested_date
from .services import suggested_number


class PrepareMeetingForm(MeetingScheduleForm):
    items = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agenda items to carry over",
        help_text="The standing items are ticked; untick the ones that were for that meeting only.",
    )
    with_attendance = forms.BooleanField(
        required=False,
        label="Copy the expected attendance",
        help_text="Everyone on the previous meeting's attendee list (still active), "
        "expected; each is sent the invitation.",
    )

    def __init__(self, *args, previous, agenda, date, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda = {item.pk: item for item in agenda}
        self.fields["items"].choices = [
            (item.pk, f"{item.number}. {item.title}") for item in agenda
        ]
        self.initial |= {"items": list(self.agenda), "with_attendance": True, "date": date}
        if previous is not None:
            self.initial |= {
                "start_time": previous.start_time,
                "end_time": previous.end_time,
                "venue": previous.venue,
                "classification": previous.classification,
            }
        else:
            del self.fields["items"], self.fields["with_attendance"]


def meeting_prepare(request, code):
    """The group's secretariat (403 for its other members, 404 outside it): prepare the
    next meeting from the latest one in one step."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), Perm.EDIT, code=code)
    previous = latest_meeting(group)
    agenda = list(previous.agenda_items.order_by("order", "number")) if previous else []
    form = PrepareMeetingForm(
        request.POST or None,
        group=group,
        suggested=suggested_number(group),
        previous=previous,
        agenda=agenda,
        date=suggested_date(group, previous, timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        chosen = fields.pop("items", [])
        prepared = prepare_next_meeting(
            group=group,
            previous=previous,
            items=[form.agenda[pk] for pk in chosen],
            with_attendance=fields.pop("with_attendance", False),
            **fields,
        )
        meeting = prepared.meeting
        due = prepared.due_here
        messages.success(
            request,
            f"{meeting.code} prepared for {meeting.date:%d/%m/%Y}: {len(prepared.items)} agenda "
            f"item{'s' if len(prepared.items) != 1 else ''} and {len(prepared.attendees)} "
            f"expected attendee{'s' if len(prepared.attendees) != 1 else ''} copied"
            + (f" from {previous.code}" if previous else "")
            + (
                f"; {len(due)} action{'s' if len(due) != 1 else ''} due Next {group.code} "
                f"({', '.join(a.reference for a in due)}) now due {meeting.date:%d/%m/%Y}."
                if due
                else "."
            ),
        )
        return redirect(reverse("meetings:agenda", args=[meeting.pk]))
    return render(
        request,
        "meetings/meeting_prepare.html",
        {"form": form, "group": group, "previous": previous},
    )
