"""The secretariat's email log, and the email preferences page every email links to
without a login."""

import logging
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from core.models import Person
from core.permissions import Perm, groups_for
from core.security import log_event

from .filters import EmailFilter, emails_in, people_in
from .forms import SendNowForm
from .models import NOTICE_KINDS, EmailPreference
from .preferences import read_preferences_token, set_daily_digest_opt_out, set_notice_opt_outs

PAGE_SIZE = 50


def secretariat_group_ids(user):
    """Groups whose emails the user may see and send: those they are secretariat of.
    None means every group (superuser); refused when there are none."""
    if user.is_superuser:
        return None
    group_ids = set(groups_for(user, Perm.EDIT).values_list("pk", flat=True))
    if not group_ids:
        raise PermissionDenied("Only the secretariat sees the email log.")
    return group_ids


def send_now_people(group_ids):
    """Who the log's "send now" form offers: the people of the groups with an address."""
    return people_in(group_ids).exclude(email="").order_by("name")


def email_log(request, send_form=None):
    """Secretariat (of any group; superusers see all): every email of their groups with
    its delivery status and failure reason, who opted out of daily digests, and a form
    to send someone's digest now (`send_form` is that form shown back with its errors)."""
    group_ids = secretariat_group_ids(request.user)
    people = send_now_people(group_ids)
    emails = EmailFilter(
        request.GET, queryset=emails_in(group_ids).order_by("-created_at"), group_ids=group_ids
    )
    group = emails.form.cleaned_data.get("group") if emails.form.is_valid() else None
    opted_out = (people_in({group.pk}) if group else people).filter(
        email_preference__in=EmailPreference.objects.opted_out_of_digests()
    )
    return render(
        request,
        "notifications/email_log.html",
        {
            "filter": emails,
            "page": Paginator(emails.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "opted_out": opted_out.select_related("email_preference").order_by("name"),
            "send_form": send_form
            or SendNowForm(people=people, initial={"token": secrets.token_hex(6)}),
        },
    )


def link_problem(request, title, explanation, status):
    """The page of a link from an email that cannot be used, saying why."""
    return render(
        request,
        "notifications/link_problem.html",
        {"title": title, "explanation": explanation},
        status=status,
    )


@login_not_required
def preferences(request, token):
    """Whoever holds the preferences link of an email: turn that person's daily digests
    off or on again (the weekly summary for chairs and secretariat still comes), and
    choose which kinds of notice they get, one checkbox per kind."""
    try:
        person = Person.objects.filter(pk=read_preferences_token(token)).first()
    except signing.BadSignature:
        person = None
    if person is None:
        log_event("preferences_link_invalid", request)
        return link_problem(
            request,
            "This link is not valid",
            "Open the preferences link again from one of your reminder emails.",
            400,
        )
    if request.method == "POST":
        log_event("preferences_link_used", request, level=logging.INFO, person=person.pk)
    if request.method == "POST" and "notices" in request.POST:
        wanted = set(request.POST.getlist("kind"))
        set_notice_opt_outs(person=person, kinds=[k for k in NOTICE_KINDS if k not in wanted])
        messages.success(request, "Your choice of notices is saved.")
        return redirect(request.path)
    if request.method == "POST":
        opt_out = request.POST.get("daily_digest") == "off"
        set_daily_digest_opt_out(person=person, opt_out=opt_out)
        messages.success(
            request,
            "You will no longer get daily reminder emails."
            if opt_out
            else "Daily reminder emails are on again.",
        )
        return redirect(request.path)
    preference = EmailPreference.of(person)
    return render(
        request,
        "notifications/preferences.html",
        {
            "person": person,
            "preference": preference,
            "notices": [(kind, preference.wants(kind)) for kind in NOTICE_KINDS],
        },
    )
