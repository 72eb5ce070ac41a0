from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RaidItem, RaidReview


class RaidReviewInline(admin.TabularInline):
    model = RaidReview
    extra = 0
    fields = ["meeting", "agenda_item", "discussion", "conclusion"]
    autocomplete_fields = ["meeting", "agenda_item"]


@admin.register(RaidItem)
class RaidItemAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "raid_type", "title", "owner", "probability", "impact", "status"]
    list_filter = ["raid_type", "status", "group"]
    list_select_related = ["owner"]
    search_fields = ["reference", "title", "description", "area"]
    autocomplete_fields = ["group", "owner", "superseded_by", "change_requests"]
    inlines = [RaidReviewInline]


@admin.register(RaidReview)
class RaidReviewAdmin(SimpleHistoryAdmin):
    list_display = ["raid_item", "meeting"]
    list_select_related = ["raid_item", "meeting__group"]
    search_fields = ["raid_item__reference", "discussion", "conclusion"]
    autocomplete_fields = ["raid_item", "meeting", "agenda_item"]
