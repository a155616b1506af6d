from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.jobs_page, name="jobs"),
    path("exports/<int:pk>/", views.export_page, name="export"),
    path("exports/<int:pk>/fichier/", views.export_download, name="export_download"),
    path("imports/<int:pk>/", views.import_page, name="import"),
    path("imports/<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
]
