"""The pages `manage.py benchmark` measures, and how it measures them.

The list pages are found, not listed: every named URL without arguments that answers a GET
with 200 (the registers, the chair's queue, the email log, and the API's list endpoints
once the api app is installed), less those that are not pages of records (exports, forms
to create, logging in and out, the API schema and its docs). The detail pages need a
record, so they are named here with the records they show, chosen among the largest (the
CR named most often, the meeting with most actions).
"""

import re
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from actions.management.commands.benchmark_actions import TOPICS
from actions.models import Action
from changerequests.models import ChangeRequest
from core.models import GovernanceGroup, Mention, Person
from decisions.models import Decision
from documents.models import Document
from raid.models import RaidItem

from .models import Meeting

# URL names (namespace:name) that are not pages of records.
NOT_A_PAGE = re.compile(
    r"^admin:|export|logout|login|password|_new$|_create$|:new$|import|reset|schema|docs"
    r"|redoc|swagger|healthz|^(meetings:home)$"
)
TRIVIAL = "/accounts/password_change/done/"  # the base layout and menu, no records
RECORDS_PER_PAGE = 10  # detail pages vary among this many records


@dataclass
class Case:
    label: str
    urls: list[str]
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process's CPU time per request
    queries: int = 0
    status: int = 200
    requests_per_second: float | None = None


def named_routes(patterns=None, namespace=""):
    """Every URL name of the project, with its namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def list_cases():
    """A case for each named URL without arguments that may be a list page."""
    seen, cases = set(), []
    for name in named_routes():
        if NOT_A_PAGE.search(name):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # needs arguments: a detail page, named in detail_cases()
        if url not in seen:
            seen.add(url)
            cases.append(Case(f"`{name}`", [url]))
    return cases


def detail_cases():
    """The detail pages, each over the largest records of its kind."""
    n = RECORDS_PER_PAGE
    meetings = list(
        Meeting.objects.annotate(n=Count("actions"))
        .order_by("-n", "pk")[:n]
        .values_list("pk", flat=True)
    )
    named_crs = (
        Mention.objects.filter(reference__startswith="CR")
        .values("reference")
        .annotate(n=Count("pk"))
        .order_by("-n", "reference")[:n]
    )
    crs = [row["reference"] for row in named_crs] or list(
        ChangeRequest.objects.values_list("reference", flat=True)[:n]
    )
    groups = list(GovernanceGroup.objects.annotate(n=Count("meetings")).order_by("-n", "code")[:n])
    people = list(
        Person.objects.annotate(n=Count("ownerships"))
        .order_by("-n", "pk")[:n]
        .values_list("pk", flat=True)
    )
    open_actions = Action.objects.open().order_by("-pk").values_list("reference", flat=True)
    decisions = Decision.objects.order_by("-pk").values_list("reference", flat=True)
    raid = RaidItem.objects.order_by("-pk").values_list("reference", flat=True)
    documents = Document.objects.order_by("-pk").values_list("pk", flat=True)

    def urls(name, args):
        return [reverse(name, args=[arg]) for arg in args]

    return [
        Case("Group", urls("meetings:group_detail", [g.code for g in groups])),
        Case(
            "Group, last page of meetings",
            [
                f"{reverse('meetings:group_detail', args=[g.code])}?page={-(-g.n // 20)}"
                for g in groups
            ],
        ),
        Case("Group documents", urls("meetings:group_documents", [g.code for g in groups])),
        Case("Meeting", urls("meetings:meeting_detail", meetings)),
        Case("Minutes", urls("meetings:minutes_document", meetings)),
        Case("Meeting documents", urls("meetings:meeting_documents", meetings)),
        Case("Action review of a meeting", urls("meetings:action_review", meetings)),
        Case("Person", urls("meetings:person_detail", people)),
        Case("Action (open)", urls("actions:action_detail", open_actions[:n])),
        Case("Decision", urls("decisions:decision_detail", decisions[:n])),
        Case("Change request (most named)", urls("changerequests:cr_detail", crs)),
        Case("RAID item", urls("raid:raid_detail", raid[:n])),
        Case("Document", urls("meetings:document_detail", documents[:n])),
    ]


def query_cases():
    """Lists with the parameters that make them work hardest."""
    pages = Action.objects.open().count() // 50
    return [
        Case("Search, one word", [f"/search/?q={word}" for word in TOPICS]),
        Case(
            "Search, two words",
            [f"/search/?q={a}+{b}" for a, b in zip(TOPICS, TOPICS[1:], strict=False)],
        ),
        Case("Register, last page", [f"/actions/?page={max(1, pages - k)}" for k in range(5)]),
        Case("Register, text search", [f"/actions/?q={word}" for word in TOPICS]),
        Case("Decision log, page 200", ["/decisions/?page=200"]),
        Case(
            "Decision log, one group",
            [
                f"/decisions/?group={g}"
                for g in GovernanceGroup.objects.values_list("code", flat=True)[:10]
            ],
        ),
        Case(
            "Meetings, one group",
            [
                f"/meetings/?group={g}"
                for g in GovernanceGroup.objects.values_list("code", flat=True)[:10]
            ],
        ),
        Case("RAID log, page 50", ["/raid/?page=50"]),
        Case("Change requests, page 20", ["/change-requests/?page=20"]),
    ]


def measure(client, case, requests):
    """Time `requests` GETs of the case's URLs in turn (after one of each to warm up) and
    count the queries of one more."""
    for url in case.urls:
        response = client.get(url)
        if response.status_code != 200:
            case.status = response.status_code
            return case
    for k in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(case.urls[k % len(case.urls)])
        case.times.append((time.perf_counter() - started) * 1000)
        case.cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(case.urls[0])
    case.queries = len(captured)
    return case


def percentile(values, percent):
    """Nearest rank: the value `percent`% of the requests took at most."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def p50(values):
    return statistics.median(values)
