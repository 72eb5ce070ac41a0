"""Search across everything: actions, decisions, change requests, RAID items, the meetings'
agenda items (title, objective, minutes, the paper presented) and people, for the one box in
the header.

A reference typed exactly (DAG29-01, DAG-DEC76, CR032, R184, in any case) goes straight to
its record (the kinds of core.reference_kinds). Otherwise each kind gives its best matches,
ranked, with the matching words marked, narrowed first to what the user may read
(core.permissions): a record of a group they cannot read is never read, so neither its
title nor a count can show.

On PostgreSQL: full-text search with English stemming ("issue" finds "issued"), typed as a
web search ("ppir -closed", "\"design authority\""). Every kind but people matches and ranks
its stored, GIN-indexed search_vector, kept by PostgreSQL triggers (actions: migration 0002,
with the updates' text; decisions, change requests, RAID items and agenda items: the
English document of SEARCH_FIELDS, core/search_vectors.py), so ranking every match reads a
stored vector instead of computing one per match; people (names only) match the
SearchVector computed in the query, served by the GIN expression index of migration
0009_search_indexes. Elsewhere (the SQLite quick start): every word, case-insensitively,
anywhere in those fields.

One query per kind: its newest CANDIDATES matches ranked as they are found (the ORM's
queryset, narrowed by core.permissions), and around it the ten best rows read and marked
(ts_headline parses a text, so it runs on the rows shown alone). Nothing is counted.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from actions.models import Action
from changerequests.models import ChangeRequest
from core.models import GovernanceGroup, Organisation, Person
from core.permissions import Perm, filter_visible, may_see_people, user_can
from core.reference_kinds import reference_kinds
from decisions.models import Decision
from raid.models import RaidItem

from .models import AgendaItem, Meeting, meeting_code

# Results shown per kind.
LIMIT = 10
# Matches ranked per kind: the newest this many. A common word matches thousands of
# records at a programme's scale, and ranking reads every match's vector (300 ms for the
# actions); the best of the newest few hundred are the ones a reader is after.
CANDIDATES = 200
# Marks around a matched word in the text the database returns: characters no record
# holds, turned into <mark> once the text is escaped.
START, STOP = "\x02", "\x03"
HEADING_MARKS = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
SNIPPET_MARKS = f"StartSel={START}, StopSel={STOP}, MaxWords=30"

# The fields each kind matches (actions: the stored vector of reference, area, text and
# updates). The stored vectors' triggers (each app's NNNN_perf_search_vector migration) and
# people's expression index (0009_search_indexes) are built from these: a change here needs
# a migration changing them.
SEARCH_FIELDS = {
    "decisions": ("reference", "area", "wording"),
    "changerequests": ("reference", "title", "key_detail", "latest_action"),
    "raid": ("reference", "title", "description", "mitigation"),
    "meetings": ("title", "objective", "minutes", "paper_text"),
    "people": ("name",),
}
ACTION_FIELDS = ("reference", "area", "text")

GROUPS = GovernanceGroup._meta.db_table
MEETINGS = Meeting._meta.db_table
ORGANISATIONS = Organisation._meta.db_table


@dataclass(frozen=True)
class Kind:
    """A kind of record the search finds, and how its results read.

    The rows shown are read by SQL over the record `r` (and `joins`): `title`, the text of
    the result's link (marked), `snippet`, the text under it (marked), and `shown`, the
    columns that `place(pk, *shown)` turns into the result's address, the words before
    its title and its label. SQL rather than the ORM for these ten rows: compiling a
    queryset with its joins and marked texts cost more than the database took to run it.
    """

    key: str
    label: str
    model: type
    group_path: str | None  # None: the people, read by anyone with a role somewhere
    title: str
    snippet: str
    shown: tuple[str, ...]
    place: Callable[..., tuple[str, str, str]]
    joins: str = ""


def _by_reference(url_name):
    """A record of a kind shown by its title, and addressed by its reference."""

    def place(pk, reference):
        return reverse(url_name, args=[reference]), f"{reference} ", ""

    return place


def _reference_in_group(url_name):
    """A record of a kind shown by its reference, with its group's code."""

    def place(pk, reference, group_code):
        return reverse(url_name, args=[reference]), "", group_code

    return place


