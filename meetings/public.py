"""The public version of a meeting's issued minutes, made from the same issued record as the
members' version (MinutesIssue.data), never retyped:

- an agenda item marked members only keeps its number and title, and its minutes, paper,
  change requests and the actions and decisions raised there are replaced by a note of what
  kind was withheld ("Withheld from the public version: commercially sensitive");
- a paragraph starting "[Members only: <kind>]" is replaced by the same kind of note;
- personal contact details (email addresses, telephone numbers) are removed from every
  text, and the links to the tracker's own pages (people, records) are dropped.

Publishing (minutes_publish) keeps which issue was published, when, and its PDF.
"""

import re
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.dates import uk_date
from documents.registry import Source
from documents.rendering import render_html, render_pdf

from .minutes_data import MeetingMinutes
from .models import Meeting, MinutesPublication
from .services import publication_deadline

WITHHELD_NOTE = "Withheld from the public version: {kind}."
REMOVED = "[contact details removed]"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers as typed: 020 7946 0958, +44 (0)20 7946 0958, 07700 900123.
PHONE_RE = re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\b0)(?:\d[\s-]?){9,10}\b")
MEMBERS_ONLY_PARAGRAPH = re.compile(
    r"<p[^>]*>\s*(?:<(?:strong|b|em)>)?\s*\[Members only(?::\s*([^\]<]*))?\].*?</p>",
    re.IGNORECASE | re.DOTALL,
)
INTERNAL_LINK = re.compile(r'<a\s[^>]*href="/[^"]*"[^>]*>(.*?)</a>', re.DOTALL)


def scrub(text: str) -> str:
    """Text with email addresses and telephone numbers removed."""
    return PHONE_RE.sub(REMOVED, EMAIL_RE.sub(REMOVED, text))


def _public_html(html: str) -> str:
    def note(match):
        kind = (match.group(1) or "members only").strip() or "members only"
        return f'<p class="withheld">{escape(WITHHELD_NOTE.format(kind=kind))}</p>'

    html = MEMBERS_ONLY_PARAGRAPH.sub(note, html)
    html = INTERNAL_LINK.sub(r"\1", html)
    # Sanitised HTML with text removed and a constant, escaped note added stays safe.
    return mark_safe(scrub(html))  # noqa: S308


def public_version(minutes: MeetingMinutes) -> MeetingMinutes:
    """The public version of the (issued) minutes: see the module's docstring."""
    withheld_items = {item.agenda_item_id for item in minutes.items if item.members_only}
    items = []
    for item in minutes.items:
        if item.members_only:
            items.append(
                replace(
                    item,
                    html=mark_safe(""),
                    paper_html=mark_safe(""),
                    records=[],
                    change_requests=[],
                    declarations=[scrub(text) for text in item.declarations],
                    withheld=[item.members_only],
                )
            )
            continue
        items.append(
            replace(
                item,
                html=_public_html(item.html),
                paper_html=_public_html(item.paper_html),
                records=[
                    replace(record, url="", text=scrub(record.text)) for record in item.records
                ],
                change_requests=[replace(cr, url="") for cr in item.change_requests],
                declarations=[scrub(text) for text in item.declarations],
            )
        )
    action_groups = []
    for group in minutes.action_groups:
        rows = [
            replace(row, url="", text=scrub(row.text), owner=scrub(row.owner))
            for row in group.rows
            if row.agenda_item_id not in withheld_items
        ]
        if rows:
            action_groups.append(replace(group, rows=rows))
    return replace(
        minutes,
        attendee_sections=[
            replace(
                section,
                lines=[replace(line, person_url="") for line in section.lines],
            )
            for section in minutes.attendee_sections
        ],
        action_groups=action_groups,
        decisions=[
            replace(d, url="", wording=scrub(d.wording))
            for d in minutes.decisions
            if d.agenda_item_id not in withheld_items
        ],
        raid_items=[
            replace(
                r,
                url="",
                discussion=scrub(r.discussion),
                conclusion=scrub(r.conclusion),
            )
            for r in minutes.raid_items
        ],
        review=[replace(u, url="", text=scrub(u.text)) for u in minutes.review],
        items=items,
        references=[],
        links={},
    )


def public_minutes_of(publication: MinutesPublication) -> MeetingMinutes:
    return public_version(MeetingMinutes.from_dict(publication.issue.data))


def public_pdf(meeting, minutes: MeetingMinutes, published_on) -> bytes:
    """The public version laid out as the minutes PDF is."""
    source = Source(
        template="documents/minutes.html",
        title=f"Minutes – {meeting.code} (public version)",
        group_title=minutes.header.group_title,
        classification="Public",
        issue_date=uk_date(published_on),
        landscape=False,
        data=minutes,
        label="Public version",
    )
    return render_pdf(render_html(source, version=1, issued=published_on))


@transaction.atomic
def minutes_publish(*, meeting, user) -> MinutesPublication:
    """Publish the public version of the meeting's latest issue of its minutes. Refused
    unless the group is public and the minutes are issued; an issue is published once (a
    correction, a new issue, is published again)."""
    meeting = Meeting.objects.lock_row(meeting.pk)
    if not meeting.group.public:
        raise ValidationError(f"{meeting.group.code} does not publish its minutes.")
    issue = meeting.minutes_issues.order_by("-number").first()
    if issue is None or not meeting.minutes_locked:
        raise ValidationError("Issue the minutes before publishing them.")
    if issue.publications.exists():
        raise ValidationError(f"{issue.label} of the minutes is already published.")
    publication = MinutesPublication(meeting=meeting, issue=issue, published_by=user)
    today = timezone.localdate()
    pdf = public_pdf(meeting, public_minutes_of(publication), today)
    # Saving the file saves the publication with it.
    publication.pdf.save(f"{meeting.code}-issue-{issue.number}-public.pdf", ContentFile(pdf))
    return publication


def publication_clock(publication: MinutesPublication) -> dict:
    """When the public version was due and whether it was published in time."""
    deadline = publication_deadline(publication.meeting)
    published_on = timezone.localdate(publication.published_at)
    return {"deadline": deadline, "published_on": published_on, "late": published_on > deadline}
