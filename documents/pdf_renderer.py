"""The PDF renderer process, as the tracker sees it: one per process that renders (each
Celery worker process starts its own when it starts, documents.tasks.warm_up_renderer;
any other process, a web worker publishing minutes say, on its first document). It is
given a document's HTML and answers its PDF.

Why a process of its own: a Celery worker process holds Django, Celery and every app
(about 110 MB) before it lays out a page, and WeasyPrint with Pango and the fonts (35 MB)
and the layout of the 16-page minutes (35-40 MB) took it past the 150 MB a render may
use. The renderer (documents/pdf_process.py) holds WeasyPrint alone, about 60 MB once
warmed up, and lays each document out in a child forked from it, limited in memory and
CPU time: a document built to exhaust either fails alone, and the worker never grows by
more than the HTML it sent and the PDF it got back.

An order whose reply does not come in time, or that is interrupted (Celery's time limit),
leaves the renderer in an unknown state: it is killed, with its child, and the next
document starts a new one.
"""

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import pdf_process

SCRIPT = Path(pdf_process.__file__)
MEMORY_LIMIT_MB = 768  # address space a render may add to the renderer's
RENDER_SECONDS = 60  # of CPU for one document; the DAG029 minutes take about half of one
WAIT_SECONDS = 2 * RENDER_SECONDS  # of wall time: a busy machine stretches the CPU time
START_SECONDS = 60  # to start and warm up (about 1.5 s on a quiet machine)
TOO_LONG = "Rendering took longer than {} seconds."


class RenderError(Exception):
    """The document could not be rendered; the message is shown to the user."""


class RenderTimeout(RenderError):
    pass


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    cpu_seconds: float  # the renderer's child's, for this document
    peak_rss_kb: int | None  # of the child that laid it out (None where not measured)


def warm_up_html() -> str:
    """A scrap of text in the documents' fonts and styles, which the renderer lays out when
    it starts, so its children find WeasyPrint, Pango and the fonts loaded (about half a
    document's render time otherwise)."""
    css = (Path(settings.BASE_DIR) / "templates" / "documents" / "print.css").read_text()
    return (
        f'<html lang="en-GB"><style>{css}</style><h1>Warm-up</h1><p>Text, <strong>bold</strong>'
        " and <em>italic</em>.</p><table><thead><tr><th>Ref</th></tr></thead>"
        "<tbody><tr><td>DAG29-01</td></tr></tbody></table></html>"
    )


def _base_url() -> str:
    return settings.SITE_URL + "/"


class Renderer:
    """One renderer process and the pipes to it; the lock keeps each order with its reply
    when threads share the process."""

    def __init__(self):
        self.process = None
        self.lock = threading.Lock()
        self.warming = False  # sent its warm-up, whose reply is not read yet
        self.idle_rss_kb = None  # the renderer's size once warmed up

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the renderer warming up, without waiting for it: a Celery worker process
        must report itself ready within 4 seconds of its fork, and the warm-up can take
        longer on a busy machine. The first document waits for what is left of it."""
        with self.lock:
            self._spawn()

    def ready(self) -> None:
        """Wait until the renderer has warmed up; RenderError if it could not."""
        with self.lock:
            self._spawn()
            self._await_warm_up()

    def render(self, html: str) -> Rendered:
        order = {"base_url": _base_url(), "memory_mb": MEMORY_LIMIT_MB, "seconds": RENDER_SECONDS}
        late = TOO_LONG.format(RENDER_SECONDS)
        with self.lock:
            self._spawn()
            self._await_warm_up()
            self._send(order, html)
            header, pdf = self._receive(WAIT_SECONDS, late)
        outcome = header["outcome"]
        if outcome == "memory":
            raise MemoryError(f"The document needed more than {MEMORY_LIMIT_MB} MB.")
        if outcome == "time":
            raise RenderTimeout(late)
        if outcome != "done":
            raise RenderError(header["error"])
        return Rendered(pdf, header["pages"], header["cpu_seconds"], header["peak_rss_kb"])

    def stop(self) -> None:
        """Kill the renderer and any child rendering (they share a process group)."""
        if self.process is None:
            return
        if self.process.poll() is None:  # not reaped: its id is still its process group's
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()
        self.process = None
        self.warming = False

    def forget(self) -> None:
        """In a forked copy of this process: the renderer is the original's. Its pipes are
        closed here, so that it still ends with the original."""
        if self.process is not None:
            self.process.stdin.close()
            self.process.stdout.close()
            self.process.returncode = 0  # not ours to wait for
        self.process = None
        self.warming = False
        self.lock = threading.Lock()

    def _spawn(self) -> None:
        """A renderer running (a new one if there is none, or it died), sent its warm-up."""
        if self.running():
            return
        self.stop()  # a renderer that died: reaped
        self.process = subprocess.Popen(
            # -I: only the standard library and the installed packages are importable.
            [sys.executable, "-I", str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            start_new_session=True,
        )
        self._send({"warm": True, "base_url": _base_url()}, warm_up_html())
        self.warming = True

    def _await_warm_up(self) -> None:
        if not self.warming:
            return
        header, _ = self._receive(
            START_SECONDS, f"The renderer did not start within {START_SECONDS} seconds."
        )
        self.warming = False
        if header["outcome"] != "done":
            self.stop()
            raise RenderError(f"The renderer could not start: {header['error']}")
        self.idle_rss_kb = header["rss_kb"]

    def _send(self, order: dict, html: str) -> None:
        try:
            self.process.stdin.write(pdf_process.message(order, html.encode()))
        except BaseException:
            self.stop()
            raise

    def _receive(self, seconds: float, late: str) -> tuple[dict, bytes]:
        """The reply to the order sent, within `seconds` (else RenderTimeout saying
        `late`); on any failure or interruption, the renderer is stopped."""
        try:
            reply = _Reader(self.process.stdout.fileno(), time.monotonic() + seconds, late)
            return json.loads(reply.frame()), reply.frame()
        except BaseException:
            self.stop()
            raise


class _Reader:
    """Frames read from a pipe, each by a deadline."""

    def __init__(self, fd: int, deadline: float, late: str):
        self.fd, self.deadline, self.late = fd, deadline, late

    def exactly(self, size: int) -> bytes:
        chunks, wanted = [], size
        while wanted:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise RenderTimeout(self.late)
            chunk = os.read(self.fd, min(wanted, 1 << 20))
            if not chunk:
                raise RenderError("The renderer stopped before answering.")
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def frame(self) -> bytes:
        (length,) = pdf_process.FRAME.unpack(self.exactly(pdf_process.FRAME.size))
        return self.exactly(length)


renderer = Renderer()
os.register_at_fork(after_in_child=renderer.forget)
atexit.register(renderer.stop)
