"""The same paper gives the same records whether the secretariat imports it on the page
or an operator backfills it with `manage.py import_papers --commit`: DAG029 as a Word
document, uploaded, its unknown names added as new people and committed; the batch undone;
then the same file committed by the command (--create-people), and every record compared."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.models import Role
from meetings.models import Meeting, PaperImport
from meetings.paper_import.commit import import_undo
from tests.factories import make_user
from tests.meetings.test_paper_dag029_entered import dag  # noqa: F401 - fixture
from tests.paper_import.made import as_docx, seed
from tests.paper_import.test_round_trip import records

pytestmark = pytest.mark.django_db
NAME = "DAG029 Minutes and Actions.docx"


def test_import_papers_commit_gives_the_records_the_page_gives(dag, client, tmp_path):  # noqa: F811
    content = as_docx(seed("dag029"))
    client.force_login(make_user("pmo-import", group=dag, role=Role.SECRETARIAT))
    upload = SimpleUploadedFile(NAME, content, content_type="application/octet-stream")
    response = client.post(reverse("meetings:paper_import_new", args=["DAG"]), {"file": upload})
    draft = PaperImport.objects.get()
    assert response.url == reverse("meetings:paper_import_preview", args=[draft.pk])
    page = client.get(response.url)
    unknown = [name for name, who in page.context["preview"].people.items() if not who.resolved]
    chosen = {f"person:{name}": "new" for name in unknown}
    response = client.post(response.url, {**chosen, "commit": "1"})
    meeting = Meeting.objects.get(group=dag, number=29)
    assert response.url == meeting.get_absolute_url()
    by_page = records(meeting)
    draft.refresh_from_db()
    import_undo(paper_import=draft)

    path = tmp_path / NAME
    path.write_bytes(content)
    out = io.StringIO()
    call_command(
        "import_papers", str(path), "--group", "DAG", "--commit", "--create-people", stdout=out
    )
    assert "committed as import" in out.getvalue()
    assert records(Meeting.objects.get(group=dag, number=29)) == by_page
