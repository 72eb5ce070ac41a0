"""The June 2024 paper pack imported through the pages by the group's secretariat, into
the tracker of the pages test (tests/meetings/test_paper_dag_2024_06_entered.py): pasted
text, the preview with the problem of the missing meeting number, the number typed in its
cell, the commit; a member may not import."""

import pytest
from django.urls import reverse

from actions.models import Action
from core.models import Role
from meetings.models import ChangeRequestPresented, Meeting, PaperImport, PaperImportStatus
from tests.factories import make_user
from tests.meetings.test_paper_dag_2024_06_entered import (  # noqa: F401 - fixtures
    CRS,
    ITEMS,
    REVIEW_TABLE,
    STATUSES,
    dag,
    pmo,
)
from tests.paper_import.made import seed

pytestmark = pytest.mark.django_db


def test_june_2024_papers_pasted_corrected_and_committed(pmo, dag, client):  # noqa: F811
    address = reverse("meetings:paper_import_new", args=["DAG"])
    assert (
        "Import past papers"
        in pmo.get(reverse("meetings:group_detail", args=["DAG"])).content.decode()
    )
    response = pmo.post(address, {"text": seed("dag2024")})
    assert response.status_code == 302
    draft = PaperImport.objects.get()
    preview = reverse("meetings:paper_import_preview", args=[draft.pk])
    page = pmo.get(preview).content.decode()
    assert "The paper gives no meeting number" in page and "Import the meeting" not in page
    assert not Meeting.objects.filter(number=37).exists()

    response = pmo.post(preview, {"header:number": "37", "header:date": "12/06/2024", "check": ""})
    page = pmo.get(preview).content.decode()
    assert "Import the meeting" in page, page[page.find("error-summary") :][:2000]
    response = pmo.post(preview, {"commit": ""})
    meeting = Meeting.objects.get(group=dag, number=37)
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert meeting.held_by_correspondence and meeting.source_file
    items = list(meeting.agenda_items.order_by("order"))
    assert [(i.number, i.title, i.item_type, i.objective) for i in items] == [
        tuple(r[:4]) for r in ITEMS
    ]
    presented = ChangeRequestPresented.objects.filter(agenda_item__meeting=meeting)
    assert [(p.change_request.reference, p.status_presented) for p in presented] == [
        (ref, status) for ref, _, status in CRS
    ]
    assert {a.reference: a.status for a in Action.objects.all()} == {
        row[0]: STATUSES[row[4].split(":")[0]] for row in REVIEW_TABLE
    }
    assert PaperImport.objects.get().status == PaperImportStatus.COMMITTED
    listed = pmo.get(address).content.decode()
    assert "pasted text.txt" in listed and "Undo this import" in listed

    client.force_login(make_user("member", group=dag, role=Role.MEMBER))
    assert client.get(address).status_code == 403
    assert client.get(preview).status_code == 403
