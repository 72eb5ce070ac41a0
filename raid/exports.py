"""The RAID log's download: its columns and rows (written by core.exports)."""

from core.exports import Column

COLUMNS = [
    Column("Ref", 8),
    Column("Type", 12),
    Column("Group", 10),
    Column("Area", 24),
    Column("Title", 40),
    Column("Description", 60),
    Column("Owner", 24),
    Column("Probability", 12),
    Column("Impact", 8),
    Column("Score", 8),
    Column("Band", 10),
    Column("Mitigation", 60),
    Column("Status", 12),
    Column("Superseded by", 14),
    Column("Milestone", 20),
    Column("Date raised", 12),
    Column("Change requests", 20),
]
CHUNK = 2000


def raid_rows(items):
    """Rows of COLUMNS. Items need select_related("group", "owner", "superseded_by") and
    prefetch_related("change_requests"), which iterator() runs once per chunk."""
    for item in items.iterator(chunk_size=CHUNK):
        yield [
            item.reference,
            item.get_raid_type_display(),
            item.group.code if item.group else "Programme",
            item.area,
            item.title,
            item.description,
            item.owner.name if item.owner else "",
            item.probability,
            item.impact,
            item.score,
            item.band,
            item.mitigation,
            item.get_status_display(),
            item.superseded_by.reference if item.superseded_by else "",
            item.milestone,
            item.date_raised,
            ", ".join(cr.reference for cr in item.change_requests.all()),
        ]
