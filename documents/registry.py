"""The kinds of document, each contributed by the app that owns its data.

documents renders, stores and versions PDFs; what a document says belongs to the feature
app whose records it shows, so documents imports none of them. Each app registers its
kinds from its AppConfig.ready():

    register_kind(
        "open_actions", "Open actions report", scope=GROUP, source=open_actions_source,
        form=ReportForm,
    )

`source(document)` returns the Source of the Document as its data stand now (its
meeting or group, and its `parameters`). A group kind names the `form` its page shows
to ask for the parameters (a Django form with a `parameters()` method giving the JSON
stored on the Document); `period=True` when the parameters hold a "start" and "end"
(ISO dates) that make each period a series of versions of its own.

The meetings app also registers the context of its pages' shared header
(register_meeting_page), so the meeting's documents page shows the meeting's tabs.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from core.markup import find_references, reference_urls

MEETING = "meeting"
GROUP = "group"


@dataclass(frozen=True)
class Source:
    """What one document says, and what its running header and footer need."""

    template: str
    title: str  # "Minutes and Actions – DAG029"
    group_title: str  # "MHHS Design Advisory Group (DAG)"
    classification: str  # "Public"
    issue_date: str  # "18/10/2023"; "" means the date of the render
    landscape: bool
    data: object
    # What the header calls this edition: "Issue 2" for issued minutes; "" means
    # "Version <n>", the stored document's version.
    label: str = ""


@dataclass(frozen=True)
class Kind:
    key: str  # stored in Document.kind and used in URLs: "minutes"
    label: str  # "Minutes and Actions"
    scope: str  # MEETING or GROUP
    source: Callable  # (Document) -> Source
    form: type | None = None  # group kinds: the form of their parameters
    period: bool = False


_kinds: dict[str, Kind] = {}
_meeting_page: list[Callable] = []


class UnknownKind(LookupError):
    pass


def register_kind(key, label, *, scope, source, form=None, period=False) -> Kind:
    if scope not in (MEETING, GROUP):
        raise ImproperlyConfigured(f"Document kind {key!r}: scope must be meeting or group.")
    if scope == GROUP and form is None:
        raise ImproperlyConfigured(f"Document kind {key!r}: a group kind needs a form.")
    kind = Kind(key, label, scope, source, form, period)
    if _kinds.get(key, kind) != kind:
        raise ImproperlyConfigured(f"Document kind {key!r} is registered twice.")
    _kinds[key] = kind
    return kind


def get_kind(key: str) -> Kind:
    try:
        return _kinds[key]
    except KeyError:
        raise UnknownKind(f"No document kind {key!r}.") from None


def kinds(scope: str) -> list[Kind]:
    """The kinds of a scope, in the order registered (the order the pages show them)."""
    return [kind for kind in _kinds.values() if kind.scope == scope]


def kind_choices() -> list[tuple[str, str]]:
    """Document.kind's choices (read when needed, so every app has registered by then)."""
    return [(kind.key, kind.label) for kind in _kinds.values()]


def register_meeting_page(context: Callable) -> None:
    """`context(request, meeting)`: the context of the meeting pages' header
    (meetings/includes/meeting_header.html) on the meeting's documents page."""
    _meeting_page[:] = [context]


def meeting_page_context(request, meeting) -> dict:
    if not _meeting_page:
        raise ImproperlyConfigured("No app registered the meeting pages' header.")
    return _meeting_page[0](request, meeting)


def group_title(group) -> str:
    """ "MHHS Design Advisory Group (DAG)": the group's name, after its programme label
    unless that is the default one."""
    default = type(group)._meta.get_field("programme_label").default
    name = f"{group.name} ({group.code})"
    return name if group.programme_label == default else f"{group.programme_label} {name}"


def reference_links(*texts: str) -> dict[str, str]:
    """{reference: url} of the references named in the texts, for the print templates'
    `linkrefs` filter (one query per record type)."""
    return reference_urls(find_references(*texts))
