"""The "API tokens" page: a user makes personal tokens for the REST API (each shown once,
when made), sees when each was last used and revokes them. Anyone logged in, for their
own tokens only."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .models import ApiToken
from .tokens import LIFETIMES, token_create, token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text='What it is for, e.g. "Power BI dashboard".')
    days = forms.TypedChoiceField(
        label="Expires after",
        choices=list(LIFETIMES.items()),
        coerce=int,
        initial=90,
    )
    read_only = forms.BooleanField(
        label="Read only (it cannot change anything)", required=False, initial=True
    )


def token_list(request):
    """The user's tokens; POST makes a new one and shows it this once."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, new_token = token_create(
            user=request.user, name=data["name"], days=data["days"], read_only=data["read_only"]
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    # Never cached: the page may hold a token just made.
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke_view(request, pk):
    """The token's own user: revoke it; requests with it are refused from now on."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("api:tokens")
