from django.urls import path

from . import views

app_name = "raid"
urlpatterns = [
    path("", views.raid_list, name="raid_list"),
    path("<str:reference>/", views.raid_detail, name="raid_detail"),
]
