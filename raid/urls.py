from django.urls import path

from . import views

app_name = "raid"
urlpatterns = [
    path("", views.raid_list, name="raid_list"),
    path("export.csv", views.raid_export, {"fmt": "csv"}, name="raid_export_csv"),
    path("export.xlsx", views.raid_export, {"fmt": "xlsx"}, name="raid_export_xlsx"),
    path("new/", views.raid_new, name="raid_new"),
    path("<str:reference>/", views.raid_detail, name="raid_detail"),
    path("<str:reference>/edit/", views.raid_edit, name="raid_edit"),
    path("<str:reference>/close/", views.raid_close, name="raid_close"),
    path("<str:reference>/reopen/", views.raid_reopen, name="raid_reopen"),
    path("<str:reference>/supersede/", views.raid_supersede, name="raid_supersede"),
]
