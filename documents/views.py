"""Pages for the PDF documents: ask for a render, watch it, download any version.

Members and observers of a group see and download its documents; its secretariat asks
for renders and retries failed ones. A render runs in the Celery worker: the document's
page polls its status with htmx until the download link appears (without JavaScript, a
refresh link does the same).
"""

import datetime

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.models import GovernanceGroup
from core.permissions import Perm, get_object_for_user, user_can
from meetings.models import Classification, Meeting
from meetings.views import meeting_header

from .models import Document, DocumentKind, DocumentStatus
from .rendering import (
    GROUP_KINDS,
    MEETING_KINDS,
    file_name,
    request_document,
    retry_document,
    stale_reason,
)

# The papers' CR status slide covers "Change Requests raised in the last three months".
CR_PERIOD_DAYS = 91
CR_PERIOD_MAX_DAYS = 3 * 366


class GroupDocumentForm(forms.Form):
    classification = forms.ChoiceField(
        choices=Classification.choices, initial=Classification.PUBLIC
    )

    def parameters(self) -> dict:
        return {"classification": self.cleaned_data["classification"]}


def _date_field(label):
    return forms.DateField(
        label=label,
        help_text="dd/mm/yyyy",
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
    )


class CrPeriodForm(GroupDocumentForm):
    start = _date_field("From")
    end = _date_field("To")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The period must end on or after its first day.")
            elif (end - start).days > CR_PERIOD_MAX_DAYS:
                self.add_error("end", "Choose a period of three years or less.")
        return cleaned

    def parameters(self) -> dict:
        return {
            **super().parameters(),
            "start": self.cleaned_data["start"].isoformat(),
            "end": self.cleaned_data["end"].isoformat(),
        }


FORMS = {
    DocumentKind.OPEN_ACTIONS: GroupDocumentForm,
    DocumentKind.CR_STATUS: CrPeriodForm,
    DocumentKind.RAID: GroupDocumentForm,
}


def _kind(value, allowed) -> DocumentKind:
    if value not in allowed:
        raise Http404("No such document.")
    return DocumentKind(value)


def _describe(document: Document) -> Document:
    """Add what the pages show: who asked (their name when known) and the CR period."""
    user = document.requested_by
    person = getattr(user, "person", None) if user else None
    document.requester = person.name if person else (user.get_username() if user else "")
    params = document.parameters or {}
    document.period = (
        " to ".join(
            datetime.date.fromisoformat(params[key]).strftime("%d/%m/%Y")
            for key in ("start", "end")
        )
        if "start" in params
        else ""
    )
    return document


def _versions(documents) -> dict[str, list[Document]]:
    by_kind = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(_describe(document))
    return by_kind


def meeting_documents(request, pk):
    """Members and observers of the meeting's group: its Minutes and Actions and Headline
    Report, every version; the secretariat may render them."""
    meeting = get_object_for_user(request.user, Meeting.objects.select_related("group"), pk=pk)
    versions = _versions(
        meeting.documents.filter(kind__in=MEETING_KINDS)
        .select_related("requested_by__person")
        .order_by("kind", "-version")
    )
    return render(
        request,
        "documents/pages/meeting.html",
        {
            **meeting_header(request, meeting, "documents"),
            "sections": [(kind, versions.get(kind, [])) for kind in MEETING_KINDS],
        },
    )


@require_POST
def meeting_document_request(request, pk, kind):
    """Secretariat of the meeting's group: render the document (or get the stored one)."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group"), Perm.EDIT, pk=pk
    )
    document = request_document(kind=_kind(kind, MEETING_KINDS), user=request.user, meeting=meeting)
    return redirect("meetings:document_detail", pk=document.pk)


def _group_forms(data=None, kind=None):
    today = timezone.localdate()
    initial = {"start": today - datetime.timedelta(days=CR_PERIOD_DAYS), "end": today}
    return {
        each: FORMS[each](data if each == kind else None, initial=initial, prefix=each)
        for each in GROUP_KINDS
    }


def _group_page(request, group, forms_by_kind, status=200):
    versions = _versions(
        group.documents.filter(kind__in=GROUP_KINDS)
        .select_related("requested_by__person")
        .order_by("kind", "-requested_at", "-version")
    )
    return render(
        request,
        "documents/pages/group.html",
        {
            "group": group,
            "can_edit": user_can(request.user, Perm.EDIT, group),
            "sections": [
                (
                    kind,
                    forms_by_kind[kind],
                    versions.get(kind, []),
                    kind == DocumentKind.CR_STATUS,  # its versions differ by period
                )
                for kind in GROUP_KINDS
            ],
        },
        status=status,
    )


def group_documents(request, code):
    """Members and observers of the group: its open-actions, CR status and RAID reports,
    every version; the secretariat may render them."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), code=code)
    return _group_page(request, group, _group_forms())


@require_POST
def group_document_request(request, code, kind):
    """Secretariat of the group: render a report with the classification (and, for the CR
    status report, the period) chosen; errors are shown next to the fields."""
    group = get_object_for_user(request.user, GovernanceGroup.objects.all(), Perm.EDIT, code=code)
    kind = _kind(kind, GROUP_KINDS)
    forms_by_kind = _group_forms(request.POST, kind)
    form = forms_by_kind[kind]
    if not form.is_valid():
        return _group_page(request, group, forms_by_kind, status=400)
    document = request_document(
        kind=kind, user=request.user, group=group, parameters=form.parameters()
    )
    return redirect("meetings:document_detail", pk=document.pk)


def _document_for(user, pk, perm=Perm.VIEW) -> Document:
    return get_object_for_user(
        user,
        Document.objects.select_related("meeting__group", "group", "requested_by__person"),
        perm,
        pk=pk,
    )


def document_detail(request, pk):
    """Members and observers of the group: one version of a document and its state. htmx
    polls this URL for the status partial until the render is ready or has failed."""
    document = _describe(_document_for(request.user, pk))
    context = {
        "document": document,
        "stale": stale_reason(document),
        "can_edit": user_can(request.user, Perm.EDIT, document),
        "download_name": file_name(document),
    }
    if request.htmx:
        return render(request, "documents/pages/detail.html#status", context)
    return render(request, "documents/pages/detail.html", context)


def document_download(request, pk):
    """Members and observers of the group: the PDF of a ready version."""
    document = _document_for(request.user, pk)
    if document.status != DocumentStatus.READY:
        raise Http404("This version has no file.")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=file_name(document),
        content_type="application/pdf",
    )


@require_POST
def document_retry(request, pk):
    """Secretariat of the group: queue a failed (or stopped) render again."""
    document = _document_for(request.user, pk, Perm.EDIT)
    if document.status == DocumentStatus.FAILED or stale_reason(document):
        retry_document(document, user=request.user)
    if request.htmx:
        return document_detail(request, pk)
    return redirect("meetings:document_detail", pk=document.pk)
