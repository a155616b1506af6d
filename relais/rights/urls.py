from django.urls import path

from . import views

app_name = "rights"

# Mounted at /confidentialite/droits/ (config/urls.py), beside the privacy pages.
urlpatterns = [
    path("", views.rights_list, name="list"),
    path("echeances/", views.rights_summary, name="summary"),
    path("nouvelle/", views.rights_create, name="create"),
    path("<int:pk>/", views.rights_detail, name="detail"),
    path("personne/<int:pk>/", views.beneficiary_rights, name="beneficiary"),
    path(
        "personne/<int:pk>/export.json",
        views.beneficiary_export,
        {"fmt": "json"},
        name="export_json",
    ),
    path(
        "personne/<int:pk>/export.pdf",
        views.beneficiary_export,
        {"fmt": "pdf"},
        name="export_pdf",
    ),
    path("personne/<int:pk>/opposition/", views.beneficiary_opposition, name="opposition"),
    path("personne/<int:pk>/effacement/", views.beneficiary_erasure, name="erasure"),
]
