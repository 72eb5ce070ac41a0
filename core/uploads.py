"""Uploaded files read safely: the one guard every importer goes through.

A file built to exhaust the server is refused before, or while, it is read, never after:

- `UploadSizeLimitHandler`, first of settings.FILE_UPLOAD_HANDLERS, stops keeping a file's
  bytes once it passes settings.UPLOAD_MAX_BYTES, so an oversized upload fills neither memory
  nor the temporary folder; `check_size()` then refuses it at the form by the size received
  (settings.UPLOAD_MAX_BYTES unless the form says less), before a byte of it is parsed.
- `check_archive()` looks at the zip directory of an Office file (.xlsx, .docx: both are zip
  archives of XML) before any parser opens it: how many members, each member's uncompressed
  size, their total and each member's compression ratio. Python's zipfile never inflates a
  member past the size its directory declares (it fails the CRC check instead), so checking
  the declared sizes bounds what the parsers can be made to read.
- `read_xlsx()` reads the first sheet lazily (openpyxl's read-only mode, the sheet's
  declared dimension ignored, so a sheet claiming to be 1,048,576 x 16,384 cells is not
  padded to that size), stops at the caller's row limit and refuses over-long cells.
- `run_bounded()` runs a parser in a child process under an address-space limit
  (RLIMIT_AS), a time limit and, where asked, a CPU-time limit (RLIMIT_CPU): whatever a
  file makes the parser do, the web or Celery worker neither grows nor hangs. The child is
  forked, so it starts at once with the code already loaded, and it only turns bytes into
  Python values (no database, no files), telling its progress through the pipe it answers
  on.

XML is parsed by defusedxml (openpyxl uses it when it is installed), so a document type
with entities (billion laughs) or an external entity is refused; it and every other parser
error become `UploadRefused`, a ValueError whose message the form shows at the file field.
"""

import faulthandler
import io
import multiprocessing
import os
import resource
import signal
import time
import zipfile

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

TOO_LARGE = "This file is too large to read: it unpacks to more than the tracker accepts."
NOT_VALID = "This is not a valid workbook: the file is damaged or not an Excel (.xlsx) file."
TOO_SLOW = "This file is too large to read: reading it took too long."

MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 20 * 1024 * 1024  # any one part of the archive, unpacked
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # all parts, unpacked
MAX_RATIO = 100  # unpacked / packed; real workbooks and documents are below 30
RATIO_FROM_BYTES = 1024 * 1024  # smaller parts may compress as well as they like
MAX_CELL_CHARS = 32767  # Excel's own limit for one cell


class UploadRefused(ValueError):
    """The file cannot be read; the message is for the person who uploaded it."""


class UploadSizeLimitHandler(FileUploadHandler):
    """Passes a file's bytes on to the next handler (memory or temporary file) up to one byte
    past settings.UPLOAD_MAX_BYTES and drops the rest: the file made is never complete, but
    its size is over the limit, so check_size() refuses it."""

    def receive_data_chunk(self, raw_data, start):
        room = settings.UPLOAD_MAX_BYTES + 1 - start
        return raw_data[: max(room, 0)] or None

    def file_complete(self, file_size):
        return None  # the next handler makes the file


