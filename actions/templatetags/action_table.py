"""{% action_rows actions full %}: the body rows of includes/action_table.html.

Built in Python rather than with a template loop: a page of the register has 50 rows of 6 to
9 cells, and the template engine spent more time on them than the rest of the page and its
SQL together (about 9 ms of CPU a page). The markup is the template's, cell for cell.
"""

from urllib.parse import quote

from django import template
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe

register = template.Library()

PLACEHOLDER = "__reference__"
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted
ROW = (
    '<tr{}><td class="nowrap"><a href="{}">{}</a></td>{}<td class="wide">{}</td><td>{}</td>'
    '<td><span class="nowrap">{}</span>{}</td>'
    '<td><span class="badge badge--{}">{}</span></td>{}</tr>'
)
OVERDUE_BADGE = mark_safe(' <span class="badge badge--overdue">Overdue</span>')
RAISED_AND_AREA = '<td class="nowrap">{}</td><td>{}</td>'
LATEST_UPDATE = '<td class="wide"><span class="muted nowrap">{}:</span> {}</td>'
NO_UPDATE = mark_safe('<td class="wide">—</td>')


@register.simple_tag
def action_rows(actions, full=False):
    """`actions` from Action.objects.for_list() (or for_register()); `full` adds the date
    raised, the area and the latest update."""
    today = timezone.localdate()
    # The detail URL differs only by reference: reverse once, quote as reverse() does.
    url_pattern = reverse("actions:action_detail", args=[PLACEHOLDER])
    rows = []
    for action in actions:
        overdue = action.is_overdue(today)
        if full:
            raised = format_html(RAISED_AND_AREA, date_format(action.date_raised), action.area)
            if action.latest_update_date:
                latest = format_html(
                    LATEST_UPDATE,
                    date_format(action.latest_update_date),
                    truncatewords(action.latest_update_text, 40),
                )
            else:
                latest = NO_UPDATE
        else:
            raised = latest = ""
        rows.append(
            format_html(
                ROW,
                mark_safe(' class="is-overdue"') if overdue else "",
                url_pattern.replace(PLACEHOLDER, quote(action.reference, safe=URL_SAFE)),
                action.reference,
                raised,
                action.text,
                action.owner_display() or "—",
                action.due_display(),
                OVERDUE_BADGE if overdue else "",
                action.status,
                action.get_status_display(),
                latest,
            )
        )
    return mark_safe("".join(rows))
