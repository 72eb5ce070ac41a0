"""Property tests: whatever the query string of the register (and its downloads), and
whatever bytes are uploaded to the importer, there is no server error."""

import datetime
import io
import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from actions import importer
from actions.models import DueKind
from actions.services import action_add_update
from core.models import Role
from tests.factories import make_action, make_group, make_meeting, make_person, make_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Text a browser could send: anything but lone surrogates, which cannot be encoded at all.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
NUMBERS = st.integers(min_value=-(10**30), max_value=10**30).map(str)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["31/02/2024", "2024-13-01", "00/00/0000", "9999-12-31", "today", "1/1/1"]),
)
VALUES = {
    "q": st.one_of(ANY_TEXT, st.sampled_from(['"PPIR', "DAG29-01", "-", "a | b", "!!", "&"])),
    "group": st.one_of(ANY_TEXT, st.sampled_from(["DAG", "TMAG", "dag"])),
    "meeting": st.one_of(ANY_TEXT, NUMBERS, st.sampled_from(["DAG029", "DAG10.1", "DAG9.99999"])),
    "owner": st.one_of(ANY_TEXT, NUMBERS, st.just("me")),
    "status": st.one_of(ANY_TEXT, st.sampled_from(["all", "overdue", "open", "closed"])),
    "due": st.one_of(ANY_TEXT, st.sampled_from(["overdue", "week", "asap", "next_meeting"])),
    "due_from": st.one_of(ANY_TEXT, DATES),
    "due_to": st.one_of(ANY_TEXT, DATES),
    "area": ANY_TEXT,
    "change_request": st.one_of(ANY_TEXT, st.just("CR043")),
    "sort": st.one_of(ANY_TEXT, st.sampled_from(["reference", "-updated", "status", "-due"])),
    "page": st.one_of(ANY_TEXT, NUMBERS, st.sampled_from(["1e9", "0", "-1", "2.5", "last"])),
    "unknown": ANY_TEXT,
}
# Any subset of the filters; a repeated parameter (?status=a&status=b) now and then.
QUERIES = st.fixed_dictionaries(
    {},
    optional={
        key: st.one_of(values, st.lists(values, min_size=2, max_size=2))
        if key in ("status", "page", "owner")
        else values
        for key, values in VALUES.items()
    },
)


@pytest.fixture
def member_client(client):
    """A member of DAG logged in, with a dozen varied actions (made once per test, not per
    example: the requests only read)."""
    dag = make_group("DAG")
    make_group("TMAG")
    member = make_user("member", group=dag, role=Role.MEMBER)
    meeting = make_meeting(dag, number=29, date=datetime.date(2023, 10, 11))
    for n in range(12):
        action = make_action(
            meeting,
            owners=[member.person if n % 2 else make_person()],
            owner_party="Programme" if n % 3 else "",
            due_kind=DueKind.ASAP if n % 4 == 0 else DueKind.DATE,
            due_date=None if n % 4 == 0 else meeting.date + datetime.timedelta(days=n * 20),
            area=f"Area {n % 3}",
        )
        if n % 2:
            action_add_update(action=action, text=f"PPIR update {n}", date=meeting.date)
    client.force_login(member)
    return client


FUZZ = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}


def expected_status(query):
    """200, but a NUL anywhere in the address is refused whole (core.nul): 400, never 500."""
    values = [
        v for value in query.values() for v in (value if isinstance(value, list) else [value])
    ]
    return 400 if any("\x00" in str(text) for text in [*query, *values]) else 200


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), **FUZZ)
# 2,000 examples in the full run (FUZZ_EXAMPLES=2000, see tests/meetings/test_meeting_fuzz.py).
# Seven in eight requests ask for the htmx partial: the same filtering, half the rendering
# (the filter form, with its errors, is in the others).
@given(query=QUERIES, htmx=st.sampled_from([True] * 7 + [False]))
def test_register_never_fails(member_client, query, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = member_client.get("/actions/", query, headers=headers)
    assert response.status_code == expected_status(query)


@settings(max_examples=150, **FUZZ)
@given(query=QUERIES, fmt=st.sampled_from(["csv", "xlsx"]))
def test_downloads_never_fail(member_client, query, fmt):
    response = member_client.get(f"/actions/export.{fmt}", query)
    assert response.status_code == expected_status(query)
    if response.status_code != 200:
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body


CELL = st.one_of(
    ANY_TEXT,
    DATES,
    st.sampled_from(["ASAP", "Next meeting", "CLOSED", "ONGOING", "Programme (A B & C D)"]),
)
HEADER = ["Ref", "Date raised", "Area", "Action", "Owner", "Due", "Status", "Latest update"]


@pytest.fixture
def group():
    return make_group("DAG")


@settings(max_examples=300, **FUZZ)
@given(
    content=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=200).map(lambda data: b"PK\x03\x04" + data),
        st.lists(st.lists(CELL, max_size=10), max_size=6).map(
            lambda rows: "\n".join(",".join(row) for row in [HEADER, *rows]).encode()
        ),
        st.text(string.printable, max_size=300).map(str.encode),
    )
)
def test_any_upload_gives_a_plan_or_reasons(group, content):
    plan = importer.read_upload(content, "upload", group=group)
    if not plan.file_errors:
        assert plan.rows
        for row in plan.rows:
            assert row.problems or (row.reference and row.text and row.date_raised)


@settings(max_examples=50, **FUZZ)
@given(rows=st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=1, max_size=4))
def test_xlsx_cells_of_any_kind(group, rows):
    workbook = Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = importer.read_upload(buffer.getvalue(), "upload.xlsx", group=group)
    if plan.file_errors:  # only when every row is blank
        assert plan.file_errors == ["The file has a header row but no actions."]
    assert len(plan.rows) <= len(rows)
