"""The papers an approval by correspondence is about, as links in its emails, so that a
member or the chair reads the paper and the decision's wording from the email itself.

A decision approving minutes links the minutes as issued (the PDF of their latest issue
when it is rendered, else the minutes page) and, when it approves the headline report
too, the meeting's documents; a decision raised at an agenda item links the item, with the
paper or slides presented there; a meeting's paper as received is linked as a download; a
change request links its page. Every decision links its own page. The meetings' pages are
reached by URL name and reverse relation (this app sits below meetings).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from core.models import Role
from documents.models import DocumentStatus
from notifications.models import EmailKind
from notifications.notices import absolute
from notifications.outbox import queue_email

from .models import Papers
from .notices import people_of


@dataclass
class DecisionPapers:
    """A decision of a round with the papers to read before deciding: [(label, url)]."""

    decision: object
    links: list = field(default_factory=list)


def _minutes_links(meeting, papers):
    issue = meeting.minutes_issues.select_related("document").order_by("-number").first()
    document = issue.document if issue else None
    if document is not None and document.status == DocumentStatus.READY:
        label = f"The minutes of {meeting.code} as issued ({issue.label}, PDF)"
        url = reverse("meetings:document_download", args=[document.pk])
    else:
        label = f"The minutes of {meeting.code}"
        url = reverse("meetings:minutes_document", args=[meeting.pk])
    links = [(label, absolute(url))]
    if papers in (Papers.MINUTES_AND_HEADLINE, Papers.HEADLINE):
        documents = reverse("meetings:meeting_documents", args=[meeting.pk])
        links.append((f"The Headline Report of {meeting.code}", absolute(documents)))
    return links


def papers_of(decision) -> list:
    """[(label, absolute url)] of what the decision asks the reader to approve."""
    links = []
    if decision.approves_minutes_of_id:
        links += _minutes_links(decision.approves_minutes_of, decision.papers)
    if decision.agenda_item_id:
        item = decision.agenda_item
        links.append(
            (
                f"The paper of item {item.number} at {item.meeting.code}: {item.title}",
                absolute(item.get_absolute_url()),
            )
        )
    if decision.meeting_id and decision.meeting.source_file:
        links.append(
            (
                f"The paper of {decision.meeting.code} as received",
                absolute(reverse("meetings:source_paper", args=[decision.meeting_id])),
            )
        )
    for change_request in decision.change_requests.all():
        links.append(
            (
                f"{change_request.reference}: {change_request.title or 'the change request'}",
                absolute(change_request.get_absolute_url()),
            )
        )
    links.append(
        (f"{decision.reference} in the decision log", absolute(decision.get_absolute_url()))
    )
    return links


def round_papers(decisions) -> list[DecisionPapers]:
    """Each decision of a round with its papers, in the order given."""
    return [DecisionPapers(decision, papers_of(decision)) for decision in decisions]


def with_papers(decisions):
    """The decisions re-read with what papers_of() follows, in a fixed number of queries."""
    model = type(decisions[0]) if decisions else None
    if model is None:
        return []
    order = {decision.pk: position for position, decision in enumerate(decisions)}
    loaded = (
        model.objects.filter(pk__in=order)
        .select_related(
            "group", "meeting__group", "agenda_item__meeting__group", "approves_minutes_of__group"
        )
        .prefetch_related(Prefetch("change_requests"))
    )
    return sorted(loaded, key=lambda decision: order[decision.pk])


def tell_chairs_round_opened(round_, papers, *, user) -> None:
    """The group's chairs are sent the round as the members are, with the papers and
    the wording, and the round's page where they follow the responses and conclude."""
    group = round_.group
    url = absolute(round_.get_absolute_url())
    for person in people_of(group, Role.CHAIR):
        if not person.email:
            continue
        context = {"round": round_, "person": person, "papers": papers, "url": url}
        queue_email(
            key=f"correspondence-chair:{round_.pk}:{person.pk}",
            kind=EmailKind.CORRESPONDENCE,
            requested_by=user,
            subject=f"[{group.code}] For your decision by correspondence: {round_.title} "
            f"(responses by {round_.deadline:%d/%m/%Y})",
            body_text=render_to_string("notifications/email/correspondence_chair.txt", context),
            body_html=render_to_string("notifications/email/correspondence_chair.html", context),
            to_address=person.email,
            person=person,
            group=group,
            references=[entry.decision.reference for entry in papers],
        )
