from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("export.csv", views.action_export, {"fmt": "csv"}, name="action_export_csv"),
    path("export.xlsx", views.action_export, {"fmt": "xlsx"}, name="action_export_xlsx"),
    path("import/", views.action_import, name="action_import"),
    path("import/<str:token>/", views.action_import_preview, name="action_import_preview"),
    path("<str:reference>/", views.action_detail, name="action_detail"),
    path("<str:reference>/update/", views.action_update, name="action_update"),
    path("<str:reference>/correct/", views.action_correct_view, name="action_correct"),
    path("<str:reference>/revoke-links/", views.action_revoke_links, name="action_revoke_links"),
]
