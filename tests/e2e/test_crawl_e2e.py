"""Issue 24, done when: a crawler signs in as each demo role, follows every link it can reach
(one page per page template, so DAG029 stands for every meeting and the DAG for every group,
and a list once plain and once filtered), looks at each page on a laptop (1440 x 900) and on
a phone (390 x 844), and finds no console error, no page that scrolls sideways as a whole and
no doubled label; the action register shows at least 10 actions on a laptop screen without
scrolling.

Issue 21 item 8: on the same page loads, axe-core finds no WCAG 2.2 A or AA violation on each
page template a role reaches, nor on its first form sent with its required fields empty (the
form's error state).

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
# forever). It is well above what a role reaches (the admin, who sees the most, about 85):
# a crawl stopped by it fails, as a page left out would go unchecked.
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
# A group code, as a whole part of a path (/groups/PSG/members/).
GROUP_CODE = re.compile(r"(?<![^/])[A-Z]{2,}(?![^/])")
# The demo's group with every kind of record, whose pages stand for every group's.
STANDING_GROUP = "DAG"
LABELS_JS = """() => Array.from(document.querySelectorAll(
    'label, legend, th, h1, h2, h3, h4, summary, button, .field__hint'))
  .map(e => e.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean)"""


def shape(path, query):
    """The page template of a path: the path with its ids, references and group codes
    blanked, and whether it has a query. /meetings/12/ and /meetings/13/ are one shape, as
    are /actions/DAG29-01/ and /actions/DAG30-02/, and /groups/DAG/ and /groups/PSG/; a
    list is visited plain and with the first filter found."""
    parts = ["#" if re.search(r"\d", part) else part for part in path.strip("/").split("/")]
    return GROUP_CODE.sub("@", "/".join(parts)) + ("?" if query else "")


class Frontier:
    """The pages still to visit, one per shape. The DAG's pages stand for every group's, as
    DAG029 stands for every meeting: another group's page is put off, and visited only if no
    page of the DAG of its shape has turned up once all else is visited."""

    def __init__(self, start):
        self.seen = {shape(start, "")}
        self.queue = deque([start])
        self.put_off = {}  # shape: another group's page

    def add(self, path, query):
        key = shape(path, query)
        if key in self.seen:
            return
        url = path + (f"?{query}" if query else "")
        if any(code != STANDING_GROUP for code in GROUP_CODE.findall(path)):
            self.put_off.setdefault(key, url)
        else:
            self.seen.add(key)
            self.put_off.pop(key, None)
            self.queue.append(url)

    def next(self):
        """The next page to visit, or None once every shape is visited."""
        if not self.queue and self.put_off:
            key = next(iter(self.put_off))
            self.seen.add(key)
            self.queue.append(self.put_off.pop(key))
        return self.queue.popleft() if self.queue else None

    def __len__(self):
        return len(self.queue) + len(self.put_off)


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


def check_page(page, url, problems):
    """Load the page on a laptop screen and run axe on it, then narrow it to a phone's: one
    load, two layouts. Returns the links on the page."""
    page.set_viewport_size(LAPTOP)
    response = page.goto(url)
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return []
    if response.status >= 400:
        problems.append(f"{url}: HTTP {response.status}")
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
    """A page of every shape `username` reaches by links from the home page."""
    problems, errors = [], []
    context = browser.new_context(
        base_url=base_url, viewport=LAPTOP, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    page = login(context, username)
    watch(page, errors)
    origin = urlsplit(base_url).netloc
    frontier, visited = Frontier("/"), 0
    while visited < MAX_PAGES and (url := frontier.next()):
        visited += 1
        links = check_page(page, url, problems)
        if links:
            audit_form_errors(page, url, problems, errors)
        for link in links:
            parts = urlsplit(link)
            if parts.netloc != origin or SKIP.search(parts.path):
                continue
            frontier.add(parts.path, parts.query)
    context.close()
    if frontier:
        problems.append(
            f"stopped at {MAX_PAGES} pages with {len(frontier)} not visited: {frontier.next()}"
        )
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
