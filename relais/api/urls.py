"""The JSON API (namespace ``api``), mounted at /api/."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("v1/stats", views.stats_view, name="stats"),
    path("v1/activities", views.activities_view, name="activities"),
    path("v1/openapi.json", views.openapi_view, name="openapi"),
    path("jetons/", views.token_list, name="token_list"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
]
