"""User-written Markdown (minutes, updates) to safe HTML, with references turned into links.

Markdown is rendered by python-markdown, then sanitised by nh3 (an allow-list of tags,
no attributes that run script), then references such as DAG29-01, DAG-DEC76, CR032 and
R184 in the text become links to their records. Only references that exist become
links, so a typo never produces a broken link.
"""

import functools
import re
import threading

import markdown as md
import nh3
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from markdown.inlinepatterns import ImageInlineProcessor

from .reference_kinds import reference_kinds

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}

# One alternation, longest shapes first: DAG-DEC76 / DAG-DEC-29, DAG29-01 / DAG10.1-03 /
# DES-03-04, CR032, R184. Word boundaries keep "CR0321" or "XR184" from matching these
# shapes. Last, any other word of capitals and digits joined by "-" or "." (CR-D040,
# RISK-99): a reference typed in an older form links too, since only the references records
# hold become links. The usual shapes come first so that "CR032-CR044" is two references.
# Every repeat is bounded (references are at most 40 characters), so that no text, however
# long or odd, makes the search slow.
_USUAL_SHAPES = (
    r"[A-Z]{2,12}-DEC-?\d+"
    r"|[A-Z]{2,12}\d+(?:\.\d+)?-\d{2,3}"
    r"|[A-Z]{2,12}-\d{2}-\d{2}"
    r"|CR\d{3,4}"
    r"|R\d{2,5}"
)
_OTHER_SHAPES = (
    r"(?=[A-Z0-9.-]{0,40}\d)[A-Z][A-Z0-9]{0,39}(?:[-.][A-Z0-9]{1,39}){1,6}"
    r"|[A-Z]{1,12}\d{1,10}[A-Z0-9]{0,20}"
)
# The usual shapes alone: what reads as a reference whether or not a record holds it.
USUAL_REFERENCE_RE = re.compile(rf"\b(?:{_USUAL_SHAPES})\b")
REFERENCE_RE = re.compile(rf"\b(?:{_USUAL_SHAPES}|{_OTHER_SHAPES})\b")
_TAG_RE = re.compile(r"(<[^>]+>)")


class ImageAsWords(ImageInlineProcessor):
    """Images are not allowed in minutes: `![alt](address)` shows its alt text as plain words
    (the sanitiser would otherwise drop the <img> and the words with it), or the address if
    there is no alt text."""

    def handleMatch(self, m, data):
        image, start, end = super().handleMatch(m, data)
        if image is None:
            return None, start, end
        return image.get("alt") or image.get("src", ""), start, end


def find_references(*texts: str) -> set[str]:
    return {match for text in texts if text for match in REFERENCE_RE.findall(text)}


def reference_urls(references) -> dict[str, str]:
    """{reference: url} for the references that exist: one query per kind of record (the
    kinds the feature apps registered in core.reference_kinds)."""
    references = set(references)
    urls = {}
    if not references:
        return urls
    for kind in reference_kinds():
        for reference in kind.model.objects.filter(reference__in=references).values_list(
            "reference", flat=True
        ):
            urls[reference] = reverse(kind.url_name, args=[reference])
    return urls


def _link_text(text: str, urls: dict[str, str]) -> str:
    def link(match):
        reference = match.group(0)
        url = urls.get(reference)
        return f'<a href="{escape(url)}">{reference}</a>' if url else reference

    return REFERENCE_RE.sub(link, text)


def link_references_in_html(html: str, urls: dict[str, str]) -> str:
    """Link references in the text of well-formed HTML, never inside tags or existing links."""
    out, inside_link = [], 0
    for part in _TAG_RE.split(html):
        if part.startswith("<"):
            name = part[1:].split()[0].rstrip(">").lower() if len(part) > 2 else ""
            if name == "a":
                inside_link += 1
            elif name == "/a":
                inside_link = max(0, inside_link - 1)
            out.append(part)
        else:
            out.append(part if inside_link else _link_text(part, urls))
    return "".join(out)


_converters = threading.local()


def _converter() -> md.Markdown:
    """This thread's Markdown converter, reset for the next text. Building one (its
    extensions and patterns) took longer than converting a short text, and a page of a
    meeting's review or a CR board converts hundreds (docs/benchmarks.md)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = md.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        # Without its raw-HTML handlers python-markdown escapes "<" like any other text.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        # Nothing typed may vanish: an image is its alt text; a line such as "[1]: see
        # below" is text, not a hidden link definition (so "[text][1]" stays as typed too).
        converter.inlinePatterns.register(ImageAsWords(r"\!\[", converter), "image_link", 150)
        converter.inlinePatterns.deregister("image_reference")
        converter.inlinePatterns.deregister("short_image_ref")
        converter.parser.blockprocessors.deregister("reference")
        _converters.markdown = converter
    return converter.reset()


def _sanitised(text: str) -> str:
    """The text's Markdown as HTML, sanitised; its references not linked yet."""
    return nh3.clean(
        _converter().convert(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# A short text's HTML is the same on every page that shows it, and a page converts many
# (a CR status table 150 a request, a third of its CPU): each process keeps the latest
# 1,024 texts of up to 2,000 characters (a few MB at most).
KEPT_TEXT_CHARS = 2000
_kept_sanitised = functools.lru_cache(maxsize=1024)(_sanitised)


def render_markdown(text: str, urls: dict[str, str] | None = None) -> str:
    """Safe HTML for user-written Markdown. Pass `urls` from reference_urls() to link
    references without a query per call; without it the lookup is done here.

    HTML the writer typed ("<script>", "<MPAN>") is shown as the characters typed, never
    interpreted nor dropped, and an image is shown as its alt text: the minutes keep every
    word, on every page and in the PDF.
    """
    if not text:
        return mark_safe("")
    clean = _kept_sanitised(text) if len(text) <= KEPT_TEXT_CHARS else _sanitised(text)
    if urls is None:
        urls = reference_urls(find_references(text))
    return mark_safe(link_references_in_html(clean, urls))  # noqa: S308 - sanitised above


def render_markdown_inline(text: str, urls: dict[str, str] | None = None) -> str:
    """render_markdown for text set in a line or a table cell (an update after its
    reference, a CR's latest action): a single paragraph loses its <p>, so the words run on
    with what surrounds them; longer text keeps its paragraphs, lists and headings."""
    html = str(render_markdown(text, urls))
    inner = html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else None
    if inner is not None and "<p>" not in inner:
        return mark_safe(inner)  # noqa: S308 - a fragment of the sanitised HTML
    return mark_safe(html)  # noqa: S308 - sanitised by render_markdown


# What may make text Markdown rather than plain words: a marker character, an entity or a
# tag, a list item or a rule or heading's underline opening a line; a control character
# or any space but a space, a tab or a newline (a carriage return starts a line for
# Markdown, a no-break space is written as an entity).
_MARKDOWN_SIGNS = re.compile(
    r"[\\`*_\[\]<>&#|!~=\x00-\x08\x0e-\x1f\x7f]|[^\S\n\t ]"
    r"|^[ \t]*(?:[-+]|\d+\.)(?:\s|$)|^[ \t]*-[ \t-]*$",
    re.M,
)


def markdown_words(text: str) -> str:
    """The words of Markdown text without its markers (a preview cut to a few words)."""
    if not _MARKDOWN_SIGNS.search(text):
        # Most updates are a plain sentence or two: their words are as typed, without
        # converting them (a review page of 50 actions converted 50 latest updates).
        return " ".join(text.split())
    return " ".join(strip_tags(render_markdown(text, {})).split())
