"""A PDF uploaded on the import page is read by the worker: the page shows its progress and
polls, then opens the preview, or says why the paper could not be read."""

import datetime
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings.models import PaperImport, PaperImportStatus
from meetings.tasks import TIME_LIMIT, read_paper_import
from tests.factories import make_group, make_user
from tests.paper_import.made import as_pdf
from tests.paper_import.test_read_safely import blank_pdf

pytestmark = pytest.mark.django_db


def test_a_pdf_is_read_by_the_worker_with_its_progress_shown(
    client, django_capture_on_commit_callbacks
):
    group = make_group("DAG")
    client.force_login(make_user("pmo", group=group, role=Role.SECRETARIAT))
    upload = SimpleUploadedFile("DAG030 scan.pdf", blank_pdf(), content_type="application/pdf")
    address = reverse("meetings:paper_import_new", args=["DAG"])
    with (
        mock.patch.object(read_paper_import, "delay") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(address, {"file": upload})
    draft = PaperImport.objects.get()
    queued.assert_called_once_with(draft.pk)
    preview = reverse("meetings:paper_import_preview", args=[draft.pk])
    assert response.url == preview and draft.status == PaperImportStatus.READING
    page = client.get(preview).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page

    read_paper_import(draft.pk)
    draft.refresh_from_db()
    assert (draft.status, draft.progress) == (PaperImportStatus.FAILED, 100)
    polled = client.get(preview, headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == preview
    assert "no text layer" in client.get(preview).content.decode()


def test_the_worker_tells_the_pages_it_has_read(client):
    """The progress bar moves page by page: the stage in words ("Read page 2 of 3") and
    the per cent, written as each page is read; a page without JavaScript reloads itself."""
    group = make_group("DAG")
    client.force_login(make_user("pmo", group=group, role=Role.SECRETARIAT))
    pdf = as_pdf("\n".join(f" SLIDE {n}\nText of slide {n}." for n in range(1, 4)))
    draft = PaperImport.objects.create(
        group=group, filename="DAG004 slides.pdf", status=PaperImportStatus.READING
    )
    draft.source_file.save("DAG004 slides.pdf", ContentFile(pdf))
    page = client.get(reverse("meetings:paper_import_preview", args=[draft.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "Waiting for the worker to start reading" in page

    told = []
    with mock.patch("meetings.tasks._progress", side_effect=lambda *args: told.append(args)):
        read_paper_import(draft.pk)
    assert [stage for _, _, stage in told] == [
        "Opening the file",
        "Reading the paper",
        "Read page 1 of 3",
        "Read page 2 of 3",
        "Read page 3 of 3",
    ]
    assert [percent for _, percent, _ in told] == [5, 10, 36, 63, 90]

    draft.status, draft.progress, draft.stage = PaperImportStatus.READING, 63, "Read page 2 of 3"
    draft.save()
    polled = client.get(
        reverse("meetings:paper_import_preview", args=[draft.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Read page 2 of 3" in polled and 'value="63"' in polled


def test_a_read_stopped_with_its_worker_says_so_and_stops_polling(client):
    """The worker's process was stopped (killed at the hard time limit, out of memory)
    while reading: past the task's time limit the page says so instead of polling on."""
    group = make_group("DAG")
    client.force_login(make_user("pmo", group=group, role=Role.SECRETARIAT))
    draft = PaperImport.objects.create(
        group=group,
        filename="DAG029 minutes.pdf",
        status=PaperImportStatus.READING,
        stage="Read page 5 of 16",
        read_started_at=timezone.now() - datetime.timedelta(seconds=TIME_LIMIT - 10),
    )
    preview = reverse("meetings:paper_import_preview", args=[draft.pk])
    assert 'hx-trigger="every 2s"' in client.get(preview).content.decode()

    draft.read_started_at -= datetime.timedelta(minutes=5)
    draft.save()
    polled = client.get(preview, headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == preview
    page = client.get(preview).content.decode()
    assert "the reading was stopped before the end (Read page 5 of 16" in page
    assert "every 2s" not in page and "http-equiv" not in page
