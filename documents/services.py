"""Asking for documents: the stored version when nothing changed, or a new version queued
for the worker; retries; and telling a render that will not finish (a stalled one).

A document is asked for with request_document(); a Celery task (documents/tasks.py)
renders it. The source is hashed (documents/rendering.py): when the newest stored
version has the same hash it is served as it is, otherwise a new version is made and the
older ones stay downloadable.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.references import allocate, lock_scope

from .models import Document, DocumentStatus
from .registry import MEETING, UnknownKind, get_kind, kinds
from .rendering import build_source, source_hash

IN_FLIGHT = (DocumentStatus.QUEUED, DocumentStatus.RENDERING)
# A render still "rendering" after this long was killed (time or memory limit) and will
# not finish: it is shown stalled, with a retry. Longer than the task's hard limit.
STALE_AFTER = datetime.timedelta(minutes=3)
# A render not started this long after it was asked for has most likely lost its message
# or its worker; the page shows it stalled and offers to queue it again (a duplicate is
# harmless: the task skips a version already rendered). Longer than the task's retries on
# a busy database take.
QUEUED_STALE_AFTER = datetime.timedelta(minutes=5)

logger = logging.getLogger(__name__)


def scope_of(kind, *, meeting=None, group=None, parameters=None) -> str:
    """ "meeting:12", "group:3", or "group:3:2024-03-01:2024-06-04" for a kind whose
    periods are separate series (the CR status report)."""
    if kind.scope == MEETING:
        return f"meeting:{meeting.pk}"
    scope = f"group:{group.pk}"
    if kind.period:
        scope += f":{parameters['start']}:{parameters['end']}"
    return scope


def stale_reason(document: Document) -> str:
    """Why a render that is still queued or rendering will not finish by itself, or ""."""
    status, started, asked = document.status, document.started_at, document.requested_at
    now = timezone.now()
    if status == DocumentStatus.RENDERING and started and now - started > STALE_AFTER:
        return "The render was stopped before it finished (time or memory limit)."
    if status == DocumentStatus.QUEUED and asked and now - asked > QUEUED_STALE_AFTER:
        return "The render has not started: the document worker may be stopped."
    return ""


def is_stale(document: Document) -> bool:
    return bool(stale_reason(document))


def stalled_documents():
    """The documents stale_reason() finds stalled, as a query (for /healthz)."""
    now = timezone.now()
    return Document.objects.filter(
        Q(status=DocumentStatus.RENDERING, started_at__lt=now - STALE_AFTER)
        | Q(status=DocumentStatus.QUEUED, requested_at__lt=now - QUEUED_STALE_AFTER)
    )


def _dispatch(document: Document) -> None:
    from .tasks import render_document

    render_document.delay(document.pk)


def _queue(document: Document) -> None:
    """Send the render to the worker once the request's transaction commits. A broker
    that does not answer fails the document, with a retry, instead of leaving it queued
    (or the user's request ending in an error)."""

    def send():
        try:
            _dispatch(document)
        except OperationalError:
            logger.exception("Queueing document %s failed", document.pk)
            Document.objects.filter(pk=document.pk, status=DocumentStatus.QUEUED).update(
                status=DocumentStatus.FAILED,
                error="The render could not be queued: the task queue is not answering.",
                finished_at=timezone.now(),
            )

    transaction.on_commit(send)


@transaction.atomic
def request_document(*, kind, user=None, meeting=None, group=None, parameters=None) -> Document:
    """The document as its data stand now: the stored version when nothing changed, the
    one already being rendered for the same data, or a new version queued for the worker.

    `kind` is the key of a registered kind (documents/registry.py); `parameters` what its
    form asks for: {"classification": ...} for group documents, plus {"start", "end"}
    (ISO dates) for a kind with periods.
    """
    try:
        kind = get_kind(kind)
    except UnknownKind as exc:
        raise ValidationError({"kind": str(exc)}) from exc
    parameters = dict(parameters or {})
    if kind.scope == MEETING:
        group = meeting.group
    else:
        meeting = None
    scope = scope_of(kind, meeting=meeting, group=group, parameters=parameters)
    # Two requests for the same data at once make one version, not two. allocate() below
    # takes this same lock again, which a transaction may do.
    lock_scope(f"document:{kind.key}:{scope}")
    draft = Document(
        kind=kind.key, scope=scope, meeting=meeting, group=group, parameters=parameters
    )
    digest = source_hash(build_source(draft))
    versions = Document.objects.filter(kind=kind.key, scope=scope)
    newest = versions.order_by("-version").first()
    if newest is not None and newest.source_hash == digest:
        if newest.status == DocumentStatus.READY or (
            newest.status in IN_FLIGHT and not is_stale(newest)
        ):
            return newest
        # The same data failed (or died) last time: try that version again.
        return retry_document(newest, user=user)
    draft.version = allocate(
        kind="document",
        scope=f"{kind.key}:{scope}",
        in_use=versions.values_list("version", flat=True),
    )
    draft.source_hash = digest
    draft.requested_by = user if user and user.is_authenticated else None
    draft.full_clean()
    draft.save()
    _queue(draft)
    return draft


@transaction.atomic
def retry_document(document: Document, *, user=None) -> Document:
    """Queue a failed (or dead) render again under the same version number; who asked and
    when become the retry's."""
    document.status = DocumentStatus.QUEUED
    document.error = ""
    document.requested_at = timezone.now()
    document.started_at = document.finished_at = document.duration_ms = None
    if user is not None and user.is_authenticated:
        document.requested_by = user
    document.save()
    _queue(document)
    return document


def documents_on_minutes_issued(*, meeting, user, parameters=None) -> list[Document]:
    """Queue every document of a meeting (the Minutes and Actions and the Headline
    Report) when its minutes were just issued (called by the minutes workflow), each with
    its parameters from `parameters` ({kind key: {...}}, e.g. the number of the issue)."""
    parameters = parameters or {}
    return [
        request_document(
            kind=kind.key, user=user, meeting=meeting, parameters=parameters.get(kind.key)
        )
        for kind in kinds(MEETING)
    ]
