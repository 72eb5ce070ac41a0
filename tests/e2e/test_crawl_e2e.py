"""Issue 24, done when: a crawler signs in as each demo role, follows every link it can reach
(one page per path shape, so DAG029 stands for every meeting, and a list once plain and once
filtered), looks at each page on a laptop (1440 x 900) and on a phone (390 x 844), and finds
no console error, no page that scrolls sideways as a whole and no doubled label; the action
register shows at least 10 actions on a laptop screen without scrolling.

Issue 21 item 8: on the same page loads, axe-core finds no WCAG 2.2 A or AA violation on each
page template a role reaches (a page per group is one template), nor on its first form sent
with its required fields empty (the form's error state).

A test per role (each loads the demo and uses one browser page), so the two test processes
share the roles between them."""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from . import axe

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROLES = ["secretariat", "chair", "member", "observer", "admin"]
LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# Pages per role: a guard against a crawl that never ends (a link making new path shapes
# forever). It is well above what a role reaches (the admin, who sees every group's pages,
# about 290): a crawl stopped by it fails, as a page left out would go unchecked.
MAX_PAGES = 600
# Downloads and documents are files, not pages; logging out ends the crawl; Django's admin
# site has its own stylesheet and is not the tracker's pages, nor is the API's Swagger UI
# (tests/e2e/test_api_docs_e2e.py checks it).
SKIP = re.compile(
    r"/(export|download|csv|xlsx|pdf|ics)\b|\.(csv|xlsx|pdf|ics|docx)$|^/admin/|^/accounts/logout"
    r"|^/static/|^/media/|^/api/docs/"
)
# "Comment (optional) (optional)", "1. 1. Welcome", "Owner Owner".
DOUBLED = [
    re.compile(r"(\([^()]{2,40}\))\s*\1", re.IGNORECASE),
    re.compile(r"^\s*(\d+(?:\.\d+)*\.?)\s+\1\s"),
    re.compile(r"\b(\w{3,}(?: \w+){0,3})\s+\1\b", re.IGNORECASE),
]
LABELS_JS = """() => Array.from(document.querySelectorAll(
    'label, legend, th, h1, h2, h3, h4, summary, button, .field__hint'))
  .map(e => e.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean)"""


def shape(path, query):
    """The path with its ids and references blanked, and whether it has a query:
    /meetings/12/ and /meetings/13/ are one shape, as are /actions/DAG29-01/ and
    /actions/DAG30-02/; a list is visited plain and with the first filter found."""
    parts = ["#" if re.search(r"\d", part) else part for part in path.strip("/").split("/")]
    return "/".join(parts) + ("?" if query else "")


def login(context, username):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"
    return page


def watch(page, errors):
    page.on(
        "console",
        lambda msg: msg.type == "error" and errors.append(f"{page.url}: console: {msg.text}"),
    )
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: page error: {exc}"))


def sideways(page):
    """How far the page scrolls sideways as a whole, and what sticks out (if it does)."""
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, "
        "Array.from(document.querySelectorAll('body *')).filter(e => "
        "e.getBoundingClientRect().right > window.innerWidth + 1 && "
        "!e.closest('.table-wrap')).slice(0, 3).map(e => e.outerHTML.slice(0, 120))]"
    )


def template_shape(path, query):
    """The shape with group codes blanked too: /groups/DAG/ and /groups/PSG/ are one
    template, which axe need check once for a role."""
    return re.sub(r"(^|/)[A-Z]{2,}(?=/|$)", r"\1@", shape(path, query))


def check_page(page, url, problems, audit):
    """Load the page on a laptop screen, then narrow it to a phone's: one load, two
    layouts; and, if `audit`, run axe on it. Returns the links on the page."""
    page.set_viewport_size(LAPTOP)
    response = page.goto(url)
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return []
    if response.status >= 400:
        problems.append(f"{url}: HTTP {response.status}")
    if audit:
        problems.extend(f"{url}: axe {violation}" for violation in axe.violations(page))
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        scroll_width, width, culprits = sideways(page)
        if scroll_width > width:
            problems.append(f"{url} at {width}px: scrolls sideways ({scroll_width}): {culprits}")
    for text in page.evaluate(LABELS_JS):
        for pattern in DOUBLED:
            if pattern.search(text):
                problems.append(f"{url}: doubled label {text!r}")
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")


def audit_form_errors(page, url, problems, errors):
    """axe on the page's form sent with its required fields empty (nothing is saved). Some
    pages answer a refused form with 400, which the browser logs as a console error: that
    is the answer expected here, so it is not reported."""
    logged = len(errors)
    page.set_viewport_size(LAPTOP)
    if axe.show_form_errors(page):
        problems.extend(f"{url} (form errors): axe {v}" for v in axe.violations(page))
    errors[logged:] = [error for error in errors[logged:] if "status of 400" not in error]


def crawl(browser, base_url, username):
    """Every page shape `username` reaches by links from the home page."""
    problems, errors = [], []
    context = browser.new_context(
        base_url=base_url, viewport=LAPTOP, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    page = login(context, username)
    watch(page, errors)
    origin = urlsplit(base_url).netloc
    seen_shapes, queue, visited = {shape("/", "")}, deque(["/"]), 0
    audited = set()
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        visited += 1
        parts = urlsplit(url)
        template = template_shape(parts.path, parts.query)
        links = check_page(page, url, problems, audit=template not in audited)
        if links and template not in audited:
            audited.add(template)
            audit_form_errors(page, url, problems, errors)
        for link in links:
            parts = urlsplit(link)
            if parts.netloc != origin or SKIP.search(parts.path):
                continue
            key = shape(parts.path, parts.query)
            if key not in seen_shapes:
                seen_shapes.add(key)
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    context.close()
    if queue:
        problems.append(f"stopped at {MAX_PAGES} pages with {len(queue)} not visited: {queue[0]}")
    return visited, list(dict.fromkeys(problems + errors))


def register_rows_on_a_laptop(browser, base_url):
    """How many actions the register shows on a 1440 x 900 screen without scrolling."""
    context = browser.new_context(base_url=base_url, viewport=LAPTOP, locale="en-GB")
    page = login(context, "secretariat")
    page.goto("/actions/")
    bottoms = page.eval_on_selector_all(
        "#results tbody tr", "rows => rows.map(r => r.getBoundingClientRect().bottom)"
    )
    context.close()
    return len([bottom for bottom in bottoms if bottom <= LAPTOP["height"]]), len(bottoms)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_fits_and_is_clean(browser, live_server, username):
    call_command("load_demo", verbosity=0)
    visited, problems = crawl(browser, live_server.url, username)
    report = [f"{username}: {problem}" for problem in problems]
    if visited <= 5:
        report.append(f"{username} reached only {visited} pages")
    assert not report, "\n".join(report)


def test_the_register_shows_ten_actions_on_a_laptop(browser, live_server):
    call_command("load_demo", verbosity=0)
    visible, rows = register_rows_on_a_laptop(browser, live_server.url)
    assert visible >= 10, f"The register shows {visible} of {rows} actions on a 1440 x 900 screen"
