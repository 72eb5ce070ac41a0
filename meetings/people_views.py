"""Adding someone new to the tracker from a person picker (owners, agenda leads, change
request raisers and owners, RAID owners). With JavaScript the picker opens the form in
place and selects the person from the answer; without, a page that goes back to where the
secretariat was."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from core.models import initials_from
from core.permissions import may_add_people

from .attendance_forms import PersonNewForm
from .services import person_create


def safe_next(request):
    """The `next` address (posted or in the query string) when it is on this site, else ""."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


@require_http_methods(["GET", "POST"])
def person_new(request):
    """The secretariat of any group (the people directory is programme-wide): record someone
    new. With htmx (the picker) a saved person is answered as {"id", "label"} and a form with
    errors is redrawn in place (200: the browser's console stays clean); without, the page
    returns to `next` once saved."""
    if not may_add_people(request.user):
        raise PermissionDenied("Only the secretariat may add people to the tracker.")
    next_url = safe_next(request)
    if request.method == "POST":
        form = PersonNewForm(request.POST)
        if form.is_valid():
            person = person_create(**form.cleaned_data)
            if request.htmx:
                return JsonResponse({"id": person.pk, "label": str(person)}, status=201)
            messages.success(request, f"{person.name} added to the tracker.")
            return redirect(next_url or person.get_absolute_url())
    else:
        name = " ".join(request.GET.get("name", "").split())[:200]
        form = PersonNewForm(initial={"name": name, "initials": initials_from(name)})
    template = "meetings/person_new.html"
    if request.htmx:
        template += "#person-form"
    return render(request, template, {"form": form, "next": next_url})
