"""What reading the app's own 16-page minutes PDF back showed (the import benchmark): a
reference wider than its column runs into the next cell; a table's heading row printed
again atop each page is not a running header; a table carried over a page keeps the area
of its last row; a slide's title atop a page is not the end of the paragraph before."""

from meetings.paper_import.parse_pdf import _carries_on, _overflow_back, _running_lines
from meetings.paper_import.parse_text import parse_lines


def test_a_reference_that_ran_into_the_next_cell_is_put_back():
    row = ["", "BENCH16-10", "9Programme to report back", "Programme (Ann Lee)", "10/07/2024"]
    assert _overflow_back(row)[1:3] == ["BENCH16-109", "Programme to report back"]
    decision = ["Item 2", "DAG-DEC10", "0The SRO approved the design"]
    assert _overflow_back(decision)[1:] == ["DAG-DEC100", "The SRO approved the design"]
    # Text that starts with a number of its own is left alone.
    assert _overflow_back(["", "DAG29-01", "2 CRs to be raised"])[1:] == [
        "DAG29-01",
        "2 CRs to be raised",
    ]


def test_a_repeated_heading_row_is_kept_and_the_running_header_dropped():
    """And a numbered heading opening two pages of many is not running."""
    heading = ["Area", "Ref", "Action", "Owner", "Due"]
    running = ["DAG Minutes and Actions – DAG029", ""]
    pages = [
        [running, heading, ["Item 1", "DAG29-01", "Do it", "Programme", "ASAP"]],
        [running, heading, ["", "DAG29-02", "Do more", "Programme", "ASAP"]],
    ]
    assert _running_lines(pages) == {"DAG Minutes and Actions – DAG029"}
    words = ["design", "testing", "migration", "change", "risks", "governance"]
    pages = [[[f"The group discussed {word}."]] for word in words]
    pages[1].insert(0, ["7. Agenda item 7"])
    pages[4].insert(0, ["12. Agenda item 12"])
    assert _running_lines(pages) == set()


def test_a_table_carried_over_a_page_keeps_its_area():
    heading = ["Area", "Ref", "Action", "Owner", "Due"]
    lines = [
        ["New / Outstanding Actions"],
        heading,
        ["CR032 Impact Assessment", "DAG29-01", "NGESO to amend CR032", "NGESO", "13/10/2023"],
        [""],
        heading,
        ["", "DAG29-02", "Programme to resubmit CR032", "Programme (PMO)", "08/11/2023"],
    ]
    paper = parse_lines(lines)
    assert [(a.reference, a.area) for a in paper.actions] == [
        ("DAG29-01", "CR032 Impact Assessment"),
        ("DAG29-02", "CR032 Impact Assessment"),
    ]


def test_a_slide_title_atop_a_page_starts_anew():
    last = ["This slide captures Change Requests raised in the last three months and their"]
    assert not _carries_on(last, ["Design Updates"], ran_to_margin=True)
    assert not _carries_on(last, ["12. Summary and next steps"], ran_to_margin=True)
    assert _carries_on(last, ["status at the time of the meeting."], ran_to_margin=True)


def test_a_paragraph_ending_short_of_the_margin_ends_at_the_page_break():
    """An action's wording without a full stop, the page's last line: the paragraph atop
    the next page is another."""
    last = ["ACTION DAG29-02: Programme to issue a Programme Participant Information Request"]
    first = ["The DAG also requested the matter is highlighted to the FTIG."]
    assert not _carries_on(last, first, ran_to_margin=False)
    assert _carries_on(last, first, ran_to_margin=True)
