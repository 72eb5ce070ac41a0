"""From the demo data, the secretariat asks for the DAG029 Minutes and Actions in headless
Chromium: the page shows it queued, htmx polling swaps in the download link when the
render is done (the page is never reloaded), and the PDF downloads; asking again for the
same data serves the stored version. The render runs in a thread standing in for the
Celery worker (tests/documents/test_documents_worker.py renders through a real worker and
Redis).
"""

import io
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect
from pypdf import PdfReader

from documents import services as documents
from documents.tasks import render_document
from meetings.documents import MINUTES
from meetings.models import Meeting

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(monkeypatch, settings, tmp_path):
    """Renders each queued document in a thread once the test calls worker.release(), so
    the page is seen in its queued state first, however fast or slow the machine."""
    settings.MEDIA_ROOT = tmp_path
    released = threading.Event()
    threads = []

    def run(pk):
        try:
            if released.wait(timeout=30):
                render_document(pk)
        finally:
            connection.close()

    def dispatch(document):
        thread = threading.Thread(target=run, args=(document.pk,))
        thread.start()
        threads.append(thread)

    monkeypatch.setattr(documents, "_dispatch", dispatch)
    yield SimpleNamespace(threads=threads, release=released.set)
    released.set()
    for thread in threads:
        thread.join(timeout=60)


def test_secretariat_renders_and_downloads_dag029_minutes_without_reloading(
    worker, page, login, screenshot
):
    call_command("load_demo", stdout=StringIO())
    dag029 = Meeting.objects.get(group__code="DAG", number=29)
    login("secretariat", "demo")
    page.goto(f"/meetings/{dag029.pk}/documents/")
    page.get_by_role("button", name="Render the Minutes and Actions").click()
    document = dag029.documents.get(kind=MINUTES)
    expect(page).to_have_url(f"/documents/{document.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Queued for rendering")
    # A marker in the page's JavaScript state survives only if the page is not reloaded.
    page.evaluate("window.stillTheSamePage = true")
    worker.release()
    download_link = page.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible(timeout=30_000)
    assert page.evaluate("window.stillTheSamePage === true")
    screenshot("ready")

    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == "DAG029 Minutes and Actions v1.pdf"
    with open(download.value.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    title = "MHHS Design Advisory Group (DAG) Minutes and Actions Issue date: 18/10/2023"
    assert title in text and "DAG29-08" in text

    # Nothing changed: asking again serves the stored version at once.
    page.goto(f"/meetings/{dag029.pk}/documents/")
    page.get_by_role("button", name="Render the Minutes and Actions").click()
    expect(page).to_have_url(f"/documents/{document.pk}/")
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    assert dag029.documents.count() == 1 and len(worker.threads) == 1
