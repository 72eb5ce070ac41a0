from django.urls import path

from . import views

app_name = "changerequests"
urlpatterns = [
    path("", views.cr_list, name="cr_list"),
    path("<str:reference>/", views.cr_detail, name="cr_detail"),
]
