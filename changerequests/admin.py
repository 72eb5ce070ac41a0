from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChangeRequest, ChangeRequestTransition


class TransitionInline(admin.TabularInline):
    model = ChangeRequestTransition
    extra = 0
    fields = ["date", "from_stage", "to_stage", "by", "reason"]
    autocomplete_fields = ["by"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "approval_status", "stage", "group", "change_owner"]
    list_filter = ["approval_status", "stage", "change_type", "decision_body", "group"]
    list_select_related = ["group", "change_owner"]
    search_fields = ["reference", "title", "key_detail"]
    autocomplete_fields = ["raiser_person", "raiser_organisation", "group", "change_owner"]
    inlines = [TransitionInline]


@admin.register(ChangeRequestTransition)
class ChangeRequestTransitionAdmin(admin.ModelAdmin):
    list_display = ["change_request", "from_stage", "to_stage", "date", "by"]
    list_filter = ["to_stage"]
    list_select_related = ["change_request", "by"]
    search_fields = ["change_request__reference", "reason"]
    date_hierarchy = "date"
    autocomplete_fields = ["change_request", "by"]
