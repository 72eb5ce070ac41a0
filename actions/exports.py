"""The action register's download: the columns of the papers' action tables (written by
core.exports).

The importer (actions/importer.py) reads the same columns back, so an exported log can be
imported elsewhere as it is.
"""

from core.exports import Column

from .models import DueKind

COLUMNS = [
    Column("Ref", 12),
    Column("Date raised", 12),
    Column("Area", 24),
    Column("Action", 60),
    Column("Owner", 28),
    Column("Due", 12),
    Column("Status", 18),
    Column("Latest update", 60),
    Column("Latest update date", 12),
]
CHUNK = 2000


def action_rows(actions):
    """Rows of COLUMNS; `actions` come from Action.objects.for_register() (owners prefetched,
    the latest update annotated). Read in chunks, so a large register is not held in memory."""
    for action in actions.iterator(chunk_size=CHUNK):
        yield [
            action.reference,
            action.date_raised,
            action.area,
            action.text,
            action.owner_display(),
            action.due_date if action.due_kind == DueKind.DATE else action.due_display(),
            action.get_status_display(),
            action.latest_update_text or "",
            action.latest_update_date,
        ]