def check_size(upload, max_bytes=None):
    """Refuse an uploaded file over `max_bytes` (settings.UPLOAD_MAX_BYTES by default)."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise UploadRefused(f"This file is too large: upload at most {max_bytes // 2**20} MB.")


def check_archive(content: bytes, not_valid: str = NOT_VALID):
    """Refuse a zip archive whose members would unpack to too much; `not_valid` (the
    workbook's message by default: a document importer passes its own) if it is not a zip
    archive at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UploadRefused(not_valid) from error
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(TOO_LARGE)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise UploadRefused(TOO_LARGE)
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise UploadRefused(TOO_LARGE)


def read_xlsx(content: bytes, *, max_rows: int, max_columns: int, too_many: str = ""):
    """[(line number, [values])] of the first sheet, lines numbered as in Excel, with at
    most `max_rows` lines holding something (blank lines are kept but count towards
    `2 * max_rows` lines in all) and `max_columns` columns; a longer sheet is refused with
    `too_many`. Checked, then parsed in a child process under a memory and time limit."""
    check_archive(content)
    too_many = too_many or f"The sheet has more than {max_rows} rows: split it."
    return run_bounded(_xlsx_rows, content, max_rows, max_columns, too_many)


def _xlsx_rows(content, max_rows, max_columns, too_many):
    # Imported in the child that parses (about 20 MB a web process need not carry).
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise ImportError("openpyxl must parse XML through defusedxml: install defusedxml.")
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            raise UploadRefused(NOT_VALID)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never pad rows to the size the file claims
        lines, filled = [], 0
        rows = sheet.iter_rows(max_col=max_columns, values_only=True)
        for number, row in enumerate(rows, start=1):
            cells = list(row)
            if any(value is not None and value != "" for value in cells):
                filled += 1
            if filled > max_rows or number > 2 * max_rows:
                raise UploadRefused(too_many)
            for column, value in enumerate(cells, start=1):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise UploadRefused(
                        f"Line {number}, column {openpyxl.utils.get_column_letter(column)} "
                        f"holds more than {MAX_CELL_CHARS:,} characters."
                    )
            lines.append((number, cells))
        return lines
    finally:
        workbook.close()


def run_bounded(
    function,
    *args,
    seconds=None,
    memory_bytes=None,
    cpu_seconds=None,
    not_valid=NOT_VALID,
    beyond_limits=None,
    progress=None,
):
    """function(*args) run in a forked child process that may use `memory_bytes` more
    address space than this process, `cpu_seconds` of CPU time, and must answer within
    `seconds` (by default settings.UPLOAD_PARSE_MEMORY_BYTES and settings.UPLOAD_PARSE_SECONDS;
    the CPU time unbounded but by the wall time). Its result comes back pickled; an
    UploadRefused raised in the child is raised here; anything else that goes wrong there
    (a parser error, memory exhausted, a limit of time) is UploadRefused with TOO_LARGE,
    TOO_SLOW (or `beyond_limits`, where given, for both) or `not_valid`. With `progress`,
    the function is given one to call, `progress(done, total)`, which calls this one here,
    in this process, as the child tells it."""
    seconds = seconds or settings.UPLOAD_PARSE_SECONDS
    memory_bytes = memory_bytes or settings.UPLOAD_PARSE_MEMORY_BYTES
    receiver, sender = multiprocessing.Pipe(duplex=False)
    too_large, too_slow = beyond_limits or TOO_LARGE, beyond_limits or TOO_SLOW
    limits = (memory_bytes, cpu_seconds, progress is not None)
    # Forked by os.fork rather than multiprocessing.Process, which refuses a child to a
    # daemon process, as each process of a Celery worker's pool is.
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        receiver.close()
        try:
            _child(sender, limits, (not_valid, too_large), function, args)
        finally:
            os._exit(0)  # no cleanup of the parent's objects (its database connection)
    sender.close()
    deadline, reaped = time.monotonic() + seconds, False
    try:
        while True:
            if not receiver.poll(max(deadline - time.monotonic(), 0)):
                raise UploadRefused(too_slow)
            try:
                outcome, value = receiver.recv()
            except (EOFError, OSError) as error:  # the child died: killed at a limit
                _, status = os.waitpid(child, 0)
                reaped = True
                out_of_time = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU
                raise UploadRefused(too_slow if out_of_time else too_large) from error
            if outcome != "progress":
                break
            progress(*value)
    finally:
        receiver.close()
        if not reaped:
            os.kill(child, signal.SIGKILL)  # done or not, it has nothing more to say
            os.waitpid(child, 0)
    if outcome == "refused":
        raise UploadRefused(value)
    return value


def _child(sender, limits, messages, function, args):  # pragma: no cover (child)
    (memory_bytes, cpu_seconds, progress), (not_valid, too_large) = limits, messages
    # A parser stopped at its memory limit may abort (PDFium does): the parent says why,
    # so no crash report of this child's stack is printed (pytest's faulthandler would).
    faulthandler.disable()
    _limit_address_space(memory_bytes)
    if cpu_seconds:
        # SIGXCPU at the soft limit ends the child (the parent reads its exit code).
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    told = {"progress": lambda done, total: sender.send(("progress", (done, total)))}
    try:
        outcome = ("done", function(*args, **(told if progress else {})))
    except UploadRefused as refused:
        outcome = ("refused", str(refused))
    except MemoryError:
        outcome = ("refused", too_large)
    except Exception:  # noqa: BLE001 - any parser error means the file is not valid
        outcome = ("refused", not_valid)
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("refused", too_large))
    sender.close()


def _limit_address_space(extra_bytes):  # pragma: no cover - runs in the child
    """Allow this process `extra_bytes` more address space than it has now (Linux)."""
    try:
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the time limit still holds
        return
    limit = current + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
