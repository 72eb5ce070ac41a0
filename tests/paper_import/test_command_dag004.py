"""manage.py import_papers on the DAG004 slide pack, into the tracker of the pages test
(tests/meetings/test_paper_dag004_entered.py): previewed without --commit (nothing
written), then committed: the meeting with the pack's identity and agenda, and the review
of the earlier actions with each status and latest update."""

import io
import json

import pytest
from django.core.management import call_command

from actions.models import Action, ActionStatus
from meetings.models import Meeting, PaperImport
from tests.meetings.test_paper_dag004_entered import ACTIONS, AGENDA, dag  # noqa: F401
from tests.paper_import.made import SEED_NAMES, seed

pytestmark = pytest.mark.django_db


def test_import_papers_previews_then_commits_the_slide_pack(dag, tmp_path):  # noqa: F811
    path = tmp_path / SEED_NAMES["dag004"]
    path.write_text(seed("dag004"), encoding="utf-8")
    out = io.StringIO()
    call_command("import_papers", str(tmp_path), "--group", "DAG", "--json", stdout=out)
    (report,) = json.loads(out.getvalue())
    assert report["meeting"] == "DAG004" and not report["committed"]
    assert not PaperImport.objects.exists() and not Meeting.objects.filter(number=4).exists()
    assert [row["state"] for row in report["rows"]["actions"]] == ["updates"] * len(ACTIONS)
    assert report["problems"] == []

    out = io.StringIO()
    call_command("import_papers", str(path), "--group", "dag", "--commit", stdout=out)
    assert "committed as import" in out.getvalue()
    meeting = Meeting.objects.get(group=dag, number=4)
    assert (meeting.paper_title, meeting.paper_reference, meeting.paper_version) == (
        "Design Advisory Group #4",
        "MHHS-DEL160",
        "Version 1.0",
    )
    following = (meeting.next_meeting_date, meeting.following_meeting_date)
    assert [f"{day:%d/%m/%Y}" for day in following] == ["16/02/2022", "09/03/2022"]
    items = list(meeting.agenda_items.select_related("lead"))
    assert [(i.number, i.title, i.lead_as_printed, i.duration_minutes) for i in items] == [
        tuple(row) for row in AGENDA
    ]
    assert items[2].paper_text.startswith("Mobilisation of Programme Parties")
    for reference, *_, status, update in ACTIONS:
        action = Action.objects.get(reference=reference)
        latest = action.updates.order_by("-pk").first()
        assert latest.text == update and latest.meeting == meeting
        assert (action.status == ActionStatus.CLOSED) == status.startswith("CLOSED")
    closed = Action.objects.get(reference="DES-03-04")
    assert f"{closed.closed_date:%d/%m/%y}" == "18/01/22"
