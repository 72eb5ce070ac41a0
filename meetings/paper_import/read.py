"""A paper file or pasted text read into a Paper, safely: through core.uploads (the size
checked, a Word file's archive checked before it is opened, the parser run in a bounded
child process, of the web worker or of the Celery worker), with a clear message for
anything that cannot be read."""

from core.uploads import UploadRefused, check_archive, run_bounded

from .model import NOT_PDF, NOT_WORD, Paper, PaperUnreadable
from .parse_text import parse_text

# The Word and PDF parsers are imported when a paper of their kind is read: python-docx,
# pdfplumber and pdfminer hold about 30 MB, which every web and worker process loading
# the URLs or the tasks carried for nothing (docs/benchmarks.md, the minutes PDF's memory).

KINDS = {".docx": "docx", ".pdf": "pdf", ".txt": "text", ".md": "text"}
NOT_READABLE = "This paper could not be read: the file is damaged or not a paper."
BEYOND_LIMITS = (
    "This file could not be read within the limits the tracker sets (memory and time): "
    "save or export it again, split it, or paste its text."
)
# The worker's child process: inside the task's soft time limit (meetings.tasks), as the
# worker's own reading was bounded (512 MB more than the worker, as memory_guard gave it).
WORKER_SECONDS = 100
WORKER_MEMORY_BYTES = 512 * 1024 * 1024


def kind_of(filename: str) -> str:
    lowered = filename.lower()
    for suffix, kind in KINDS.items():
        if lowered.endswith(suffix):
            return kind
    raise UploadRefused("Upload a Word document (.docx), a PDF (.pdf) or a text file (.txt).")


def parse_content(content: bytes, filename: str, progress=None) -> dict:
    """The Paper (as JSON) of a file's bytes; UploadRefused for a file that is not one.
    Runs in the bounded child process, `progress(pages read, pages)` told after each page
    of a PDF (the worker's progress bar)."""
    kind = kind_of(filename)
    try:
        if kind == "docx":
            from .parse_docx import parse_docx

            paper = parse_docx(content, filename)
        elif kind == "pdf":
            from .parse_pdf import parse_pdf

            paper = parse_pdf(content, filename, progress)
        else:
            paper = parse_text(decode(content), filename)
    except PaperUnreadable as error:
        raise UploadRefused(str(error)) from error
    return paper.to_json()


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _check(content: bytes, filename: str) -> None:
    kind = kind_of(filename)
    if kind == "docx":
        check_archive(content, not_valid=NOT_WORD)
    elif kind == "pdf" and not content.startswith(b"%PDF"):
        raise UploadRefused(NOT_PDF)


def read_file(content: bytes, filename: str) -> Paper:
    """Read an uploaded paper, bounded; UploadRefused (with the reason) if it cannot be."""
    _check(content, filename)
    return Paper.from_json(run_bounded(parse_content, content, filename, not_valid=NOT_READABLE))


def read_in_worker(
    content: bytes,
    filename: str,
    progress=None,
    *,
    memory_bytes=WORKER_MEMORY_BYTES,
    seconds=WORKER_SECONDS,
) -> Paper:
    """Read a paper in a Celery worker: checked the same way, then parsed in a bounded
    child process of the worker (`memory_bytes` more address space, `seconds` of CPU and
    of wall time, inside the task's own time limits), the pages read told to
    `progress(pages read, pages)` here as the child reads them. A file the child cannot
    read within its limits (a PDF that makes PDFium exhaust its memory or loop) is refused
    with BEYOND_LIMITS; the worker itself never runs the parser, so it neither grows nor
    hangs."""
    _check(content, filename)
    if kind_of(filename) == "pdf":
        # Loaded before the fork (once a worker): each child then starts with it at once.
        from . import parse_pdf  # noqa: F401

    return Paper.from_json(
        run_bounded(
            parse_content,
            content,
            filename,
            seconds=seconds,
            memory_bytes=memory_bytes,
            cpu_seconds=max(int(seconds), 1),
            not_valid=NOT_READABLE,
            beyond_limits=BEYOND_LIMITS,
            progress=progress,
        )
    )


def read_pasted(text: str, filename: str = "") -> Paper:
    """Read pasted text, bounded like a file (NUL characters are dropped by the reader:
    the database cannot hold them)."""
    content = text.encode("utf-8", errors="replace")
    name = filename or "pasted.txt"
    return Paper.from_json(run_bounded(parse_content, content, name, not_valid=NOT_READABLE))
