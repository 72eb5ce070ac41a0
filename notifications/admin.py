from django.contrib import admin

from .models import EmailPreference


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "daily_digest_opt_out", "daily_digest_opt_out_at", "opted_out_kinds"]
    list_filter = ["daily_digest_opt_out"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
