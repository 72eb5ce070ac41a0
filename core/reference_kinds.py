"""The kinds of record with a reference of their own (actions, decisions, change requests,
RAID items), and the texts that may name them, registered by their apps.

core sits below every feature app, so it cannot import their models: each app registers
its kinds in its AppConfig.ready() instead. core.markup reads the registry to link
references to their pages; core.mentions keeps, for every text registered here, the
references it names (the Mention table the change request page reads).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReferenceKind:
    model: type  # a model with a unique `reference` field
    url_name: str  # the record's page, reversed with args=[reference]
    text_fields: tuple[str, ...] = ()  # lookups of the texts that may name other references
    # Typed references (core.references.claim_reference, reference_warning): the usual
    # shapes (regular expressions, matched whole; others are kept with a warning), an
    # example for messages, the allocator's kind (its lock scopes) and the field whose text
    # names a record holding a reference ("the action “Provide the PPIR…”").
    formats: tuple[str, ...] = ()
    example: str = ""
    allocator_kind: str = ""
    summary_field: str = ""


@dataclass(frozen=True)
class MentioningTexts:
    """Texts without a reference of their own that may name references (the minutes)."""

    model: type
    text_fields: tuple[str, ...]


_kinds: dict[type, ReferenceKind] = {}
_texts: dict[str, MentioningTexts] = {}


def register_reference_kind(
    model,
    *,
    url_name,
    text_fields=(),
    formats=(),
    example="",
    allocator_kind="",
    summary_field="",
) -> None:
    _kinds[model] = ReferenceKind(
        model,
        url_name,
        tuple(text_fields),
        tuple(formats),
        example,
        allocator_kind,
        summary_field,
    )
    _track_mentions(model, text_fields)


def register_mentioning_texts(name, model, *, text_fields) -> None:
    _texts[name] = MentioningTexts(model, tuple(text_fields))
    _track_mentions(model, text_fields)


def _track_mentions(model, text_fields):
    # Imported here: this module is imported by the apps' apps.py before models are ready.
    from .mentions import track

    track(model, text_fields)


def reference_kinds() -> list[ReferenceKind]:
    return list(_kinds.values())


def reference_kind(model) -> ReferenceKind:
    return _kinds[model]


def mentioning_texts(name) -> MentioningTexts:
    return _texts[name]
