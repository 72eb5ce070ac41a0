"""NUL characters (which PostgreSQL cannot store) are refused wherever they arrive, through one
rule (core.nul): at the field of every form with a clear message and what was typed kept, at
the import preview with the line and column, and in an address with a 400, never a 500."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action, ActionUpdate
from changerequests.models import ChangeRequest
from core.models import Person, Role
from core.nul import MESSAGE
from decisions.models import Decision
from meetings.models import Meeting
from raid.models import RaidItem
from tests.factories import make_action, make_group, make_meeting, make_user

TYPED = "Before the character\x00after it"


@pytest.fixture
def dag(db):
    return make_group("DAG")


@pytest.fixture
def meeting(dag):
    return make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))


@pytest.fixture
def pmo(client, dag):
    client.force_login(make_user("pmo", group=dag, role=Role.SECRETARIAT))
    return client


def form_cases(meeting):
    """(url, data, model written by a valid post) for forms across the apps."""
    action = make_action(meeting, reference="DAG29-01")
    return [
        (
            reverse("raid:raid_new"),
            {"raid_type": "risk", "title": TYPED, "description": "x", "group": "DAG"},
            RaidItem,
        ),
        (reverse("changerequests:cr_new"), {"title": TYPED, "key_detail": "x"}, ChangeRequest),
        (
            reverse("decisions:decision_create"),
            {"group": "DAG", "meeting": meeting.pk, "area": "Design", "wording": TYPED},
            Decision,
        ),
        (
            reverse("meetings:meeting_create", args=["DAG"]),
            {"number": 40, "title": TYPED, "date": "01/02/2030", "venue": TYPED},
            Meeting,
        ),
        (
            reverse("actions:action_update", args=[action.reference]),
            {"text": TYPED, "date": "12/10/2023", "status": "ongoing"},
            ActionUpdate,
        ),
    ]


def test_every_form_refuses_a_nul_at_its_field_keeping_what_was_typed(pmo, meeting):
    for url, data, model in form_cases(meeting):
        before = model.objects.count()
        response = pmo.post(url, data)

        assert response.status_code == 200, url
        page = response.content.decode()
        assert MESSAGE in page, url
        assert "Before the character" in page and "after it" in page, url
        assert model.objects.count() == before, url


def test_a_nul_in_an_address_is_a_bad_request_not_a_server_error(pmo, meeting):
    make_action(meeting, reference="DAG29-01")
    for url in [
        "/meetings/?group=DA%00G",
        "/decisions/new/?group=%00",
        "/decisions/correspondence/new/?group=DAG%00",
        "/actions/DAG29-01%00/",
        "/changerequests/CR%00/",
        "/actions/?q=%00",
    ]:
        response = pmo.get(url)
        assert response.status_code == 400, url
        assert "NUL character" in response.content.decode()


def test_the_import_preview_names_the_line_and_column_of_a_nul_after_8_kb(pmo, dag, meeting):
    header = "Ref,Date raised,Area,Action,Owner,Due,Status,Latest update,Latest update date\n"
    rows = [f"DAG29-{n:02d},11/10/2023,,Action {n} {'x' * 200},Ofgem,ASAP,,,\n" for n in range(40)]
    late = "DAG29-99,11/10/2023,,Issue the plan\x00 today,Ofgem,ASAP,,,\n"
    content = (header + "".join(rows) + late).encode()
    assert content.index(b"\x00") > 8192

    file = SimpleUploadedFile("log.csv", content, content_type="text/csv")
    response = pmo.post(reverse("actions:action_import"), {"group": "DAG", "file": file})
    assert response.status_code == 302
    preview = pmo.get(response["Location"])
    page = preview.content.decode()

    assert "Line 42" in page
    assert "Column D (Action) has a NUL character at character 15" in page
    assert "Issue the plan␀ today" in page
    people = Person.objects.count()
    assert pmo.post(response["Location"]).status_code == 200  # refused, shown again
    assert Action.objects.filter(group=dag).count() == 0
    assert Person.objects.count() == people
