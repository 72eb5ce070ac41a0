"""Celery tasks of the meetings app: reading a large past paper for its import.

A paper too large to read while the secretariat's request waits (a long PDF) is read by
the worker: the pending import is saved "being read", this task reads its file through
the same checks as the page does (core.uploads), parsed in a bounded child process of the
worker (memory, CPU time and a timeout, inside the task's time limits: a hostile file ends
the child, never the worker), and leaves it awaiting commit with the paper read, or "could
not be read" with the reason. The preview page shows how far it has got until then, the
child telling the worker each page it has read.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from core.uploads import TOO_LARGE, TOO_SLOW, UploadRefused

from .paper_import.draft import PaperImport, PaperImportStatus
from .paper_import.read import NOT_READABLE, read_in_worker

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


def _progress(pk, percent, stage):
    PaperImport.objects.filter(pk=pk).update(progress=percent, stage=stage)


def _pages_read(pk):
    """The progress bar of a PDF: 10% once opened, up to 90% as its pages are read."""

    def told(done, total):
        _progress(pk, 10 + 80 * done // max(total, 1), f"Read page {done} of {total}")

    return told


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def read_paper_import(import_id: int) -> None:
    paper_import = PaperImport.objects.filter(
        pk=import_id, status=PaperImportStatus.READING
    ).first()
    if paper_import is None:  # read already (a redelivered message), or discarded
        return
    PaperImport.objects.filter(pk=import_id).update(read_started_at=timezone.now())
    _progress(import_id, 5, "Opening the file")
    with paper_import.source_file.open("rb") as source:
        content = source.read()
    _progress(import_id, 10, "Reading the paper")
    try:
        paper = read_in_worker(content, paper_import.filename, _pages_read(import_id))
    except UploadRefused as refused:
        outcome = {"status": PaperImportStatus.FAILED, "error": str(refused), "progress": 100}
    except (SoftTimeLimitExceeded, MemoryError) as error:
        message = TOO_SLOW if isinstance(error, SoftTimeLimitExceeded) else TOO_LARGE
        outcome = {"status": PaperImportStatus.FAILED, "error": message, "progress": 100}
    except Exception:  # noqa: BLE001 - any parser error means the file is not a paper
        logger.exception("Paper import %s could not be read", import_id)
        outcome = {"status": PaperImportStatus.FAILED, "error": NOT_READABLE, "progress": 100}
    else:
        outcome = {"status": PaperImportStatus.PENDING, "paper": paper.to_json(), "progress": 100}
    reading = PaperImport.objects.filter(pk=import_id, status=PaperImportStatus.READING)
    with transaction.atomic():
        reading.update(stage="", **outcome)
