from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Decision, DecisionRevision, DecisionStatus


class DecisionRevisionInline(admin.TabularInline):
    """Corrections are recorded from the decision page, with their reason; here they are read."""

    model = DecisionRevision
    extra = 0
    fields = ["at", "by", "wording", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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
        "approves_minutes_of",
        "change_requests",
        "actions",
    ]
    inlines = [DecisionRevisionInline]

    def get_readonly_fields(self, request, obj=None):
        # Set by the approval and correspondence workflows; a taken decision keeps its words.
        readonly = ["correspondence_round", "proposed_wording"]
        if obj is not None and obj.status != DecisionStatus.PROPOSED:
            readonly += ["status", "wording"]
        return readonly
