"""The CR status table's download: its columns and rows (written by core.exports)."""

from core.exports import Column

COLUMNS = [
    Column("Ref", 10),
    Column("Title", 40),
    Column("Key detail", 60),
    Column("Change raiser", 24),
    Column("Change type", 16),
    Column("Latest action", 40),
    Column("Approval status", 18),
    Column("Current stage", 22),
    Column("Next action (if approved)", 40),
    Column("Implementation date/milestone", 24),
    Column("Change owner", 24),
    Column("Decided by", 12),
    Column("Group", 10),
    Column("Date raised", 12),
    Column("IA response deadline", 12),
    Column("Status updated", 12),
]
CHUNK = 2000


def cr_rows(change_requests):
    """Rows of COLUMNS; `change_requests` from ChangeRequest.objects.for_register()."""
    for cr in change_requests.iterator(chunk_size=CHUNK):
        yield [
            cr.reference,
            cr.title,
            cr.key_detail,
            cr.raiser_display(),
            cr.get_change_type_display(),
            cr.latest_action,
            cr.get_approval_status_display(),
            cr.get_stage_display(),
            cr.next_action,
            cr.implementation_milestone,
            cr.owner_display(),
            cr.get_decision_body_display(),
            cr.group.code if cr.group else "Programme",
            cr.date_raised,
            cr.ia_deadline,
            cr.status_updated,
        ]
