from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.home, name="home"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<str:code>/", views.group_detail, name="group_detail"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
]
