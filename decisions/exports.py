"""The decision log's download: the papers' columns and rows (written by core.exports)."""

from django.utils import timezone

from core.exports import Column

COLUMNS = [
    Column("Area", 30),
    Column("Dec Ref", 14),
    Column("Decision", 80),
    Column("Meeting", 12),
    Column("Date", 12),
    Column("How decided", 18),
]
CHUNK = 500


def decision_rows(decisions):
    """Rows of COLUMNS; `decisions` carry their current wording and meeting."""
    for decision in decisions.iterator(chunk_size=CHUNK):
        yield [
            decision.area,
            decision.reference,
            decision.current_wording,
            decision.meeting.code if decision.meeting_id else "",
            timezone.localtime(decision.decided_at).date() if decision.decided_at else None,
            decision.how_decided,
        ]
