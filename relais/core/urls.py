from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("structures/", views.organisation_list, name="organisation_list"),
    path("structures/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("sante/", views.health, name="health"),
]
