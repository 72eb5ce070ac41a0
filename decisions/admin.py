from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "group", "area", "status", "decided_at", "meeting"]
    list_filter = ["status", "by_correspondence", "group"]
    list_select_related = ["group", "meeting__group"]
    search_fields = ["reference", "wording", "area"]
    autocomplete_fields = [
        "group",
        "meeting",
        "agenda_item",
        "decided_by",
        "decided_by_user",
        "change_requests",
        "actions",
    ]
