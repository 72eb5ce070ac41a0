"""Accounts: a person's account page (invite, deactivate, reactivate, programme
administrator), accepting an invitation, one's own sessions, changing one's password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.models import Person
from core.permissions import (
    is_programme_administrator,
    may_appoint_programme_administrators,
    may_manage_account,
    may_see_people,
    person_of,
)
from core.security import client_ip, log_event
from core.throttle import RateLimit

from . import accounts
from .forms import InvitationAcceptForm
from .models import AccountEvent, Invitation, UserSession


def _person_for_account(request, pk):
    if not may_see_people(request.user) and not is_programme_administrator(request.user):
        raise Http404("No person matches the given query.")
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    if not may_manage_account(request.user, person):
        raise PermissionDenied("Only the secretariat of the person's group may manage it.")
    return person


@require_GET
def account(request, pk):
    """The secretariat of a group the person belongs to, or a programme administrator: the
    person's account, its history and what can be done with it."""
    person = _person_for_account(request, pk)
    user = person.user
    return render(
        request,
        "people/account.html",
        {
            "person": person,
            "account": user,
            "is_admin": person.programme_administrator,
            "may_appoint": may_appoint_programme_administrators(request.user),
            "events": AccountEvent.objects.filter(person=person).select_related("by__person"),
            "invitation": person.invitations.usable().first(),
            "sessions": user.tracked_sessions.count() if user is not None else 0,
            "second_factors": (
                sorted({a.get_type_display() for a in user.authenticator_set.all()})
                if user is not None
                else []
            ),
            "identities": (
                # The provider's id as configured (its name may since have changed or gone).
                sorted(user.socialaccount_set.values_list("provider", flat=True))
                if user is not None
                else []
            ),
        },
    )


ACCOUNT_CHANGES = {
    "invite",
    "deactivate",
    "reactivate",
    "grant_admin",
    "remove_admin",
    "reset_second_factor",
}


@require_POST
def account_change(request, pk, change):
    """The secretariat of a group the person belongs to, or a programme administrator:
    invite the person to log in, deactivate or reactivate their account, remove their
    second factor (lost) so they set one up again; a superuser:
    make them programme administrator or no longer."""
    if change not in ACCOUNT_CHANGES:
        raise Http404("No such change.")
    person = _person_for_account(request, pk)
    if change in ("grant_admin", "remove_admin") and not may_appoint_programme_administrators(
        request.user
    ):
        raise PermissionDenied("Only a superuser appoints programme administrators.")
    if change == "deactivate" and person.user_id == request.user.pk:
        messages.error(request, "You cannot deactivate your own account.")
        return redirect("people:account", pk=person.pk)
    try:
        if change == "invite":
            accounts.invite(person=person, by=request.user, request=request)
            done = f"Invitation to log in emailed to {person.email}."
        elif change == "deactivate":
            accounts.deactivate_account(
                person=person, by=request.user, ip=client_ip(request) or None, request=request
            )
            done = f"{person.name}'s account deactivated: their sessions have ended."
        elif change == "reset_second_factor":
            accounts.reset_second_factor(person=person, by=request.user, request=request)
            done = (
                f"{person.name}'s second factor removed and their sessions ended: they set "
                "one up again at their next sign-in."
            )
        elif change == "reactivate":
            accounts.reactivate_account(person=person, by=request.user, request=request)
            done = f"{person.name}'s account can log in again."
        else:
            granted = change == "grant_admin"
            accounts.set_programme_administrator(
                person=person, granted=granted, by=request.user, request=request
            )
            done = (
                f"{person.name} is {'now' if granted else 'no longer'} a programme administrator."
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("people:account", pk=person.pk)


def invitation_rate():
    return RateLimit("invitation-ip", settings.INVITATION_RATE, 600)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Whoever holds an invitation link: choose a user name and password, once, before it
    expires; then they are logged in. Requests are limited per client address."""
    if not invitation_rate().hit(client_ip(request)):
        log_event("invitation_throttled", request)
        return render(request, "people/invitation_invalid.html", {"throttled": True}, status=429)
    invitation = accounts.invitation_for(token)
    if invitation is None or not Invitation.objects.usable().filter(pk=invitation.pk).exists():
        log_event("invitation_invalid", request, invitation=getattr(invitation, "pk", None))
        return render(request, "people/invitation_invalid.html", status=410 if invitation else 404)
    person = invitation.person
    form = InvitationAcceptForm(request.POST or None, person=person)
    if request.method == "POST" and not settings.LOCAL_PASSWORDS:
        raise Http404("Passwords are switched off: accept with single sign-on.")
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data.get("username") or person.user.get_username()
        try:
            user = accounts.accept(
                invitation=invitation,
                username=username,
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ValidationError:
            return render(request, "people/invitation_invalid.html", status=410)
        if request.user.is_authenticated:
            logout(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {person.name}: you are logged in.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "people/invitation_accept.html",
        {
            "form": form,
            "person": person,
            "local_passwords": settings.LOCAL_PASSWORDS,
            "sso": bool(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]),
            "next": reverse("meetings:home"),
        },
    )


@require_http_methods(["GET", "POST"])
def my_sessions(request):
    """Anyone logged in: the sessions they are signed in with; sign out of the others, or
    of every one (this one too)."""
    if request.method == "POST":
        keep = request.POST.get("which") == "others"
        ended = accounts.sign_out_everywhere(user=request.user, request=request, keep_current=keep)
        if not keep:
            logout(request)
            return redirect("login")
        messages.success(request, f"Signed out of {ended} other session{'s' * (ended != 1)}.")
        return redirect("people:my_sessions")
    sessions = UserSession.objects.filter(user=request.user)
    return render(
        request,
        "people/sessions.html",
        {
            "sessions": sessions,
            "current_key": request.session.session_key,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "local_passwords": settings.LOCAL_PASSWORDS,
            "person": person_of(request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Anyone logged in: change their password; their other sessions end."""

    success_url = reverse_lazy("password_change_done")

    def dispatch(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            raise Http404("Passwords are switched off: sign in with single sign-on.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        accounts.password_changed(user=form.user, request=self.request, old_key=old_key)
        return response
