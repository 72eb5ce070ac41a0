"""Text of change requests and RAID items with their references linked.

Views collect the references of a page and call reference_urls() once, then pass the map
as `urls`, so linking costs no query per text.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.markup import link_references_in_html, render_markdown

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
def absolute(number):
    return abs(number)
