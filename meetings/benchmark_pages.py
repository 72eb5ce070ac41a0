"""The pages `manage.py benchmark` measures, and how it measures them.

The list pages are found, not listed: every named URL without arguments (the registers,
the chair's queue, the email log, the public minutes, the API's list endpoints), less
those that are not pages of records (exports, forms to create or that only take a POST,
logging in and out and the sign-in library's account pages, the API schema and its docs).
The detail pages need a record, so they are named here with the records they show, chosen
among the largest (the CR named most often, the meeting with most actions, the group with
most meetings): each record's page, its sub-pages (a group's quorum, trends, register of
interests, retention, members and terms of reference; a meeting's agenda, attendance,
interests, minutes, reviews and documents) and its API endpoint. Each case must answer
200: one that does not is reported with its status, not measured.
"""

import re
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actions.management.commands.benchmark_actions import TOPICS
from actions.models import Action
from changerequests.models import ChangeRequest
from core.models import GovernanceGroup, Mention, Person
from decisions.models import CorrespondenceRound, Decision
from documents.models import Document
from raid.models import RaidItem

from .as_at import REGISTERS
from .models import AgendaItem, Meeting, MinutesPublication, RetentionLog

# URL names (namespace:name) that are not pages of records.
NOT_A_PAGE = re.compile(
    r"^admin:|export|logout|login|password|_new$|_create$|:new$|import|reset|schema|docs"
    r"|redoc|swagger|healthz|^(meetings:home)$"
    # django-allauth's own pages (sign-up, e-mail, second factors, identity providers).
    r"|^(account|mfa|socialaccount)_"
    r"|send_digest$"  # a POST from the email log
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


def largest_meetings():
    """The meetings with most actions, whose pages are measured."""
    return list(
        Meeting.objects.annotate(n=Count("actions"))
        .order_by("-n", "pk")[:RECORDS_PER_PAGE]
        .values_list("pk", flat=True)
    )


def detail_cases():
    """The detail pages, each over the largest records of its kind."""
    n = RECORDS_PER_PAGE
    meetings = largest_meetings()
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
    action_pks = Action.objects.open().order_by("-pk").values_list("pk", flat=True)
    decisions = Decision.objects.order_by("-pk").values_list("reference", flat=True)
    raid = RaidItem.objects.order_by("-pk").values_list("reference", flat=True)
    documents = Document.objects.order_by("-pk").values_list("pk", flat=True)
    codes = [g.code for g in groups]
    # Each measured meeting's first agenda item (the item's page lists its CRs presented).
    items = AgendaItem.objects.filter(meeting__in=meetings, order=1).values_list("meeting", "pk")
    publications = MinutesPublication.objects.order_by("-pk").values_list("pk", flat=True)
    rounds = CorrespondenceRound.objects.order_by("-pk").values_list("pk", flat=True)
    archived = RetentionLog.objects.order_by("-pk").values_list("group__code", "pk")
    now = quote(timezone.now().isoformat())

    def urls(name, args):
        return [reverse(name, args=arg if isinstance(arg, list | tuple) else [arg]) for arg in args]

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
        # A group's other pages.
        Case("Group quorum", urls("meetings:group_quorum", codes)),
        Case("Group trends", urls("meetings:group_trends", codes)),
        Case("Group register of interests", urls("meetings:group_interests", codes)),
        Case("Group retention", urls("meetings:group_retention", codes)),
        Case("Archived record", urls("meetings:retention_entry", archived[:n])),
        Case("Group members", urls("people:members", codes)),
        Case("Group terms of reference", urls("people:terms_of_reference", codes)),
        # A meeting's other pages.
        Case("Agenda", urls("meetings:agenda", meetings)),
        Case("Agenda item", urls("meetings:agenda_item_edit", items)),
        Case("Attendance", urls("meetings:attendance", meetings)),
        Case("Interests declared at a meeting", urls("meetings:meeting_interests", meetings)),
        Case("Writing the minutes", urls("meetings:minutes_write", meetings)),
        Case("RAID review of a meeting", urls("meetings:raid_review_meeting", meetings)),
        Case("Correspondence round", urls("decisions:round_detail", rounds[:n])),
        # A person's other pages.
        Case("Person's account", urls("people:account", people)),
        Case("Person's merges", urls("people:person_merges", people)),
        # As they stood: each record then beside today.
        Case(
            "Action as at now",
            [
                f"{url}?at={now}"
                for url in urls("meetings:record_as_at", [["actions", pk] for pk in action_pks[:n]])
            ],
        ),
        # The public version of published minutes (read here by the same signed-in user).
        Case("Published minutes", urls("public_minutes", publications[:n])),
        # The API's detail endpoints.
        Case("API group", urls("api:group-detail", codes)),
        Case("API person", urls("api:person-detail", people)),
        Case("API meeting", urls("api:meeting-detail", meetings)),
        Case("API action", urls("api:action-detail", open_actions[:n])),
        Case("API action's updates", urls("api:action-updates", open_actions[:n])),
        Case("API decision", urls("api:decision-detail", decisions[:n])),
        Case("API change request", urls("api:change-request-detail", crs)),
        Case("API RAID item", urls("api:raid-item-detail", raid[:n])),
        Case("API document", urls("api:document-detail", documents[:n])),
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
        Case(
            "Actions as at a meeting's start, open then",
            [
                f"/registers/as-at/?register=actions&meeting={pk}&only_open=on"
                for pk in largest_meetings()
            ],
        ),
        *[
            Case(
                f"{register.label} as at a day",
                [f"/registers/as-at/?register={key}&on={timezone.localdate():%d/%m/%Y}"],
            )
            for key, register in REGISTERS.items()
            if key != "actions"
        ],
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
