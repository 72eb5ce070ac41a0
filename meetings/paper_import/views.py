"""The pages of a paper's import: upload on the group's page, the preview of the whole
meeting (every cell correctable, the problems beside each row, who each unknown name is),
commit, and undo of a committed batch. Only the group's secretariat (Perm.EDIT on the group)
may import; nothing is written before the commit but the pending import itself."""

import datetime

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.models import GovernanceGroup
from core.permissions import Perm, get_object_for_user
from core.uploads import UploadRefused

from ..tasks import TIME_LIMIT, read_paper_import
from .commit import ImportRefused, import_commit, import_undo
from .draft import PaperImport, PaperImportStatus
from .forms import PaperUploadForm
from .interpret import NEW
from .model import Paper
from .preview import build_preview
from .read import read_file, read_pasted

# Files larger than this, and PDFs (slow to read), are read by the worker.
READ_LATER_BYTES = 512 * 1024

# The cells the preview lets the secretariat correct, per section of the paper.
EDITABLE = {
    "attendance": ("name", "initials", "role", "on_behalf_of", "note"),
    "agenda": ("number", "title", "lead", "objective", "minutes", "paper_text"),
    "actions": (
        "reference",
        "item",
        "area",
        "text",
        "owner",
        "due",
        "date_raised",
        "status",
        "status_date",
        "update",
    ),
    "decisions": ("reference", "item", "area", "wording"),
    "change_requests": ("reference", "item", "title"),
    "raid": ("reference", "item", "description"),
}
HEADER_EDITABLE = (
    "date", "start_time", "end_time", "venue", "classification", "issue_date",
    "paper_title", "paper_reference", "paper_version",
)  # fmt: skip


TITLES = {
    "attendance": "Attendance",
    "agenda": "Agenda and minutes",
    "actions": "Actions",
    "decisions": "Decisions",
    "change_requests": "Change requests presented",
    "raid": "RAID items discussed",
}
LABELS = {
    "date": "Date",
    "start_time": "Start",
    "end_time": "End",
    "venue": "Venue",
    "classification": "Classification",
    "issue_date": "Issue date",
    "paper_title": "Title as printed",
    "paper_reference": "Document reference",
    "paper_version": "Version",
    "on_behalf_of": "On behalf of",
    "paper_text": "Paper presented",
    "date_raised": "Raised",
    "status_date": "Status date",
    "update": "Latest update",
    "item": "Item",
    "reference": "Ref",
}
LONG = {"text", "minutes", "paper_text", "update", "wording", "objective", "description"}


def _group_for_import(user, code):
    """The group, for its secretariat: 404 to someone who may not see it, 403 to a reader."""
    return get_object_for_user(user, GovernanceGroup.objects, Perm.EDIT, code=code.upper())


def _import_for(user, pk):
    return get_object_for_user(user, PaperImport.objects.select_related("group"), Perm.EDIT, pk=pk)


def paper_import_new(request, code):
    """The group's secretariat: upload a past paper, or paste its text, to preview it."""
    group = _group_for_import(request.user, code)
    form = PaperUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload and (upload.size > READ_LATER_BYTES or upload.name.lower().endswith(".pdf")):
            return _read_later(request, group, upload)
        try:
            if upload:
                content, filename = upload.read(), upload.name
                paper = read_file(content, filename)
            else:
                filename = "pasted text.txt"
                content = form.cleaned_data["text"].encode("utf-8", errors="replace")
                paper = read_pasted(form.cleaned_data["text"], filename)
        except UploadRefused as refused:
            form.add_error("file" if upload else "text", str(refused))
        else:
            draft = PaperImport(
                group=group, created_by=request.user, filename=filename[:255], paper=paper.to_json()
            )
            draft.source_file.save(filename, ContentFile(content), save=False)
            draft.save()
            return redirect("meetings:paper_import_preview", pk=draft.pk)
    pending = PaperImport.objects.filter(group=group).exclude(status=PaperImportStatus.UNDONE)[:20]
    return render(
        request,
        "meetings/paper_import_new.html",
        {"group": group, "form": form, "imports": pending},
    )


