"""The Content Security Policy in Chromium: the secretariat visits every main page of the
demo data (and opens an inline form with htmx) and the browser reports no violation.

Violations are caught two ways: the `securitypolicyviolation` events of each page, recorded
by a script Playwright adds before any of the page's own, and the console messages Chromium
writes when it blocks something. A last step injects an inline handler to show a violation
would be seen.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Action
from changerequests.models import ChangeRequest
from core.models import GovernanceGroup, Person
from decisions.models import Decision
from meetings.models import Meeting, MeetingStatus
from raid.models import RaidItem

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


def main_pages():
    """The pages the secretariat works on, with a record of the demo data for each kind."""
    group = GovernanceGroup.objects.get(code="DAG")
    meeting = Meeting.objects.filter(group=group).order_by("-date").first()
    held = Meeting.objects.filter(group=group, number=29).first() or meeting
    action = Action.objects.filter(group=group).order_by("reference").first()
    decision = Decision.objects.filter(group=group).order_by("reference").first()
    cr = ChangeRequest.objects.order_by("reference").first()
    raid = RaidItem.objects.filter(group=group).order_by("reference").first()
    person = Person.objects.order_by("pk").first()
    pages = [
        reverse("meetings:home"),
        reverse("meetings:group_list"),
        reverse("meetings:group_detail", args=[group.code]),
        reverse("meetings:meeting_create", args=[group.code]),
        reverse("meetings:meeting_list"),
        reverse("meetings:person_detail", args=[person.pk]),
        reverse("meetings:raid_review_list"),
        reverse("actions:action_list"),
        reverse("actions:action_list") + "?owner=me",
        reverse("actions:action_import"),
        reverse("actions:action_detail", args=[action.reference]),
        reverse("actions:action_correct", args=[action.reference]),
        reverse("decisions:decision_list"),
        reverse("decisions:decision_create"),
        reverse("decisions:round_list"),
        reverse("decisions:round_create") + f"?group={group.code}",
        reverse("decisions:decision_detail", args=[decision.reference]),
        reverse("changerequests:cr_list"),
        reverse("changerequests:cr_board"),
        reverse("changerequests:cr_new"),
        reverse("changerequests:cr_detail", args=[cr.reference]),
        reverse("changerequests:cr_edit", args=[cr.reference]),
        reverse("raid:raid_list"),
        reverse("raid:raid_new"),
        reverse("raid:raid_detail", args=[raid.reference]),
        reverse("raid:raid_edit", args=[raid.reference]),
        reverse("email:email_log"),
        reverse("meetings:meeting_documents", args=[held.pk]),
        reverse("meetings:group_documents", args=[group.code]),
    ]
    for pk in {meeting.pk, held.pk}:
        pages += [
            reverse("meetings:meeting_detail", args=[pk]),
            reverse("meetings:meeting_edit", args=[pk]),
            reverse("meetings:attendance", args=[pk]),
            reverse("meetings:agenda", args=[pk]),
            reverse("meetings:minutes_write", args=[pk]),
            reverse("meetings:action_review", args=[pk]),
            reverse("meetings:minutes_document", args=[pk]),
        ]
    return pages


def test_no_page_breaks_the_content_security_policy(page, login):
    call_command("load_demo", verbosity=0)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    login("secretariat", "demo")
    violations = []
    pages = main_pages()
    for url in pages:
        response = page.goto(url)
        assert response.status < 400, f"{url} answered {response.status}"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        violations += [f"{url}: {v}" for v in page.evaluate("window.__cspViolations")]

    # htmx at work: an inline form brought into the minutes page and cancelled again.
    held = Meeting.objects.get(group__code="DAG", number=29)
    held.status = MeetingStatus.MINUTES_DRAFT  # open for records, whatever the demo says
    held.save(update_fields=["status"])
    page.goto(reverse("meetings:minutes_write", args=[held.pk]))
    page.get_by_role("link", name="Raise action").first.click()
    form = page.locator("form.inline-form")
    expect(form).to_be_visible()
    form.get_by_role("button", name="Cancel").click()
    expect(form).to_have_count(0)
    violations += [f"inline form: {v}" for v in page.evaluate("window.__cspViolations")]

    assert not violations, "\n".join(violations)
    assert not console, "\n".join(console)
    assert len(pages) >= 30

    # The watch works: an injected inline handler is blocked and reported.
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        '\'<img src="/static/none.png" onerror="window.ran = true">\')'
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.ran") is None
