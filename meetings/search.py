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
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from actions.models import Action
from changerequests.models import ChangeRequest
from core.models import Person
from core.permissions import Perm, filter_visible, may_see_people, user_can
from core.reference_kinds import reference_kinds
from decisions.models import Decision
from raid.models import RaidItem

from .models import AgendaItem

# Results shown per kind.
LIMIT = 10
# Matches ranked per kind: the newest this many. A common word matches thousands of
# records at a programme's scale, and ranking reads every match's vector (300 ms for the
# actions); the best of the newest few hundred are the ones a reader is after.
CANDIDATES = 200
# Marks around a matched word in the text the database returns: characters no record
# holds, turned into <mark> once the text is escaped.
START, STOP = "\x02", "\x03"

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


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type
    group_path: str | None  # None: the people, read by anyone with a role somewhere
    title: str  # the field of the result's heading
    snippet: object  # the field or expression of the text shown under it
    related: tuple[str, ...] = ()


KINDS = (
    Kind("actions", "Actions", Action, "group", "reference", "text", ("group",)),
    Kind("decisions", "Decisions", Decision, "group", "reference", "wording", ("group",)),
    Kind("changerequests", "Change requests", ChangeRequest, "group", "title", "key_detail"),
    Kind("raid", "RAID items", RaidItem, "group", "title", "description"),
    Kind(
        "meetings",
        "Meetings",
        AgendaItem,
        "meeting__group",
        "title",
        Concat(
            "objective",
            Value(" "),
            "minutes",
            Value(" "),
            "paper_text",
            output_field=TextField(),
        ),
        ("meeting__group",),
    ),
    Kind("people", "People", Person, None, "name", "organisation__name", ("organisation",)),
)


@dataclass
class Result:
    record: object
    title: str  # safe HTML, the matched words marked
    snippet: str  # safe HTML


def full_text() -> bool:
    return connection.vendor == "postgresql"


def record_by_reference(user, text):
    """The record whose reference is exactly `text` (any case) if the user may see it."""
    text = text.strip()
    if not text or any(character.isspace() for character in text):
        return None
    for kind in reference_kinds():
        record = kind.model.objects.filter(reference__iexact=text).first()
        if record is not None and user_can(user, Perm.VIEW, record):
            return record
    return None


def search(user, words) -> list[tuple[Kind, list[Result]]]:
    """[(kind, its best results)] for the kinds with matches the user may see; one query
    per kind (and one of the user's roles)."""
    words = words.strip()
    if not words:
        return []
    found = []
    for kind in KINDS:
        results = [result_of(kind, record, words) for record in matches(kind, user, words)]
        if results:
            found.append((kind, results))
    return found


def visible(kind, user):
    queryset = kind.model.objects.all()
    if kind.group_path is None:
        return queryset if may_see_people(user) else queryset.none()
    return filter_visible(user, queryset, kind.group_path)


def matches(kind, user, words):
    queryset = visible(kind, user).select_related(*kind.related)
    if full_text():
        query = SearchQuery(words, search_type="websearch", config="english")
        if kind.key != "people":
            vector = F("search_vector")
            queryset = queryset.defer("search_vector").filter(search_vector=query)
        else:
            vector = SearchVector(*SEARCH_FIELDS[kind.key], config="english")
            queryset = queryset.annotate(search=vector).filter(search=query)
        newest = queryset.order_by("-pk").values("pk")[:CANDIDATES]
        # The ranked rows are those ids, read by primary key: repeating the match (and the
        # visibility, already in the ids) made PostgreSQL scan every matching agenda item
        # to join them with the ids (30 ms at 5,400 items; the ids alone, under 10).
        queryset = kind.model.objects.select_related(*kind.related).filter(pk__in=newest)
        if kind.key != "people":
            queryset = queryset.defer("search_vector")
        marks = {"start_sel": START, "stop_sel": STOP, "config": "english"}
        return queryset.annotate(
            rank=SearchRank(vector, query),
            title_marked=SearchHeadline(kind.title, query, highlight_all=True, **marks),
            snippet_marked=SearchHeadline(kind.snippet, query, max_words=30, **marks),
        ).order_by("-rank", "-pk")[:LIMIT]
    fields = ACTION_FIELDS if kind.model is Action else SEARCH_FIELDS[kind.key]
    for word in words.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(any_field)
    return queryset.order_by("-pk")[:LIMIT]


def result_of(kind, record, words) -> Result:
    if full_text():
        title, snippet = record.title_marked, record.snippet_marked or ""
    else:
        title = mark_words(str(_value(record, kind.title)), words)
        snippet = mark_words(excerpt(_snippet_text(kind, record), words), words)
    return Result(record, _html(title), _html(snippet))


def _value(record, path):
    for name in path.split("__"):
        record = getattr(record, name, None) if record is not None else None
    return record or ""


def _snippet_text(kind, record):
    if isinstance(kind.snippet, str):
        return str(_value(record, kind.snippet))
    return f"{record.objective} {record.minutes} {record.paper_text}"  # the agenda item's Concat


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
