"""{% action_rows actions full terms %}: the rows of an actions table
(templates/includes/action_table.html), written here rather than by a template.

The register shows 50 rows on every request, and Django's template engine spent about
0.75 ms of CPU a row resolving a dozen variables and filters through its context (38 ms of
a page's 95). The same markup is written here with the standard library's html.escape
(what django.utils.html.escape calls, without its lazy-string wrapper, which cost as much
again as the escaping in format_html).
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.templatetags.highlight import highlight

register = template.Library()

EMPTY = "—"
# The latest update is cut to this many words; the action's page has it all.
UPDATE_WORDS = 40
OVERDUE_BADGE = ' <span class="badge badge--overdue">Overdue</span>'
REFERENCE_ONLY = '<span class="muted">Known by its reference only</span>'


@register.simple_tag
def action_rows(actions, full=False, terms=()):
    """One <tr> per action. `full` adds the log's columns (date raised, area, latest
    update); `terms` are the search's words, marked in the action and its update."""
    today = timezone.localdate()
    rows = "".join(_row(action, full, terms, today) for action in actions)
    return mark_safe(rows)  # noqa: S308 - every value in it is escaped


def _row(action, full, terms, today):
    overdue = action.is_overdue(today)
    html = [
        '<tr class="is-overdue">' if overdue else "<tr>",
        f'<td class="nowrap" data-label="Ref"><a href="{escape(action.get_absolute_url())}">'
        f"{escape(action.reference)}</a></td>",
    ]
    if full:
        html.append(
            f'<td class="nowrap" data-label="Date raised">{_day(action.date_raised)}</td>'
            f'<td data-label="Area"><span class="clamp">{escape(action.area or EMPTY)}</span></td>'
        )
    text = (
        f'<span class="clamp">{highlight(action.text, terms)}</span>'
        if action.text
        else REFERENCE_ONLY
    )
    html.append(
        f'<td class="wide" data-label="Action">{text}</td>'
        f'<td data-label="Owner"><span class="clamp">{escape(action.owner_display() or EMPTY)}'
        "</span></td>"
        f'<td data-label="Due"><span class="nowrap">{escape(action.due_display())}</span>'
        f"{OVERDUE_BADGE if overdue else ''}</td>"
        f'<td data-label="Status"><span class="badge badge--{escape(action.status)}">'
        f"{escape(action.get_status_display())}</span></td>"
    )
    if full:
        html.append(_latest_update(action, terms))
    html.append("</tr>\n")
    return "".join(html)


def _latest_update(action, terms):
    if not action.latest_update_date:
        return f'<td class="wide" data-label="Latest update">{EMPTY}</td>'
    words = Truncator(action.latest_update_text or "").words(UPDATE_WORDS, truncate=" …")
    return (
        '<td class="wide" data-label="Latest update"><span class="clamp">'
        f'<span class="muted nowrap">{_day(action.latest_update_date)}:</span> '
        f"{highlight(words, terms)}</span></td>"
    )


def _day(day):
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""
