"""Rows of the RAID log download (CSV or XLSX, written by changerequests.exports)."""

RAID_HEADERS = [
    "Ref",
    "Type",
    "Group",
    "Area",
    "Title",
    "Description",
    "Owner",
    "Probability",
    "Impact",
    "Score",
    "Band",
    "Mitigation",
    "Status",
    "Superseded by",
    "Milestone",
    "Date raised",
    "Change requests",
]


def raid_rows(items):
    """Items need select_related("group", "owner", "superseded_by") and
    prefetch_related("change_requests")."""
    for item in items:
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
