"""Every register's download (actions, decisions, change requests, RAID; CSV and XLSX, all
written by core.exports) keeps text that starts like a formula (= + - @ TAB CR) as text: in
CSV with a leading quote, in Excel as a quoted text cell, never a formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.services import action_add_update
from core.models import Role
from tests.factories import (
    ChangeRequestFactory,
    DecisionFactory,
    RaidItemFactory,
    make_action,
    make_group,
    make_meeting,
    make_user,
)

PAYLOAD = "cmd|' /C calc'!A0"
STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list, written out: not read from the code
ATTACKS = [start + PAYLOAD for start in STARTS]


def make_actions(group, user):
    meeting = make_meeting(group, number=29)
    for number, attack in enumerate(ATTACKS, start=1):
        action = make_action(
            meeting,
            reference=f"DAG29-{number:02d}",
            text=attack,
            area=attack,
            owner_party=attack,
        )
        action_add_update(action=action, text=attack, date=meeting.date, user=user)


def make_decisions(group, user):
    for attack in ATTACKS:
        DecisionFactory(group=group, wording=attack, area=attack)


def make_crs(group, user):
    for attack in ATTACKS:
        ChangeRequestFactory(
            group=group,
            title=attack,
            key_detail=attack,
            latest_action=attack,
            next_action=attack,
            implementation_milestone=attack,
        )


def make_raid(group, user):
    for attack in ATTACKS:
        RaidItemFactory(
            group=group, title=attack, area=attack, description=attack, mitigation=attack
        )


REGISTERS = {
    "actions": (make_actions, "actions:action_export_{fmt}", [], {"status": "all"}),
    "decisions": (make_decisions, "decisions:decision_export", ["{fmt}"], {}),
    "change requests": (make_crs, "changerequests:cr_export_{fmt}", [], {}),
    "RAID": (make_raid, "raid:raid_export_{fmt}", [], {}),
}


@pytest.fixture
def member(db):
    dag = make_group("DAG")
    return dag, make_user("member", group=dag, role=Role.SECRETARIAT)


def download(client, register, fmt, member):
    group, user = member
    make, url_name, args, query = REGISTERS[register]
    make(group, user)
    client.force_login(user)
    url = reverse(url_name.format(fmt=fmt), args=[arg.format(fmt=fmt) for arg in args])
    response = client.get(url, query)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("register", REGISTERS)
def test_csv_quotes_every_cell_starting_like_a_formula(client, member, register):
    response = download(client, register, "csv", member)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    cells = [cell for row in rows for cell in row]

    for attack in ATTACKS:
        assert "'" + attack in cells, (register, attack)
    assert not [cell for cell in cells if cell.startswith(STARTS)]


@pytest.mark.parametrize("register", REGISTERS)
def test_xlsx_keeps_every_cell_starting_like_a_formula_as_text(client, member, register):
    response = download(client, register, "xlsx", member)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    risky = [
        cell
        for cell in cells
        if isinstance(cell.value, str) and cell.value.startswith((*STARTS, "\n"))
    ]

    assert len({cell.value for cell in risky}) == len(ATTACKS), register  # CR reads back as LF
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky), register
    assert not [cell for cell in cells if cell.data_type == "f"]
