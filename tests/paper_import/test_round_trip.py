"""Round trip: the minutes PDF the app itself issues for DAG029, imported back, gives the
same records: the meeting imported from the paper, its PDF rendered, the import undone,
the PDF imported into the group emptied of it, and every record compared: the header, the
attendance lines, the agenda and minutes, the actions raised and the decisions taken."""

import pytest

from actions.models import Action
from decisions.models import Decision
from documents.models import Document
from documents.rendering import build_source, render_html, render_pdf
from meetings.documents import MINUTES
from meetings.models import Attendance, Meeting, PaperImport
from meetings.paper_import.commit import import_commit, import_undo
from meetings.paper_import.parse_pdf import parse_pdf
from meetings.paper_import.parse_text import parse_text
from meetings.paper_import.preview import build_preview
from tests.meetings.test_paper_dag029_entered import dag  # noqa: F401 - fixture
from tests.paper_import.made import seed

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def records(meeting):
    attendance = [
        (
            a.person.name,
            a.category,
            a.status,
            a.role,
            a.initials,
            a.part_meeting,
            str(a.on_behalf_of or ""),
        )
        for a in Attendance.objects.filter(meeting=meeting).select_related("person", "on_behalf_of")
    ]
    # Bold (Markdown's **) prints as bold, not as text: the words are compared.
    items = [
        (i.number, i.title, " ".join(i.minutes.replace("**", "").split()))
        for i in meeting.agenda_items.all()
    ]
    actions = [
        (a.reference, a.area, a.text, a.owner_display(), a.due_display(), a.agenda_item.number)
        for a in Action.objects.filter(meeting=meeting).select_related("agenda_item")
    ]
    decisions = [
        (d.reference, d.area, d.wording, d.agenda_item.number if d.agenda_item else "")
        for d in Decision.objects.filter(meeting=meeting).order_by("reference")
    ]
    header = (
        meeting.code,
        meeting.date,
        meeting.start_time,
        meeting.end_time,
        meeting.venue,
        meeting.next_meeting_date,
    )
    return {
        "header": header,
        "attendance": attendance,
        "items": items,
        "actions": actions,
        "decisions": decisions,
    }


def commit(group, paper, name, people=None):
    chosen = people or {}
    if people is None:
        preview = build_preview(group=group, paper=paper, people={})
        chosen = {n: "new" for n, who in preview.people.items() if not who.resolved}
    draft = PaperImport.objects.create(
        group=group, filename=name, paper=paper.to_json(), people=chosen
    )
    return draft, import_commit(paper_import=draft, user=None)


def test_the_apps_own_minutes_pdf_imports_back_to_the_same_records(dag):  # noqa: F811
    draft, meeting = commit(dag, parse_text(seed("dag029")), "DAG029 minutes.txt")
    meeting = Meeting.objects.get(pk=meeting.pk)
    before = records(meeting)
    pdf = render_pdf(
        render_html(
            build_source(Document(kind=MINUTES, meeting=meeting)), version=1, issued=meeting.date
        )
    )
    import_undo(paper_import=draft)

    paper = parse_pdf(pdf, "DAG029 minutes.pdf")
    _, again = commit(dag, paper, "DAG029 minutes.pdf")
    after = records(Meeting.objects.get(pk=again.pk))
    for key in before:
        assert after[key] == before[key], key
