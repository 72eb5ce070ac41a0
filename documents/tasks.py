"""Celery tasks of the documents app: rendering documents to PDF.

A render is bounded in time (Celery's soft and hard limits; the soft one lets the task
record the failure) and its layout in memory and CPU time too: it runs in the worker
process's renderer (documents/pdf_renderer.py), a process of its own holding only
WeasyPrint, which lays each document out in a child capped in address space, so a
runaway document fails with MemoryError instead of growing the worker or starving its
machine (where the system enforces RLIMIT_AS: Linux does, macOS takes the limit without
enforcing it). Whatever
happens, the Document row ends READY with a complete file or FAILED with the reason:
never a blank file. A render killed outright (hard limit) leaves the row "rendering"; the
redelivered message, or the page after STALE_AFTER, shows it stalled with a retry.
A file store that does not answer (S3 down, a full disk) is not a failure of the
document either: the task tries again the same way, the row staying "rendering" (never
ready without its file), and after the last try it is failed with the reason, for the
secretariat to retry.
A database that stays busy (SQLite's "database is locked", in the quick start, when
another process holds the write lock past its busy timeout) is not a failure of the
document: the task tries again later, a bounded number of times with a growing delay.
Each worker process starts its renderer when it starts (warm_up_renderer), so no user
waits for WeasyPrint and the fonts to load.
memory_guard() caps the address space the worker process itself may add (the paper
importer's reading, meetings/tasks.py).
"""

import gc
import logging
import resource
from contextlib import contextmanager

import psutil
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.db import OperationalError, transaction
from django.utils import timezone

from core.storage import StoreUnavailable, store_errors

from .models import Document, DocumentStatus
from .pdf_renderer import MEMORY_LIMIT_MB, RenderError, RenderTimeout
from .rendering import render_and_store, warm_up

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 60  # seconds; the DAG029 minutes take about one
TIME_LIMIT = 90
# Tries again on a busy database or a file store that is down after 2, 4, 8, 16 then 30
# seconds; past that the page shows the document stalled (busy database) or failed (store
# down), with a retry.
BUSY_RETRIES = 5
BUSY_DELAY_MAX = 30


def _address_space() -> int:
    """Bytes of address space the process has mapped now (psutil: Linux, macOS...)."""
    return psutil.Process().memory_info().vms


@contextmanager
def memory_guard(limit_mb: int):
    """Let the process map at most `limit_mb` more while inside; an allocation past that
    raises MemoryError. Only the soft limit is lowered, so it is restored afterwards.
    Where the system has no address-space limit to set, the render runs without a cap
    (the time limits still apply)."""
    if not hasattr(resource, "RLIMIT_AS"):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + limit_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        logger.warning("This system refuses an address-space limit: rendering without one")
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _fail(document: Document, error: str) -> None:
    if document.file:
        try:
            with store_errors():
                document.file.delete(save=False)
        except StoreUnavailable:
            # The failure is recorded all the same; the file left behind is never served
            # (the version is not ready) and a retry stores a new one.
            document.file = ""
    document.status = DocumentStatus.FAILED
    document.error = error
    document.finished_at = timezone.now()
    if document.started_at:
        elapsed = document.finished_at - document.started_at
        document.duration_ms = int(elapsed.total_seconds() * 1000)
    document.save(update_fields=["status", "error", "file", "finished_at", "duration_ms"])


def database_busy(exc: Exception) -> bool:
    """Whether the database refused for being busy rather than for what was asked."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def _start(document_id: int, resumed: str | None = None) -> Document | None:
    """Mark the document RENDERING, or None when there is nothing to do. `resumed` is the
    start time of this task's own render that a busy database interrupted."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status in (DocumentStatus.READY, DocumentStatus.FAILED):
            return None
        if document.status == DocumentStatus.RENDERING and (
            resumed is None or document.started_at.isoformat() != resumed
        ):
            # A delivery started before and never finished: the worker was killed.
            _fail(document, "The render was stopped before it finished (time or memory limit).")
            return None
        document.status = DocumentStatus.RENDERING
        document.started_at = timezone.now()
        document.save(update_fields=["status", "started_at"])
    return document


@worker_process_init.connect
def warm_up_renderer(**kwargs) -> None:
    """Each worker process starts its renderer (WeasyPrint and the fonts loaded) when it
    starts rather than during the first document a user waits for. A failure here is
    logged, never fatal: the render itself then fails with the reason, shown to the user.

    Then everything loaded so far (Django, the apps) is frozen out of the garbage
    collector's reach: reading a document's data and writing its HTML allocate heavily,
    and without this every full collection walks that long-lived heap again."""
    try:
        warm_up()
    except Exception:
        logger.exception("Warming up the document renderer failed")
    gc.collect()
    gc.freeze()


def _render(document: Document) -> None:
    """Render and store, or record why not; a busy database is raised for a retry."""
    try:
        render_and_store(document)
    except (SoftTimeLimitExceeded, RenderTimeout):
        _fail(document, f"Rendering took longer than {SOFT_TIME_LIMIT} seconds and was stopped.")
    except MemoryError:
        _fail(document, f"Rendering needed more than {MEMORY_LIMIT_MB} MB and was stopped.")
    except RenderError as exc:
        _fail(document, f"Rendering failed: {exc}"[:1000])
    except Exception as exc:
        if database_busy(exc):
            if document.file:  # stored, but the row could not be told: the retry stores anew
                document.file.delete(save=False)
            raise
        if isinstance(exc, StoreUnavailable):
            # Not the document's fault: raised for a retry, the row left "rendering".
            raise
        logger.exception("Rendering document %s failed", document.pk)
        _fail(document, f"Rendering failed: {type(exc).__name__}: {exc}"[:1000])


@shared_task(
    bind=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT, max_retries=BUSY_RETRIES
)
def render_document(self, document_id: int, resumed: str | None = None) -> str:
    """Render and store one queued Document; returns its final status."""
    document = None
    try:
        document = _start(document_id, resumed)
        if document is None:
            return "skipped"
        _render(document)
    except StoreUnavailable as exc:
        if self.request.retries >= self.max_retries:
            # Still down after the last try: failed with the reason, which the
            # secretariat retries from the document's page once the store is back.
            _fail(document, f"Storing the PDF failed: {exc}")
            return document.status
        delay = min(2 ** (self.request.retries + 1), BUSY_DELAY_MAX)
        logger.warning("Document %s: file store down, trying again in %s s", document_id, delay)
        resumed = document.started_at.isoformat()
        raise self.retry(exc=exc, countdown=delay, args=(document_id, resumed)) from exc
    except OperationalError as exc:
        if not database_busy(exc):
            raise
        # The retry may take up a render this task began: its start time tells it from a
        # render killed midway, which is failed instead.
        if document is not None:
            resumed = document.started_at.isoformat()
        delay = min(2 ** (self.request.retries + 1), BUSY_DELAY_MAX)
        logger.warning("Document %s: database busy, trying again in %s s", document_id, delay)
        raise self.retry(exc=exc, countdown=delay, args=(document_id, resumed)) from exc
    return document.status
