from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Attendance, Meeting


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fk_name = "meeting"
    extra = 0
    fields = ["order", "person", "initials", "category", "status", "role", "on_behalf_of"]
    fields += ["part_meeting"]
    autocomplete_fields = ["person", "on_behalf_of"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    # Minutes are written on the meeting pages, which guard against two editors at once.
    fields = ["order", "number", "title", "lead", "item_type", "duration_minutes"]
    autocomplete_fields = ["lead"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "group", "date", "status", "classification"]
    list_filter = ["status", "classification", "group"]
    list_select_related = ["group"]
    search_fields = ["group__code", "title", "venue"]
    date_hierarchy = "date"
    autocomplete_fields = ["group"]
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "meeting", "category", "status", "initials", "part_meeting"]
    list_filter = ["category", "status", "part_meeting"]
    list_select_related = ["person", "meeting__group"]
    search_fields = ["person__name", "initials", "role", "meeting__group__code"]
    autocomplete_fields = ["meeting", "person", "on_behalf_of"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "lead", "item_type", "duration_minutes"]
    list_filter = ["item_type"]
    list_select_related = ["meeting__group", "lead"]
    search_fields = ["title", "number", "meeting__group__code"]
    autocomplete_fields = ["meeting", "lead"]
    readonly_fields = ["minutes_version"]
