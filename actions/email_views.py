"""The action reminders' email pages: the email log's "send digest now", and the page a
reminder links to for updating an action without a login. The log itself and the
preferences page are notifications' (notifications/views.py)."""

import logging
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.models import Person
from core.security import client_ip, log_event
from core.throttle import RateLimit
from notifications.forms import SendNowForm
from notifications.views import email_log, link_problem, secretariat_group_ids, send_now_people

from .models import Action, ActionStatus, LinkEventKind, UpdateLinkEvent
from .reminders import (
    may_update_by_link,
    read_update_token,
    send_digest_now,
    update_token_made_at,
)
from .services import action_update_by_link


@require_POST
def send_digest(request):
    """Secretariat: send one person of their groups today's digest now, even when they
    opted out of the daily ones; the daily digest still goes as planned."""
    form = SendNowForm(request.POST, people=send_now_people(secretariat_group_ids(request.user)))
    if not form.is_valid():
        # Shown again with its errors and a fresh token, so the next submit can succeed.
        form.data = form.data.copy()
        form.data["token"] = secrets.token_hex(6)
        return email_log(request, send_form=form)
    person = form.cleaned_data["person"]
    email = send_digest_now(
        person=person,
        today=timezone.localdate(),
        token=form.cleaned_data["token"],
        requested_by=request.user,
    )
    if email is None:
        messages.info(request, f"Nothing is overdue or due soon for {person.name}: no email sent.")
    else:
        messages.success(request, f"Digest for {person.name} queued; its delivery shows below.")
    return redirect("email:email_log")


class LinkUpdateForm(forms.Form):
    text = forms.CharField(
        label="Your update",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What has happened since the last update.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (ActionStatus.ONGOING, "ONGOING – still being worked on"),
            (ActionStatus.RECOMMEND_CLOSED, "RECOMMEND CLOSED – done; the group may close it"),
        ],
        widget=forms.RadioSelect,
        initial=ActionStatus.ONGOING,
    )


def update_link_rate():
    return RateLimit("update-link", settings.UPDATE_LINK_RATE, 600)


@login_not_required
def action_update(request, token):
    """Whoever holds the signed link of a reminder email (bound to one person and one
    action, valid REMINDER_LINK_DAYS days, until the action's owner or secretariat
    withdraws the links sent so far): post an update to that action and set it ONGOING or
    RECOMMEND CLOSED, recorded as from that person via email link. UPDATE_LINK_RATE
    requests per client address in 10 minutes; each use shows in the action's history
    and the security log."""
    ip = client_ip(request)
    if not update_link_rate().hit(ip):
        log_event("update_link_throttled", request)
        return link_problem(
            request,
            "Too many requests",
            "This address has opened too many update links in a short time. Wait a few "
            "minutes and open the link again.",
            429,
        )
    try:
        person_id, action_id = read_update_token(token)
    except signing.SignatureExpired:
        log_event("update_link_expired", request)
        return link_problem(
            request,
            "This link has expired",
            "Update links in reminder emails work for a limited time. The next reminder "
            "brings a fresh link, or you can ask the group's secretariat to record your update.",
            410,
        )
    except signing.BadSignature:
        log_event("update_link_invalid", request)
        return link_problem(
            request,
            "This link is not valid",
            "The link may have been cut short or changed when it was copied. Open it again "
            "from the email, or ask the group's secretariat to record your update.",
            400,
        )
    person = Person.objects.filter(pk=person_id, active=True).first()
    action = Action.objects.select_related("group").filter(pk=action_id).first()
    if person is None or action is None or not may_update_by_link(person, action):
        log_event("update_link_refused", request, person=person_id, action=action_id)
        return link_problem(
            request,
            "This link no longer works",
            "You are no longer recorded as the owner of this action. Ask the group's "
            "secretariat if you think this is wrong.",
            403,
        )
    if UpdateLinkEvent.objects.revoked_before(action, update_token_made_at(token), person):
        UpdateLinkEvent.objects.create(
            action=action, person=person, kind=LinkEventKind.REFUSED, ip=ip or None
        )
        log_event("update_link_withdrawn", request, person=person.pk, action=action.reference)
        return link_problem(
            request,
            "This link has been withdrawn",
            f"The update links sent for {action.reference} so far were withdrawn by its owner "
            "or the group's secretariat. The next reminder brings a fresh link, or you can ask "
            "the group's secretariat to record your update.",
            410,
        )
    if action.status == ActionStatus.CLOSED:
        return link_problem(
            request,
            f"{action.reference} is closed",
            "The group has closed this action, so it takes no more updates.",
            409,
        )
    # The status the action now has (the one the owner just recorded), where it is offered.
    offered = {ActionStatus.ONGOING, ActionStatus.RECOMMEND_CLOSED}
    form = LinkUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={"status": action.status} if action.status in offered else None,
    )
    if request.method == "POST" and form.is_valid():
        action_update_by_link(
            action=action,
            person=person,
            text=form.cleaned_data["text"],
            status=form.cleaned_data["status"],
            ip=ip,
        )
        log_event(
            "update_link_used",
            request,
            level=logging.INFO,
            person=person.pk,
            action=action.reference,
        )
        messages.success(
            request, f"Thank you, {person.name}: your update to {action.reference} is recorded."
        )
        return redirect(request.path)
    if request.method != "POST":
        UpdateLinkEvent.objects.create(
            action=action, person=person, kind=LinkEventKind.OPENED, ip=ip or None
        )
        log_event(
            "update_link_opened",
            request,
            level=logging.INFO,
            person=person.pk,
            action=action.reference,
        )
    return render(
        request,
        "actions/action_update_by_link.html",
        {
            "person": person,
            "action": action,
            "owner_display": action.owner_display(),
            "updates": action.updates.select_related("author")[:5],
            "form": form,
        },
    )
