"""The tables of a paper found among its lines by the Reader (parse_text.py): a heading
row whose cells are the columns of actions, decisions or change requests (in any order
and wording), or a heading copied as one line ("Ref Action Owner Due Latest update")
over rows that run from one reference to the next; the rows added to the paper in order,
each with the area printed above it and the agenda item it was read under."""

import re

from .lines import SLIDE_MARK, STOPS
from .tables import (
    ACTION_COLUMNS,
    ACTION_REF,
    CR_COLUMNS,
    DECISION_COLUMNS,
    DECISION_REF,
    action_from_cells,
    columns_in_line,
    columns_of,
    cr_from_cells,
    decision_from_cells,
    key,
    normal_reference,
    read_blocks,
    read_tabbed,
    split_action_block,
    split_cr_block,
)


class TableReading:
    """The Reader's table reading: needs its `lines`, `paper`, `item` and `running`."""

    def table(self, at, cells, text):
        """Read a table starting at this line, if one does; the index after it."""
        tabbed = len([c for c in cells if c.strip()]) > 1
        if tabbed:
            for vocabulary, build, target in (
                (CR_COLUMNS, cr_from_cells, self.paper.change_requests),
                (DECISION_COLUMNS, decision_from_cells, self.paper.decisions),
                (ACTION_COLUMNS, action_from_cells, self.paper.actions),
            ):
                columns = columns_of(cells, vocabulary)
                if not columns or not self._fits(columns, vocabulary):
                    continue
                reference = columns.index("reference")

                def row_start(row, reference=reference, vocabulary=vocabulary):
                    return reference < len(row) and bool(
                        REFERENCE_OF[id(vocabulary)].fullmatch(normal_reference(row[reference]))
                    )

                rows, end = read_tabbed(self.lines, at, columns, row_start, self.running)
                self._add_rows([build(row) for row in rows], target)
                return end
            return None
        if "change raiser" in key(text) and key(text).startswith("ref"):
            blocks, end = read_blocks(self.lines, at, CR_BLOCK, _cr_table_ends, self.running)
            self._add_rows([split_cr_block(*block) for block in blocks], self.paper.change_requests)
            return end
        columns = columns_in_line(text, ACTION_COLUMNS)
        if columns and "reference" in columns and "text" in columns:
            anywhere = columns[0] != "reference"
            blocks, end = read_blocks(
                self.lines, at, ACTION_REF_WORD, _actions_end, self.running, anywhere=anywhere
            )
            rows = [split_action_block(ref, rest, columns, before) for ref, rest, before in blocks]
            self._add_rows(rows, self.paper.actions)
            return end
        return None

    @staticmethod
    def _fits(columns, vocabulary):
        named = set(filter(None, columns))
        if vocabulary is CR_COLUMNS:
            return {"reference", "title"} <= named and len(named) >= 3
        if vocabulary is DECISION_COLUMNS:
            return {"reference", "wording"} <= named
        return {"reference", "text"} <= named

    def _add_rows(self, rows, target):
        """Rows added in order; a row whose area is "Previous Meeting(s)" and those after
        it were raised earlier; a blank area is the one printed on the row above, also
        across a page break (the table's heading row printed again atop the page)."""
        area, previous = "", False
        if target and rows and hasattr(rows[0], "previous") and not rows[0].area:
            area, previous = target[-1].area, target[-1].previous
        for row in rows:
            if not row.reference:
                continue
            if hasattr(row, "previous"):
                if row.area and key(row.area).startswith(("previous meeting", "closed at")):
                    previous, row.area = True, ""
                elif row.area:
                    area = row.area
                row.area = row.area or ("" if previous else area)
                row.previous = previous or bool(row.date_raised)
            if self.item is not None:
                row.item = self.item.number
            target.append(row)


REFERENCE_OF = {
    id(ACTION_COLUMNS): re.compile(ACTION_REF.pattern + r"|[A-Z][A-Z0-9.\-]{2,30}\d"),
    id(DECISION_COLUMNS): re.compile(DECISION_REF.pattern + r"|[A-Z][A-Z0-9.\-]{2,30}\d"),
    id(CR_COLUMNS): re.compile(r"CR\d{3,4}"),
}
ACTION_REF_WORD = re.compile(r"(?<![\w-])(?:" + ACTION_REF.pattern + r")\b")
CR_BLOCK = re.compile(r"^CR\s?\d{3,4}\b")


def _actions_end(text):
    return bool(SLIDE_MARK.match(text) or re.match(r"^\d{1,2}\.\s", text)) or key(text) in STOPS


def _cr_table_ends(text):
    return key(text) == "change control" or key(text).startswith(("updated to", "this slide"))
