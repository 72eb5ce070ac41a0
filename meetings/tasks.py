"""Celery tasks of the meetings app: reading a large past paper for its import.

A paper too large to read while the secretariat's request waits (a long PDF) is read by
the worker: the pending import is saved "being read", this task reads its file through
the same bounded reader as the page does (core.uploads: a child process under a memory
and time limit) and leaves it awaiting commit with the paper read, or "could not be read"
with the reason. The preview page shows how far it has got until then.
"""

from celery import shared_task
from django.db import transaction

from core.uploads import UploadRefused

from .paper_import.draft import PaperImport, PaperImportStatus
from .paper_import.read import read_file

SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


def _progress(pk, percent):
    PaperImport.objects.filter(pk=pk).update(progress=percent)


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def read_paper_import(import_id: int) -> None:
    paper_import = PaperImport.objects.filter(
        pk=import_id, status=PaperImportStatus.READING
    ).first()
    if paper_import is None:  # read already (a redelivered message), or discarded
        return
    _progress(import_id, 10)
    with paper_import.source_file.open("rb") as source:
        content = source.read()
    _progress(import_id, 30)
    try:
        paper = read_file(content, paper_import.filename)
    except UploadRefused as refused:
        outcome = {"status": PaperImportStatus.FAILED, "error": str(refused), "progress": 100}
    else:
        outcome = {"status": PaperImportStatus.PENDING, "paper": paper.to_json(), "progress": 100}
    with transaction.atomic():
        PaperImport.objects.filter(pk=import_id, status=PaperImportStatus.READING).update(**outcome)
