from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/activites.<str:fmt>", views.export_activities, name="export_activities"),
    path("export/statistiques.<str:fmt>", views.export_statistics, name="export_statistics"),
]
