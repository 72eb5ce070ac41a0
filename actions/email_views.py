"""Pages of the reminder emails: the secretariat's email log and "send digest now", and
the two pages an email links to without a login (update an action, email preferences)."""

import secrets

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.models import GovernanceGroup, Person
from core.permissions import Perm, groups_for
from notifications.models import EmailKind, EmailStatus, OutboundEmail

from .models import Action, ActionStatus, UpdateSource
from .reminders import (
    may_update_by_link,
    read_preferences_token,
    read_update_token,
    send_digest_now,
)
from .services import action_add_update

PAGE_SIZE = 50


# The email log ----------------------------------------------------------------------------


def secretariat_group_ids(user):
    """Groups whose emails the user may see and send: those they are secretariat of.
    None means every group (superuser); refused when there are none."""
    if user.is_superuser:
        return None
    group_ids = set(groups_for(user, Perm.EDIT).values_list("pk", flat=True))
    if not group_ids:
        raise PermissionDenied("Only the secretariat sees the email log.")
    return group_ids


def people_in(group_ids):
    """People of these groups: members, and owners of the groups' actions."""
    if group_ids is None:
        return Person.objects.all()
    return Person.objects.filter(
        Q(memberships__group__in=group_ids, memberships__active=True)
        | Q(ownerships__action__group__in=group_ids)
    ).distinct()


def emails_in(group_ids):
    """A digest covering several groups has no group: it shows to the secretariat of any
    group the person belongs to."""
    emails = OutboundEmail.objects.select_related("person", "group")
    if group_ids is None:
        return emails
    return emails.filter(
        Q(group__in=group_ids) | Q(group__isnull=True, person__in=people_in(group_ids).values("pk"))
    )


class EmailFilter(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(
        queryset=GovernanceGroup.objects.none(),
        to_field_name="code",
        method="in_group",
        empty_label="All your groups",
    )
    status = django_filters.ChoiceFilter(choices=EmailStatus.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=EmailKind.choices, empty_label="Any kind")
    q = django_filters.CharFilter(method="search", label="Person, address or reference")

    class Meta:
        model = OutboundEmail
        fields = ["status", "kind"]

    def __init__(self, *args, group_ids, **kwargs):
        """Only the user's secretariat groups are offered (all for None)."""
        super().__init__(*args, **kwargs)
        groups = GovernanceGroup.objects.order_by("code")
        if group_ids is not None:
            groups = groups.filter(pk__in=group_ids)
        self.filters["group"].queryset = groups

    def in_group(self, queryset, name, group):
        return queryset.filter(
            Q(group=group) | Q(group__isnull=True, person__in=people_in({group.pk}).values("pk"))
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(person__name__icontains=value)
            | Q(to_address__icontains=value)
            | Q(references__icontains=value)
        )


class SendDigestForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Person")
    # One per form shown: submitting the same form twice sends one email. It ends up in
    # the outbox key and so in the Message-ID: short, and hex digits only.
    token = forms.RegexField(
        regex=r"^[0-9a-f]{1,32}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": "This form is out of date: please choose the person again."},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].empty_label = "Choose a person"


def email_log(request, send_form=None):
    """Secretariat (of any group; superusers see all): every email of their groups with
    its delivery status and failure reason, who opted out of daily digests, and a form
    to send someone's digest now."""
    group_ids = secretariat_group_ids(request.user)
    people = people_in(group_ids).exclude(email="").order_by("name")
    emails = EmailFilter(
        request.GET, queryset=emails_in(group_ids).order_by("-created_at"), group_ids=group_ids
    )
    group = emails.form.cleaned_data.get("group") if emails.form.is_valid() else None
    opted_out = people_in({group.pk}) if group else people
    return render(
        request,
        "reminders/email_log.html",
        {
            "filter": emails,
            "page": Paginator(emails.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "opted_out": opted_out.filter(daily_digest_opt_out=True).order_by("name"),
            "send_form": send_form
            or SendDigestForm(people=people, initial={"token": secrets.token_hex(6)}),
        },
    )


@require_POST
def send_digest(request):
    """Secretariat: send one person of their groups today's digest now, even when they
    opted out of the daily ones; the daily digest still goes as planned."""
    group_ids = secretariat_group_ids(request.user)
    people = people_in(group_ids).exclude(email="").order_by("name")
    form = SendDigestForm(request.POST, people=people)
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


# Pages reached from an email, without a login ---------------------------------------------


def link_problem(request, title, explanation, status):
    return render(
        request,
        "reminders/link_problem.html",
        {"title": title, "explanation": explanation},
        status=status,
    )


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


@login_not_required
def action_update(request, token):
    """Whoever holds the signed link of a reminder email (bound to one person and one
    action, valid REMINDER_LINK_DAYS days): post an update to that action and set it
    ONGOING or RECOMMEND CLOSED, recorded as from that person via email link."""
    try:
        person_id, action_id = read_update_token(token)
    except signing.SignatureExpired:
        return link_problem(
            request,
            "This link has expired",
            "Update links in reminder emails work for a limited time. The next reminder "
            "brings a fresh link, or you can ask the group's secretariat to record your update.",
            410,
        )
    except signing.BadSignature:
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
        return link_problem(
            request,
            "This link no longer works",
            "You are no longer recorded as the owner of this action. Ask the group's "
            "secretariat if you think this is wrong.",
            403,
        )
    if action.status == ActionStatus.CLOSED:
        return link_problem(
            request,
            f"{action.reference} is closed",
            "The group has closed this action, so it takes no more updates.",
            409,
        )
    form = LinkUpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        action_add_update(
            action=action,
            text=form.cleaned_data["text"],
            date=timezone.localdate(),
            status=form.cleaned_data["status"],
            author=person,
            source=UpdateSource.EMAIL_LINK,
        )
        messages.success(
            request, f"Thank you, {person.name}: your update to {action.reference} is recorded."
        )
        return redirect(request.path)
    return render(
        request,
        "reminders/action_update.html",
        {
            "person": person,
            "action": action,
            "owner_display": action.owner_display(),
            "updates": action.updates.select_related("author")[:5],
            "form": form,
        },
    )


@login_not_required
def preferences(request, token):
    """Whoever holds the preferences link of an email: turn that person's daily digests
    off or on again (the weekly summary for chairs and secretariat still comes)."""
    try:
        person = Person.objects.filter(pk=read_preferences_token(token)).first()
    except signing.BadSignature:
        person = None
    if person is None:
        return link_problem(
            request,
            "This link is not valid",
            "Open the preferences link again from one of your reminder emails.",
            400,
        )
    if request.method == "POST":
        opt_out = request.POST.get("daily_digest") == "off"
        person.daily_digest_opt_out = opt_out
        person.daily_digest_opt_out_at = timezone.now() if opt_out else None
        person.save(update_fields=["daily_digest_opt_out", "daily_digest_opt_out_at"])
        messages.success(
            request,
            "You will no longer get daily reminder emails."
            if opt_out
            else "Daily reminder emails are on again.",
        )
        return redirect(request.path)
    return render(request, "reminders/preferences.html", {"person": person})
