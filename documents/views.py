"""Pages for the PDF documents: ask for a render, watch it, download any version.

Members and observers of a group see and download its documents; its secretariat asks
for renders and retries failed ones. A render runs in the Celery worker: the document's
page polls its status with htmx until the download link appears (without JavaScript, a
refresh link does the same).
"""

import datetime

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.models import GovernanceGroup
from core.permissions import Perm, get_object_for_user, user_can
from core.storage import download

from .models import Document, DocumentStatus
from .registry import GROUP, MEETING, Kind, UnknownKind, get_kind, kinds, meeting_page_context
from .rendering import file_name
from .services import request_document, retry_document, stale_reason

# Found through the FK, so this app imports no feature app.
Meeting = Document._meta.get_field("meeting").related_model


def _kind(key, scope) -> Kind:
    try:
        kind = get_kind(key)
    except UnknownKind:
        raise Http404("No such document.") from None
    if kind.scope != scope:
        raise Http404("No such document.")
    return kind


def _describe(document: Document) -> Document:
    """Add what the pages show: who asked (their name when known), the CR period and why
    a render is stalled ("" when it is not)."""
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
    document.stalled = stale_reason(document)
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
    meeting_kinds = kinds(MEETING)
    versions = _versions(
        meeting.documents.filter(kind__in=[kind.key for kind in meeting_kinds])
        .select_related("requested_by__person")
        .order_by("kind", "-version")
    )
    return render(
        request,
        "documents/pages/meeting.html",
        {
            **meeting_page_context(request, meeting),
            "sections": [(kind, versions.get(kind.key, [])) for kind in meeting_kinds],
        },
    )


@require_POST
def meeting_document_request(request, pk, kind):
    """Secretariat of the meeting's group: render the document (or get the stored one)."""
    meeting = get_object_for_user(
        request.user, Meeting.objects.select_related("group"), Perm.EDIT, pk=pk
    )
    kind = _kind(kind, MEETING)
    document = request_document(kind=kind.key, user=request.user, meeting=meeting)
    return redirect("meetings:document_detail", pk=document.pk)


def _group_forms(data=None, key=None):
    """{kind key: its form}, bound to `data` for the kind `key` only."""
    return {
        kind.key: kind.form(data if kind.key == key else None, prefix=kind.key)
        for kind in kinds(GROUP)
    }


def _group_page(request, group, forms_by_kind, status=200):
    group_kinds = kinds(GROUP)
    versions = _versions(
        group.documents.filter(kind__in=[kind.key for kind in group_kinds])
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
                (kind, forms_by_kind[kind.key], versions.get(kind.key, [])) for kind in group_kinds
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
    kind = _kind(kind, GROUP)
    forms_by_kind = _group_forms(request.POST, kind.key)
    form = forms_by_kind[kind.key]
    if not form.is_valid():
        return _group_page(request, group, forms_by_kind, status=400)
    document = request_document(
        kind=kind.key, user=request.user, group=group, parameters=form.parameters()
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
        "can_edit": user_can(request.user, Perm.EDIT, document),
        "download_name": file_name(document),
    }
    if request.htmx:
        return render(request, "documents/pages/detail.html#status", context)
    return render(request, "documents/pages/detail.html", context)


def document_download(request, pk):
    """Members and observers of the group: the PDF of a ready version, streamed from the
    store (filesystem or S3) after the check."""
    document = _document_for(request.user, pk)
    if document.status != DocumentStatus.READY:
        raise Http404("This version has no file.")
    return download(document.file, filename=file_name(document), content_type="application/pdf")


@require_POST
def document_retry(request, pk):
    """Secretariat of the group: queue a failed (or stalled) render again."""
    document = _document_for(request.user, pk, Perm.EDIT)
    if document.status == DocumentStatus.FAILED or stale_reason(document):
        retry_document(document, user=request.user)
    if request.htmx:
        return document_detail(request, pk)
    return redirect("meetings:document_detail", pk=document.pk)
