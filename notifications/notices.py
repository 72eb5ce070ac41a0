"""Notices: the emails that tell a person something happened to a record they care about.

The feature app that owns the event decides what to say and to whom (actions/notices.py,
decisions/notices.py, meetings/notices.py); tell() sends it through the outbox, once per
key, unless the person has no address, is inactive or turned that kind of notice off.
Every notice names its kind in the footer with the signed link to the preferences page.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .models import EmailKind, EmailPreference, OutboundEmail
from .outbox import queue_email
from .preferences import preferences_token


def absolute(path: str) -> str:
    """The address of one of the site's pages, as an email must give it."""
    return settings.SITE_URL + path


@dataclass
class Item:
    """One record in a notice: its heading (reference), text, a few detail lines and links
    [(label, url)], the first of which goes straight to the record."""

    heading: str
    text: str = ""
    details: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Attachment:
    name: str
    content_type: str
    text: str


def tell(
    *,
    key,
    kind,
    person,
    subject,
    intro,
    items=(),
    links=(),
    group=None,
    requested_by=None,
    attachment=None,
) -> OutboundEmail | None:
    """Queue the notice `kind` to `person` under `key` (a second call with the same key
    sends nothing new); None when the person is not to get it."""
    if not person.email or not person.active:
        return None
    if not EmailPreference.of(person).wants(kind):
        return None
    context = {
        "person": person,
        "intro": intro,
        "items": list(items),
        "links": list(links),
        "kind_label": EmailKind(kind).label,
        "preferences_url": absolute(
            reverse("email:preferences", args=[preferences_token(person.pk)])
        ),
    }
    extra = {}
    if attachment is not None:
        extra = {
            "attachment_name": attachment.name,
            "attachment_type": attachment.content_type,
            "attachment_text": attachment.text,
        }
    return queue_email(
        key=key,
        kind=kind,
        to_address=person.email,
        subject=subject,
        body_text=render_to_string("notifications/email/notice.txt", context),
        body_html=render_to_string("notifications/email/notice.html", context),
        person=person,
        group=group,
        references=[item.heading for item in items],
        requested_by=requested_by,
        **extra,
    )
