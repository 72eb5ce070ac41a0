from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionOwner, ActionUpdate


class ActionOwnerInline(admin.TabularInline):
    model = ActionOwner
    extra = 0
    autocomplete_fields = ["person"]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ["date", "text", "author", "meeting", "status_set", "source"]
    autocomplete_fields = ["author", "meeting"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "group", "area", "status", "due_kind", "due_date", "date_raised"]
    list_filter = ["status", "due_kind", "group"]
    list_select_related = ["group"]
    search_fields = ["reference", "text", "area", "owner_party"]
    date_hierarchy = "date_raised"
    autocomplete_fields = [
        "group",
        "meeting",
        "agenda_item",
        "closed_meeting",
        "change_requests",
    ]
    inlines = [ActionOwnerInline, ActionUpdateInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "date", "status_set", "author", "source"]
    list_filter = ["status_set", "source"]
    list_select_related = ["action", "author"]
    search_fields = ["action__reference", "text"]
    date_hierarchy = "date"
    autocomplete_fields = ["action", "author", "meeting", "recorded_by"]