def _agenda_item(pk, meeting_id, number, meeting_number, point, date, group_code):
    url = reverse("meetings:meeting_detail", args=[meeting_id]) + f"#item-{pk}"
    code = meeting_code(group_code, meeting_number, point)
    return url, f"{code} item {number}: ", date.strftime("%d/%m/%Y")


def _person(pk):
    return reverse("meetings:person_detail", args=[pk]), "", ""


IN_GROUP = f"JOIN {GROUPS} g ON g.id = r.group_id"
KINDS = (
    Kind(
        "actions",
        "Actions",
        Action,
        "group",
        "r.reference",
        "r.text",
        ("r.reference", "g.code"),
        _reference_in_group("actions:action_detail"),
        IN_GROUP,
    ),
    Kind(
        "decisions",
        "Decisions",
        Decision,
        "group",
        "r.reference",
        "r.wording",
        ("r.reference", "g.code"),
        _reference_in_group("decisions:decision_detail"),
        IN_GROUP,
    ),
    Kind(
        "changerequests",
        "Change requests",
        ChangeRequest,
        "group",
        "r.title",
        "r.key_detail",
        ("r.reference",),
        _by_reference("changerequests:cr_detail"),
    ),
    Kind(
        "raid",
        "RAID items",
        RaidItem,
        "group",
        "r.title",
        "r.description",
        ("r.reference",),
        _by_reference("raid:raid_detail"),
    ),
    Kind(
        "meetings",
        "Meetings",
        AgendaItem,
        "meeting__group",
        "r.title",
        "COALESCE(r.objective, '') || ' ' || COALESCE(r.minutes, '') || ' ' "
        "|| COALESCE(r.paper_text, '')",
        ("r.meeting_id", "r.number", "m.number", "m.point", "m.date", "g.code"),
        _agenda_item,
        f"JOIN {MEETINGS} m ON m.id = r.meeting_id JOIN {GROUPS} g ON g.id = m.group_id",
    ),
    Kind(
        "people",
        "People",
        Person,
        None,
        "r.name",
        "COALESCE(o.name, '')",
        (),
        _person,
        f"LEFT JOIN {ORGANISATIONS} o ON o.id = r.organisation_id",
    ),
)


@dataclass
class Result:
    url: str
    title: str  # safe HTML, the matched words marked
    label: str  # beside the title: the group of an action or decision, a meeting's date
    snippet: str  # safe HTML


def full_text() -> bool:
    return connection.vendor == "postgresql"


def record_by_reference(user, text):
    """The record whose reference is exactly `text` (any case) if the user may see it: one
    query for the holders of every kind, and one more only for a holder.

    Every word typed is looked up, so the look-up is one plain statement rather than a
    union of querysets (compiling one cost more than running it), and each table's index
    of UPPER(reference) (migration 0020) finds the holders without reading the table."""
    text = text.strip()
    if not text or any(character.isspace() for character in text):
        return None
    kinds = reference_kinds()
    holders = " UNION ALL ".join(
        f"SELECT {number}, {kind.model._meta.pk.column} FROM {kind.model._meta.db_table} "
        "WHERE UPPER(reference) = UPPER(%s)"
        for number, kind in enumerate(kinds)
    )
    with connection.cursor() as cursor:
        cursor.execute(holders, [text] * len(kinds))
        found = sorted(cursor.fetchall())
    for number, pk in found:
        record = kinds[number].model.objects.get(pk=pk)
        if user_can(user, Perm.VIEW, record):
            return record
    return None


def search(user, words) -> list[tuple[Kind, list[Result]]]:
    """[(kind, its best results)] for the kinds with matches the user may see: one query
    per kind (and one of the user's roles)."""
    words = words.strip()
    if not words:
        return []
    found = []
    for kind in KINDS:
        results = matches(kind, user, words)
        if results:
            found.append((kind, results))
    return found


def visible(kind, user):
    queryset = kind.model.objects.all()
    if kind.group_path is None:
        return queryset if may_see_people(user) else queryset.none()
    return filter_visible(user, queryset, kind.group_path)


