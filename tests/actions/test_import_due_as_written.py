"""An action log's Due column as the papers write it: TBC, Ongoing and "w/c" (a Monday)."""

from actions.import_file import PlannedRow, _parse_due
from actions.models import DueKind


def parsed(text):
    row = PlannedRow(line=2)
    _parse_due(row, text)
    return row


def test_undated_dues_are_read_as_written():
    assert parsed("TBC").due_kind == DueKind.TBC
    assert parsed("Ongoing").due_kind == DueKind.ONGOING
    assert parsed("asap").due_kind == DueKind.ASAP


def test_week_commencing_is_read_and_must_be_a_monday():
    row = parsed("w/c 08/08/2022")
    assert (row.due_kind, row.due_date, row.problems) == (DueKind.WEEK_COMMENCING, "2022-08-08", [])
    assert row.due_label == "w/c 08/08/2022"
    row = parsed("W/C 09/08/2022")
    assert row.problems == [
        "Due “W/C 09/08/2022”: w/c is week commencing, and 09/08/2022 is a Tuesday."
    ]
