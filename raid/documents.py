"""The RAID report of a group: the heat map and the top items by score (registered with
documents/registry.py by RaidConfig.ready())."""

from dataclasses import dataclass

from django.db.models import Q

from core.references import reference_sort_key
from documents.forms import ReportForm, classification_label
from documents.registry import GROUP, Source, group_title, reference_links, register_kind

from .models import RaidItem, RaidStatus

RAID = "raid"
TOP_ITEMS = 10


@dataclass(frozen=True)
class HeatCell:
    probability: int
    impact: int
    band: str
    references: list[str]


@dataclass(frozen=True)
class RaidRow:
    reference: str
    url: str
    raid_type: str
    area: str
    title: str
    owner: str
    probability: int | None
    impact: int | None
    score: int | None
    band: str
    mitigation: str
    milestone: str


@dataclass(frozen=True)
class RaidReport:
    group_title: str
    heat_map: list[list[HeatCell]]  # rows of probability 5 down to 1, impact 1 to 5
    top: list[RaidRow]
    unscored: list[RaidRow]
    open_count: int
    links: dict[str, str]


def _raid_row(item: RaidItem) -> RaidRow:
    return RaidRow(
        reference=item.reference,
        url=item.get_absolute_url(),
        raid_type=item.get_raid_type_display(),
        area=item.area,
        title=item.title,
        owner=item.owner.name if item.owner else "",
        probability=item.probability,
        impact=item.impact,
        score=item.score,
        band=item.band,
        mitigation=item.mitigation,
        milestone=item.milestone,
    )


def raid_source(document) -> Source:
    """The group's (and programme-wide) open RAID items: heat map and top items by score."""
    group = document.group
    items = list(
        RaidItem.objects.filter(Q(group=group) | Q(group__isnull=True), status=RaidStatus.OPEN)
        .select_related("owner")
        .order_by("reference")
    )
    scored = sorted(
        (i for i in items if i.score), key=lambda i: (-i.score, reference_sort_key(i.reference))
    )
    heat_map = [
        [
            HeatCell(
                probability=p,
                impact=i,
                # The band thresholds are RaidItem's own.
                band=RaidItem(probability=p, impact=i).band,
                references=[x.reference for x in scored if (x.probability, x.impact) == (p, i)],
            )
            for i in range(1, 6)
        ]
        for p in range(5, 0, -1)
    ]
    return Source(
        template="documents/raid.html",
        title="RAID Report",
        group_title=group_title(group),
        classification=classification_label(document.parameters),
        issue_date="",
        landscape=False,
        data=RaidReport(
            group_title=group_title(group),
            heat_map=heat_map,
            top=[_raid_row(i) for i in scored[:TOP_ITEMS]],
            unscored=[_raid_row(i) for i in items if not i.score],
            open_count=len(items),
            links=reference_links(*(text for i in items for text in (i.title, i.mitigation))),
        ),
    )


def register() -> None:
    register_kind(RAID, "RAID report", scope=GROUP, source=raid_source, form=ReportForm)
