"""Rendering a document to PDF: its source hashed, laid out from templates/documents/ by
WeasyPrint (in a process of its own: documents/pdf_renderer.py), and stored as a version.

What a document says comes from its kind's source (documents/registry.py), built by the
app that owns the data as plain data (dataclasses). The data are hashed with the
templates, so a new layout is a new version too; documents/services.py compares hashes
to serve an unchanged document from the store. The Celery task (documents/tasks.py)
calls render_and_store().
"""

import datetime
import hashlib
import json
import re
from dataclasses import asdict, is_dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from core.dates import uk_date
from core.storage import store_errors

from . import pdf_process
from .models import Document, DocumentStatus
from .pdf_renderer import renderer
from .registry import Source, get_kind

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "documents"


def build_source(document: Document) -> Source:
    """What the document says now, from its kind, meeting or group and parameters."""
    return get_kind(document.kind).source(document)


def _plain(value):
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"Cannot hash {type(value).__name__}")


@cache
def _templates_fingerprint() -> str:
    """Of the print templates only; the web pages under pages/ do not change a PDF."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if path.is_file() and "pages" not in path.relative_to(TEMPLATE_DIR).parts:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def source_hash(source: Source) -> str:
    """SHA-256 of the document's content and of the templates that lay it out."""
    payload = json.dumps(
        {
            "template": source.template,
            "title": source.title,
            "group": source.group_title,
            "classification": source.classification,
            "issue_date": source.issue_date,
            "label": source.label,
            "data": source.data,
            "site": settings.SITE_URL,
            "layout": _templates_fingerprint(),
        },
        default=_plain,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def render_html(source: Source, *, version: int, issued: datetime.date) -> str:
    return render_to_string(
        source.template,
        {
            "source": source,
            "data": source.data,
            "version": version,
            "label": source.label or f"Version {version}",
            "issue_date": source.issue_date or uk_date(issued),
            "site_url": settings.SITE_URL,
        },
    )


def lay_out(html: str):
    """The HTML laid out in pages by WeasyPrint in this process (the tests and benchmarks
    that read the pages' boxes); documents are rendered by render_pdf()."""
    return pdf_process.lay_out(html, settings.SITE_URL + "/")


def warm_up() -> None:
    """Start this process's renderer, which loads WeasyPrint, Pango and the fonts by
    laying out a scrap in the documents' styles, before the first real document (without
    waiting for it: Renderer.start)."""
    renderer.start()


def render_pdf(html: str) -> bytes:
    """PDF bytes of the HTML, laid out in the renderer process (documents/pdf_renderer.py).
    Raises RenderError (RenderTimeout past its time) or MemoryError past its memory."""
    return renderer.render(html).pdf


def file_name(document: Document) -> str:
    """ "DAG029 Minutes and Actions Issue 1.pdf" for an issued document (its parameters name
    the issue), else "DAG029 Headline Report v2.pdf": the name a download is saved under."""
    if document.meeting_id:
        subject = document.meeting.code
    else:
        subject = document.group.code
        if get_kind(document.kind).period:
            params = document.parameters
            subject += f" {params['start']} to {params['end']}"
    issue = document.parameters.get("issue")
    edition = f"Issue {issue}" if issue else f"v{document.version}"
    return f"{subject} {document.get_kind_display()} {edition}.pdf"


def render_and_store(document: Document) -> None:
    """Render the document as its data stand now and store the file (the task's work).

    Raises on any failure; the task records it. The file is saved only once the PDF is
    complete, so a failure never leaves a blank or partial file behind.
    """
    started = timezone.now()
    source = build_source(document)
    html = render_html(source, version=document.version, issued=timezone.localdate())
    pdf = render_pdf(html)
    storage_name = re.sub(r"[^\w.-]+", "-", file_name(document))
    with store_errors():  # a store that is down: StoreUnavailable, which the task retries
        document.file.save(storage_name, ContentFile(pdf), save=False)
    document.source_hash = source_hash(source)
    document.status = DocumentStatus.READY
    document.finished_at = timezone.now()
    document.duration_ms = int((document.finished_at - started).total_seconds() * 1000)
    document.error = ""
    document.save()
