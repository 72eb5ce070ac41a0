"""The DAG029 minutes imported into the tracker of the pages test
(tests/meetings/test_paper_dag029_entered.py): the preview shows who is unknown with the
near matches, the secretariat chooses, the commit writes the meeting as the paper has it,
and the batch is undone as a whole."""

import pytest

from actions.models import Action, ActionStatus
from core.models import Person
from decisions.models import Decision, DecisionStatus
from meetings.models import Attendance, Meeting, MeetingStatus, PaperImport, PaperImportStatus
from meetings.paper_import.commit import ImportRefused, import_commit, import_undo
from meetings.paper_import.parse_text import parse_text
from meetings.paper_import.preview import build_preview
from tests.meetings.test_paper_dag029_entered import NEW_ACTIONS, dag  # noqa: F401 - fixture
from tests.paper_import.made import SEED_NAMES, seed

pytestmark = pytest.mark.django_db


def test_dag029_previewed_committed_and_undone(dag):  # noqa: F811 - the fixture
    paper = parse_text(seed("dag029").replace("Paul Pettitt (PP)", "Paul Pettit (PP)"))
    make = PaperImport.objects.create
    draft = make(group=dag, filename=SEED_NAMES["dag029"], paper=paper.to_json())
    preview = build_preview(group=dag, paper=paper, people=draft.people)
    assert not preview.can_commit
    unknown = {name: who for name, who in preview.people.items() if not who.resolved}
    # A misspelt name is offered its person, with the score; nobody is matched silently.
    (best, score), *_ = unknown["Paul Pettit"].matches
    assert best.name == "Paul Pettitt" and 85 <= score < 100
    assert "Fraser Mathieson" in unknown and "Morven Hunter" in unknown
    draft.people = {
        name: str(who.matches[0][0].pk) if who.matches and who.matches[0][1] >= 90 else "new"
        for name, who in unknown.items()
    }
    draft.save()
    assert build_preview(group=dag, paper=paper, people=draft.people).can_commit
    people_before = Person.objects.count()

    meeting = import_commit(paper_import=draft, user=None, content=seed("dag029").encode())

    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.code, f"{meeting.date:%d/%m/%Y}", meeting.status) == (
        "DAG029",
        "11/10/2023",
        MeetingStatus.MINUTES_ISSUED,
    )
    assert (f"{meeting.start_time:%H%M}", f"{meeting.end_time:%H%M}") == ("1000", "1300")
    assert f"{meeting.next_meeting_date:%d/%m/%Y}" == "08/11/2023" and meeting.source_file
    lines = list(
        Attendance.objects.filter(meeting=meeting).select_related("person", "on_behalf_of")
    )
    assert len(lines) == 27
    morven = next(line for line in lines if line.person.name == "Morven Hunter")
    assert (morven.initials, morven.on_behalf_of.name) == ("MHu", "Donna Jamieson")
    assert Person.objects.count() == people_before + len(
        [v for v in draft.people.values() if v == "new"]
    )
    assert not Person.objects.filter(name="Paul Pettit").exists()
    for item, area, reference, text, owner, due in NEW_ACTIONS:
        action = Action.objects.get(reference=reference)
        assert (action.meeting, action.agenda_item.number, action.area, action.text) == (
            meeting,
            item,
            area,
            text,
        )
        assert (action.owner_display(), action.due_display()) == (owner, due)
    assert Action.objects.get(reference="DAG28-04").status == ActionStatus.ONGOING
    assert Action.objects.get(reference="DAG28-02").status == ActionStatus.CLOSED
    decisions = Decision.objects.filter(meeting=meeting).order_by("reference")
    assert [d.reference for d in decisions] == ["DAG-DEC75", "DAG-DEC76", "DAG-DEC77", "DAG-DEC78"]
    # DAG-DEC75, the approval of DAG028's minutes and headline report, is an ordinary
    # decision as the paper prints it (its typo "changed marked" kept): the paper does not
    # say which meeting's papers it approves, so no approval of DAG028 is recorded for it.
    approval = decisions[0]
    assert (approval.agenda_item.number, approval.area, approval.status) == (
        "2",
        "Minutes and Actions",
        DecisionStatus.APPROVED,
    )
    assert approval.wording.startswith("Headline Report and changed marked Minutes")
    assert (approval.approves_minutes_of, approval.papers) == (None, "")
    draft.refresh_from_db()
    assert draft.status == PaperImportStatus.COMMITTED
    history = meeting.history.first()
    assert history.history_change_reason == f"Imported from {draft.filename} (import {draft.pk})"

    import_undo(paper_import=draft)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert Action.objects.get(reference="DAG28-02").status == ActionStatus.OPEN
    assert Person.objects.count() == people_before
    draft.refresh_from_db()
    assert draft.status == PaperImportStatus.UNDONE
    with pytest.raises(ImportRefused):
        import_undo(paper_import=draft)
