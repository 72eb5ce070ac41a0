"""The PDF renderer's own process: WeasyPrint and the standard library, nothing of the
tracker's (no Django, no Celery, no apps), so the process that lays a document out holds
only what laying it out needs.

documents/pdf_renderer.py runs this file as a script and talks to it over its standard
input and output: each message is a JSON header and a body, each framed by its length.
The process first renders a warm-up scrap itself (WeasyPrint, Pango and the fonts loaded
once), freezes that heap out of the garbage collector's reach, then renders every document
in a child forked from it: the child starts with everything loaded, at once, and is
limited in address space (RLIMIT_AS) and CPU time (RLIMIT_CPU), so a document built to
exhaust memory or time fails alone and everything it used is returned when it exits.
Nothing is fetched: fonts are the system's, and links resolve against the base URL but
are only written into the PDF. The process ends when its input closes (its parent gone).

lay_out() is also used in the tracker's own process, where a test or a benchmark reads
the pages' boxes.
"""

import contextlib
import gc
import json
import logging
import os
import resource
import signal
import struct
import sys
import time

FRAME = struct.Struct(">Q")  # the length of the frame that follows

# WeasyPrint logs every layout step at INFO; a log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class EmptyDocument(Exception):
    """The renderer produced no pages, or no PDF."""


def lay_out(html: str, base_url: str):
    """The HTML laid out in pages by WeasyPrint, fetching nothing but data: URLs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(
        string=html, base_url=base_url, url_fetcher=URLFetcher(allowed_protocols={"data"})
    ).render()


def render(html: str, base_url: str) -> tuple[bytes, int]:
    """(PDF bytes, pages) of the HTML; refuses to return an empty document."""
    rendered = lay_out(html, base_url)
    if not rendered.pages:
        raise EmptyDocument("The renderer produced no pages.")
    # PDF/UA-1: a tagged PDF (headings, tables, lists as structure a screen reader reads)
    # showing its <title> as the document title and carrying the <html lang>.
    pdf = rendered.write_pdf(pdf_variant="pdf/ua-1")
    if not pdf or not pdf.startswith(b"%PDF-"):
        raise EmptyDocument("The renderer produced no PDF.")
    return pdf, len(rendered.pages)


# Messages ----------------------------------------------------------------------------------


def frame(data: bytes) -> bytes:
    return FRAME.pack(len(data)) + data


def message(header: dict, body: bytes = b"") -> bytes:
    return frame(json.dumps(header).encode()) + frame(body)


def read_message(stream) -> tuple[dict, bytes] | None:
    """The next (header, body) from a binary stream, or None when it has ended."""
    parts = []
    for _ in range(2):
        size = stream.read(FRAME.size)
        if len(size) < FRAME.size:
            return None
        (length,) = FRAME.unpack(size)
        data = stream.read(length)
        if len(data) < length:
            return None
        parts.append(data)
    return json.loads(parts[0]), parts[1]


# The process -------------------------------------------------------------------------------


def _memory_kb(field: str) -> int | None:
    """A line of this process's /proc status in KB (VmRSS: resident now, VmHWM: its peak),
    None where there is none (not Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _limit(memory_mb: int, seconds: int) -> None:
    """At most `memory_mb` more address space than the child has mapped at its fork, and
    `seconds` of CPU (then the kernel stops it). Where a limit cannot be set (macOS does
    not enforce RLIMIT_AS), the parent's wall-clock limit still holds."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _lower(resource.RLIMIT_AS, mapped + memory_mb * 1024 * 1024)
    with contextlib.suppress(OSError, ValueError):
        _lower(resource.RLIMIT_CPU, seconds)


def _lower(limit: int, value: int) -> None:
    """The soft limit set to `value`, or left at the hard limit if that is lower."""
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, hard))


def _render_in_child(html: str, order: dict) -> bytes:
    """Runs in the forked child: the reply to send, a message."""
    _limit(order["memory_mb"], order["seconds"])
    try:
        pdf, pages = render(html, order["base_url"])
    except MemoryError:
        return message({"outcome": "memory"})
    except EmptyDocument as error:
        return message({"outcome": "failed", "error": str(error)})
    except Exception as error:  # noqa: BLE001 - any failure is the document's, reported
        return message({"outcome": "failed", "error": f"{type(error).__name__}: {error}"})
    # A forked child's CPU time starts at nought: this is the render's.
    measured = {"cpu_seconds": time.process_time(), "peak_rss_kb": _memory_kb("VmHWM")}
    return message({"outcome": "done", "pages": pages, **measured}, pdf)


def _render_forked(html: str, order: dict) -> bytes:
    """The reply of a child forked to render the document, or why it gave none."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(reading)
        try:
            reply = _render_in_child(html, order)
        except MemoryError:
            reply = message({"outcome": "memory"})
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(reply)
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        reply = pipe.read()  # until the child closes its end: done, or killed
    _, status = os.waitpid(pid, 0)
    if reply and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return reply
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        return message({"outcome": "time"})
    # Stopped another way: a library that could not allocate aborts instead of raising,
    # or the system's out-of-memory killer chose it.
    return message({"outcome": "memory"})


def _warm_up(html: str, order: dict) -> bytes:
    """Render the scrap in this process, loading WeasyPrint, Pango and the fonts for
    every child to come."""
    try:
        render(html, order["base_url"])
    except Exception as error:  # noqa: BLE001 - reported; the documents then fail alike
        return message({"outcome": "failed", "error": f"{type(error).__name__}: {error}"})
    # Everything loaded so far is long-lived: left out of every collection, and so shared
    # untouched with each forked child.
    gc.collect()
    gc.freeze()
    return message({"outcome": "done", "rss_kb": _memory_kb("VmRSS")})


def serve(requests, replies) -> None:
    """Answer orders (warm up, or render a document) until the input ends."""
    while (received := read_message(requests)) is not None:
        order, body = received
        html = body.decode()
        reply = _warm_up(html, order) if order.get("warm") else _render_forked(html, order)
        replies.write(reply)
        replies.flush()


def main() -> None:  # pragma: no cover - the process's entry
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # The replies go to the original standard output alone: anything else printed by a
    # library goes to standard error instead of into a reply.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
