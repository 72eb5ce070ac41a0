"""Cursor pagination for every register: a page's link stays right while rows are added
(no OFFSET drift) and costs the same on page 1 and page 10,000."""

from rest_framework.pagination import CursorPagination


class RegisterCursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # Each view sets its `cursor_ordering`: a field the database indexes, then the pk so
    # that rows sharing a value are neither skipped nor repeated.
    ordering = "-pk"

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)
