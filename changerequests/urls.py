from django.urls import path

from . import views

app_name = "changerequests"
urlpatterns = [
    path("", views.cr_list, name="cr_list"),
    path("board/", views.cr_board, name="cr_board"),
    path("export.csv", views.cr_export, {"fmt": "csv"}, name="cr_export_csv"),
    path("export.xlsx", views.cr_export, {"fmt": "xlsx"}, name="cr_export_xlsx"),
    path("new/", views.cr_new, name="cr_new"),
    path("<str:reference>/", views.cr_detail, name="cr_detail"),
    path("<str:reference>/edit/", views.cr_edit, name="cr_edit"),
    path("<str:reference>/move/", views.cr_move, name="cr_move"),
    path("<str:reference>/link/", views.cr_link, name="cr_link"),
    path("<str:reference>/unlink/", views.cr_unlink, name="cr_unlink"),
]
