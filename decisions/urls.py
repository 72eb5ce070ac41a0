from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("<str:reference>/", views.decision_detail, name="decision_detail"),
]