def _read_later(request, group, upload):
    """A PDF or a large file: kept and read by the worker, the preview showing progress."""
    draft = PaperImport(
        group=group,
        created_by=request.user,
        filename=upload.name[:255],
        status=PaperImportStatus.READING,
    )
    draft.source_file.save(upload.name, upload, save=False)
    draft.save()
    transaction.on_commit(lambda: read_paper_import.delay(draft.pk))
    return redirect("meetings:paper_import_preview", pk=draft.pk)


def paper_import_preview(request, pk):
    """The group's secretariat: the whole meeting the paper holds, to correct and commit."""
    paper_import = _import_for(request.user, pk)
    reading = paper_import.status == PaperImportStatus.READING
    stopped = reading and _reading_stopped(paper_import)
    if request.htmx and (not reading or stopped):
        # The reading page polls: once read (or stopped), the browser opens the page itself.
        return HttpResponseClientRedirect(request.get_full_path())
    if reading or paper_import.status == PaperImportStatus.FAILED:
        # Still being read by the worker (the page reloads itself), or could not be read.
        return render(
            request,
            "meetings/paper_import_reading.html",
            {"paper_import": paper_import, "stopped": stopped},
        )
    if request.method == "POST" and paper_import.status == PaperImportStatus.PENDING:
        paper = _corrected(Paper.from_json(paper_import.paper), request.POST)
        paper_import.paper = paper.to_json()
        for key, value in request.POST.items():
            if key.startswith("person:") and value:
                paper_import.people[key.removeprefix("person:")] = value
        paper_import.save(update_fields=["paper", "people"])
        if "commit" in request.POST:
            try:
                meeting = import_commit(paper_import=paper_import, user=request.user)
            except ImportRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, f"{meeting.code} imported from {paper_import.filename}.")
                return redirect(meeting)
        return redirect("meetings:paper_import_preview", pk=pk)
    paper = Paper.from_json(paper_import.paper)
    preview = build_preview(group=paper_import.group, paper=paper, people=paper_import.people)
    meeting_row = preview.rows["meeting"][0]
    header = [(name, LABELS.get(name, name), meeting_row.values[name]) for name in HEADER_EDITABLE]
    sections = [
        (
            section,
            TITLES[section],
            [LABELS.get(name, name) for name in names],
            [
                (row, [(name, row.values[name], name in LONG) for name in names])
                for row in preview.rows[section]
            ],
        )
        for section, names in EDITABLE.items()
        if preview.rows[section]
    ]
    return render(
        request,
        "meetings/paper_import_preview.html",
        {
            "paper_import": paper_import,
            "preview": preview,
            "meeting_row": meeting_row,
            "header": header,
            "sections": sections,
            "pending": paper_import.status == PaperImportStatus.PENDING,
            "NEW": NEW,
        },
    )


@require_POST
def paper_import_undo(request, pk):
    """The group's secretariat: undo a committed import while none of its records changed."""
    paper_import = _import_for(request.user, pk)
    try:
        import_undo(paper_import=paper_import)
    except ImportRefused as refused:
        messages.error(request, f"The import cannot be undone: {refused}")
    else:
        messages.success(request, f"The import of {paper_import.filename} was undone.")
    return redirect("meetings:paper_import_new", code=paper_import.group.code)


def _reading_stopped(paper_import) -> bool:
    """The worker began reading longer ago than the task may run: its process was stopped
    (the hard time limit, out of memory) and the read will never finish."""
    started = paper_import.read_started_at
    limit = datetime.timedelta(seconds=TIME_LIMIT + 30)
    return started is not None and started < timezone.now() - limit


def _corrected(paper, data):
    """The paper with the cells the preview posted (cell:<section>:<row>:<field>)."""
    header = paper.header
    for name in HEADER_EDITABLE:
        if f"header:{name}" in data:
            setattr(header, name, data[f"header:{name}"].replace("\x00", "").strip())
    if "header:number" in data:
        number = data["header:number"].strip()
        header.number = int(number) if number.isdigit() else None
    for section, names in EDITABLE.items():
        for index, row in enumerate(getattr(paper, section)):
            for name in names:
                key = f"cell:{section}:{index}:{name}"
                if key in data:
                    setattr(row, name, data[key].replace("\x00", "").strip())
    return paper