def web_search(words):
    return SearchQuery(words, search_type="websearch", config="english")


def candidates(kind, user, words):
    """The kind's matches the user may see, newest first: on PostgreSQL (pk, rank) of the
    newest CANDIDATES, ranked in the pass that finds them (ranking them afterwards, by
    primary key, read every candidate's row a second time); elsewhere the pks of the
    newest LIMIT."""
    queryset = visible(kind, user)
    if not full_text():
        fields = ACTION_FIELDS if kind.model is Action else SEARCH_FIELDS[kind.key]
        for word in words.split():
            any_field = Q()
            for field in fields:
                any_field |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(any_field)
        return queryset.order_by("-pk").values_list("pk")[:LIMIT]
    query = web_search(words)
    if kind.key != "people":
        vector = F("search_vector")
        queryset = queryset.filter(search_vector=query)
    else:
        vector = SearchVector(*SEARCH_FIELDS[kind.key], config="english")
        queryset = queryset.annotate(search=vector).filter(search=query)
    ranked = queryset.annotate(rank=SearchRank(vector, query)).order_by("-pk")
    return ranked.values_list("pk", "rank")[:CANDIDATES]


def matches(kind, user, words) -> list[Result]:
    """The kind's best LIMIT results for `words` among what the user may see, best first,
    in one query: its candidates, and the rows shown read (and on PostgreSQL marked by
    ts_headline, which parses their text) for those alone."""
    marked = full_text()
    try:
        inner, inner_params = candidates(kind, user, words).query.sql_with_params()
    except EmptyResultSet:  # nothing the user may see, known without asking
        return []
    table = kind.model._meta.db_table
    shown = "".join(f"{column}, " for column in kind.shown)
    if marked:
        sql = (
            f"SELECT r.id, {shown}ts_headline('english', {kind.title}, query, %s), "
            f"ts_headline('english', {kind.snippet}, query, %s) "
            f"FROM (SELECT * FROM ({inner}) AS found (pk, rank) "
            f"ORDER BY rank DESC, pk DESC LIMIT {LIMIT}) AS best "
            f"JOIN {table} r ON r.id = best.pk {kind.joins}, "
            "websearch_to_tsquery('english', %s) AS query "
            "ORDER BY best.rank DESC, best.pk DESC"
        )
        params = (HEADING_MARKS, SNIPPET_MARKS, *inner_params, words)
    else:
        sql = (
            f"SELECT r.id, {shown}{kind.title}, {kind.snippet} FROM {table} r {kind.joins} "
            f"WHERE r.id IN ({inner}) ORDER BY r.id DESC"
        )
        params = inner_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [result_of(kind, row, words, marked) for row in rows]


def result_of(kind, row, words, marked) -> Result:
    """The result of a row of matches(): its title and snippet as PostgreSQL marked them,
    or else marked here."""
    pk, *shown, title, snippet = row
    url, before_title, label = kind.place(pk, *shown)
    snippet = snippet or ""
    if not marked:
        title = mark_words(title or "", words)
        snippet = mark_words(excerpt(snippet, words), words)
    return Result(url, _html(before_title + title), label, _html(snippet))


def excerpt(text, words, size=30):
    """About `size` words of `text` around the first matched word."""
    tokens = text.split()
    lowered = [word.lower() for word in words.split()]
    first = next(
        (i for i, token in enumerate(tokens) if any(w in token.lower() for w in lowered)), 0
    )
    start = max(0, first - size // 3)
    return " ".join(tokens[start : start + size])


def mark_words(text, words):
    """`text` with each typed word marked, case-insensitively (the quick start's matching)."""
    lowered = text.lower()
    spans = []
    for word in {w.lower() for w in words.split() if w}:
        at = lowered.find(word)
        while at != -1:
            spans.append((at, at + len(word)))
            at = lowered.find(word, at + len(word))
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        out += [text[position:start], START, text[start:end], STOP]
        position = end
    out.append(text[position:])
    return "".join(out)


def _html(marked):
    return mark_safe(escape(marked).replace(START, "<mark>").replace(STOP, "</mark>"))
