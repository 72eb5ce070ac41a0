"""The worker reads a paper in a bounded child process: a PDF that makes PDFium exhaust
the memory allowed (a page packed a thousand to one), or take too long, is refused with a
clear message,
the worker's own process untouched (it reads the next paper), and the progress bar still
moves page by page (tests/paper_import/test_read_later.py)."""

import functools
import multiprocessing
import os
import zlib
from unittest import mock

import pytest
from django.core.files.base import ContentFile

from core.uploads import UploadRefused
from meetings.models import PaperImport, PaperImportStatus
from meetings.paper_import.read import BEYOND_LIMITS, read_in_worker
from meetings.tasks import read_paper_import
from tests.factories import make_group
from tests.paper_import.test_read_safely import SMALL_PDF

SMALL_LIMIT = 8 * 1024 * 1024


def bomb_pdf(unpacked_mb=200) -> bytes:
    """A page whose content stream is a few hundred KB packed and `unpacked_mb` MB
    unpacked (no-op operators, "q Q", over and over): PDFium unpacks it whole to read the
    page's text."""
    packer, chunk = zlib.compressobj(9), b"q Q\n" * (256 * 1024)  # 1 MB
    stream = b"".join(packer.compress(chunk) for _ in range(unpacked_mb)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(stream), stream),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )


def test_a_pdf_past_the_memory_limit_is_refused_and_the_worker_reads_on():
    worker = os.getpid()
    with pytest.raises(UploadRefused, match="could not be read within the limits"):
        read_in_worker(bomb_pdf(), "hostile.pdf", memory_bytes=SMALL_LIMIT)
    assert os.getpid() == worker
    # The next paper is read as ever, its pages told as they are read.
    told = []
    paper = read_in_worker(SMALL_PDF, "DAG029.pdf", lambda *pages: told.append(pages))
    assert paper.attendance and told == [(1, 1)]


def test_a_pdf_read_past_the_time_limit_is_refused():
    with pytest.raises(UploadRefused, match="could not be read within the limits"):
        read_in_worker(bomb_pdf(), "slow.pdf", seconds=0.05)


@pytest.mark.django_db
def test_the_import_says_why_and_the_worker_lives_on():
    draft = PaperImport.objects.create(
        group=make_group("DAG"), filename="hostile.pdf", status=PaperImportStatus.READING
    )
    draft.source_file.save("hostile.pdf", ContentFile(bomb_pdf()))
    bounded = functools.partial(read_in_worker, memory_bytes=SMALL_LIMIT)
    with mock.patch("meetings.tasks.read_in_worker", bounded):
        read_paper_import(draft.pk)
    draft.refresh_from_db()
    assert (draft.status, draft.error, draft.progress) == (
        PaperImportStatus.FAILED,
        BEYOND_LIMITS,
        100,
    )


def test_a_daemon_process_as_the_worker_pool_s_reads_through_a_child_of_its_own():
    """A Celery pool's process is a daemon, which multiprocessing allows no child."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def pool_process():
        sender.send([line.name for line in read_in_worker(SMALL_PDF, "a.pdf").attendance])

    daemon = context.Process(target=pool_process, daemon=True)
    daemon.start()
    assert receiver.poll(60) and receiver.recv() == ["Justin Andrews"]
    daemon.join()
