"""{% action_rows actions full %}: the body rows of includes/action_table.html.

Built in Python rather than with a template loop: a page of the register has 50 rows of 6 to
9 cells, and the template engine spent more time on them than on the rest of the page and
its SQL together. The markup is the template's, cell for cell; every value is escaped with
the standard library's html.escape, which is what Django's escape() calls, without the lazy-
string checks Django adds around each call.
"""

from html import escape
from urllib.parse import quote

from django import template
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe

register = template.Library()

PLACEHOLDER = "__reference__"
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted
UK_DATE = "%d/%m/%Y"  # settings.DATE_FORMAT, as Action.due_display() writes it too
OVERDUE_BADGE = ' <span class="badge badge--overdue">Overdue</span>'


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
        url = url_pattern.replace(PLACEHOLDER, quote(action.reference, safe=URL_SAFE))
        cells = [f'<td class="nowrap"><a href="{escape(url)}">{escape(action.reference)}</a></td>']
        if full:
            cells.append(f'<td class="nowrap">{action.date_raised.strftime(UK_DATE)}</td>')
            cells.append(f"<td>{escape(action.area)}</td>")
        cells.append(f'<td class="wide">{escape(action.text)}</td>')
        cells.append(f"<td>{escape(action.owner_display() or '—')}</td>")
        cells.append(
            f'<td><span class="nowrap">{escape(action.due_display())}</span>'
            f"{OVERDUE_BADGE if overdue else ''}</td>"
        )
        cells.append(
            f'<td><span class="badge badge--{escape(action.status)}">'
            f"{escape(action.get_status_display())}</span></td>"
        )
        if full:
            if action.latest_update_date:
                cells.append(
                    f'<td class="wide"><span class="muted nowrap">'
                    f"{action.latest_update_date.strftime(UK_DATE)}:</span> "
                    f"{escape(truncatewords(action.latest_update_text, 40))}</td>"
                )
            else:
                cells.append('<td class="wide">—</td>')
        row_class = ' class="is-overdue"' if overdue else ""
        rows.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    return mark_safe("".join(rows))  # every value above is escaped
