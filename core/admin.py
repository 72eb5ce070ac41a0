from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GovernanceGroup, Membership, Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organisation", "user", "active"]
    list_filter = ["active"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(GovernanceGroup)
class GovernanceGroupAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "active"]
    list_filter = ["level", "active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "group", "role", "constituency", "active"]
    list_filter = ["role", "active", "group"]
    list_select_related = ["person", "group"]
    search_fields = ["person__name", "group__code", "constituency"]
    autocomplete_fields = ["person", "group"]
