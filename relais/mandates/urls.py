from django.urls import path

from . import views

app_name = "mandates"

urlpatterns = [
    path("", views.mandate_list, name="list"),
    path("effectifs/", views.mandate_summary, name="summary"),
    path("personne/<int:beneficiary_pk>/nouveau/", views.mandate_create, name="create"),
    path("<int:pk>/", views.mandate_detail, name="detail"),
    path("<int:pk>/mandat.pdf", views.mandate_pdf, name="pdf"),
    path("<int:pk>/actions/nouvelle/", views.mandate_action_create, name="action_create"),
    path("<int:pk>/aboutie/", views.mandate_complete_view, name="complete"),
    path("<int:pk>/retrait/", views.mandate_revoke_view, name="revoke"),
    path("<int:pk>/retrait-famille/", views.mandate_revoke_family_view, name="revoke_family"),
    path("<int:pk>/recu-de-retrait.pdf", views.revocation_receipt, name="revocation_receipt"),
    path("<int:pk>/mandat-signe/", views.scan_upload, name="scan_upload"),
    path("<int:pk>/mandat-signe/fichier/", views.scan_download, name="scan"),
    path(
        "<int:pk>/mandat-signe/versions/<int:version>/",
        views.scan_version_download,
        name="scan_version",
    ),
]
