"""Notices (notifications/notices.py): the per-kind opt-outs on the signed preferences page,
and a notice with an attachment sent over SMTP with its content type's parameters."""

import pytest
from django.urls import reverse

from notifications.models import NOTICE_KINDS, EmailKind, EmailPreference
from notifications.notices import Attachment, tell
from notifications.preferences import preferences_token
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_the_preferences_page_has_a_checkbox_per_kind(client):
    person = make_person("Paul Pettitt", email="paul@example.org")
    url = reverse("email:preferences", args=[preferences_token(person.pk)])
    page = client.get(url).content.decode()
    for kind in NOTICE_KINDS:
        assert f'name="kind" value="{kind.value}" checked' in page and kind.label in page
    wanted = [kind for kind in NOTICE_KINDS if kind != EmailKind.MINUTES_ISSUED]
    response = client.post(url, {"notices": "1", "kind": wanted})
    assert response["Location"] == url
    preference = EmailPreference.objects.get(person=person)
    assert preference.opted_out_kinds == [EmailKind.MINUTES_ISSUED]
    assert not preference.daily_digest_opt_out  # the digest has its own switch
    assert f'value="{EmailKind.MINUTES_ISSUED.value}">' in client.get(url).content.decode()
    client.post(url, {"notices": "1", "kind": list(NOTICE_KINDS)})
    preference.refresh_from_db()
    assert preference.opted_out_kinds == []


def test_a_forged_link_changes_nothing(client):
    person = make_person("Paul Pettitt", email="paul@example.org")
    response = client.post(reverse("email:preferences", args=["1"]), {"notices": "1"})
    assert response.status_code == 400
    assert not EmailPreference.objects.filter(person=person).exists()


def test_an_attachment_keeps_its_method_parameter(mailbox):
    person = make_person("Paul Pettitt", email="paul@example.org")
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    tell(
        key="test:1",
        kind=EmailKind.MEETING_INVITATION,
        person=person,
        subject="Invitation",
        intro="Hello",
        attachment=Attachment("invite.ics", "text/calendar; method=REQUEST", ics),
    )
    mailbox.deliver()
    (message,) = mailbox.messages
    (part,) = message.iter_attachments()
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST" and part.get_filename() == "invite.ics"
    assert part.get_content().replace("\r\n", "\n") == ics.replace("\r\n", "\n")


def test_nobody_without_an_address_or_inactive_is_told(mailbox):
    for n, person in enumerate(
        [make_person(email=""), make_person(email="x@example.org", active=False)]
    ):
        assert (
            tell(key=f"t:{n}", kind=EmailKind.MINUTES_ISSUED, person=person, subject="S", intro="I")
            is None
        )
