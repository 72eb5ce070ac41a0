"""{{ text|highlight:terms }}: the text, escaped, with each word of a search marked <mark>."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# The search stems words ("issued" finds "issue" and "issues"): a longer word is marked
# from its stem to the end of the word.
_ENDINGS = re.compile(r"(ing|ed|es|s|e)$", re.IGNORECASE)


def _stem(term):
    return _ENDINGS.sub("", term) if len(term) > 4 else term


@register.filter
def highlight(text, terms):
    """Mark whole words (from their start) that match a search term, case-insensitively:
    "UTC" marks "UTC" but nothing inside "outcome"."""
    text = "" if text is None else str(text)
    stems = sorted({_stem(term) for term in terms or () if term}, key=len, reverse=True)
    if not stems:
        return escape(text)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE
    )
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
