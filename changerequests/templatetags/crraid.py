"""Text of change requests, RAID items and updates: plain with its references linked, or
Markdown (core.markup) where people write at length.

Views collect the references of a page and call reference_urls() once, then pass the map
as `urls`, so linking costs no query per text.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.markup import (
    link_references_in_html,
    markdown_words,
    render_markdown,
    render_markdown_inline,
)

register = template.Library()


@register.filter
def linkrefs(text, urls):
    """Plain text, escaped, line breaks kept, references such as CR032 or R432 linked."""
    if not text:
        return ""
    html = escape(text).replace("\n", "<br>")
    return mark_safe(link_references_in_html(html, urls or {}))  # noqa: S308 - escaped above


@register.filter
def markdown(text, urls):
    """User-written Markdown, sanitised, with references linked."""
    return render_markdown(text, urls or {})


@register.filter
def markdown_inline(text, urls):
    """Markdown in a line or a table cell: one paragraph runs on without its <p>."""
    return render_markdown_inline(text, urls or {})


@register.filter
def markdown_text(text):
    """The words of Markdown text, its markers dropped, for a preview cut short."""
    return markdown_words(text)


@register.filter
def absolute(number):
    return abs(number)
