from django.urls import path

from . import views, views_rights

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("registre/", views.record, name="record"),
    path("registre.pdf", views.record_pdf, name="record_pdf"),
    path("purges/", views.purges, name="purges"),
    path("journal/verifier/", views.journal_verify_now, name="journal_verify"),
    # Data-subject rights (views_rights.py).
    path("droits/", views_rights.rights_list, name="rights_list"),
    path("droits/echeances/", views_rights.rights_summary, name="rights_summary"),
    path("droits/nouvelle/", views_rights.rights_create, name="rights_create"),
    path("droits/<int:pk>/", views_rights.rights_detail, name="rights_detail"),
    path("droits/personne/<int:pk>/", views_rights.beneficiary_rights, name="beneficiary_rights"),
    path(
        "droits/personne/<int:pk>/export.json",
        views_rights.beneficiary_export,
        {"fmt": "json"},
        name="beneficiary_export_json",
    ),
    path(
        "droits/personne/<int:pk>/export.pdf",
        views_rights.beneficiary_export,
        {"fmt": "pdf"},
        name="beneficiary_export_pdf",
    ),
    path(
        "droits/personne/<int:pk>/opposition/",
        views_rights.beneficiary_opposition,
        name="beneficiary_opposition",
    ),
    path(
        "droits/personne/<int:pk>/effacement/",
        views_rights.beneficiary_erasure,
        name="beneficiary_erasure",
    ),
]
