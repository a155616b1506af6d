from django.urls import path

from . import (
    views,
    views_clauses,
    views_deadlines,
    views_documents,
    views_import,
    views_manage,
)

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("deliberations/<int:pk>/", views.deliberation_detail, name="deliberation_detail"),
    path("<int:pk>/pdf/", views_documents.agreement_pdf, name="pdf"),
    path(
        "<int:pk>/documents/<int:source_pk>/",
        views_documents.source_file,
        name="source_file",
    ),
    path(
        "<int:pk>/annexes/<int:number>/fichier/",
        views_documents.annex_file,
        name="annex_file",
    ),
    path("deliberations/<int:pk>/pdf/", views_documents.deliberation_pdf, name="deliberation_pdf"),
    path("echeances/", views_deadlines.deadlines, name="deadlines"),
    path("nouvelle/", views_manage.agreement_create, name="create"),
    path("<int:pk>/modifier/", views_manage.agreement_edit, name="edit"),
    path("<int:pk>/engagements/ajouter/", views_manage.commitment_add, name="commitment_add"),
    path(
        "<int:pk>/engagements/<int:commitment_pk>/retirer/",
        views_manage.commitment_remove,
        name="commitment_remove",
    ),
    path("<int:pk>/signataires/ajouter/", views_manage.signatory_add, name="signatory_add"),
    path("<int:pk>/envoyer/", views_manage.send_for_signature, name="send_for_signature"),
    path(
        "<int:pk>/signataires/<int:signatory_pk>/signature/",
        views_manage.signature_record,
        name="signature_record",
    ),
    path("<int:pk>/opposition/", views_manage.opposition_record, name="opposition"),
    path("<int:pk>/resiliation/", views_manage.termination_record, name="termination"),
    path("<int:pk>/regularisation/", views_manage.remedy_record, name="remedy"),
    path("<int:pk>/avenants/preparer/", views_manage.amendment_prepare, name="amendment_prepare"),
    path(
        "<int:pk>/avenants/<int:amendment_pk>/signer/",
        views_manage.amendment_sign,
        name="amendment_sign",
    ),
    path(
        "<int:pk>/avenants/<int:amendment_pk>/retirer/",
        views_manage.amendment_withdraw,
        name="amendment_withdraw",
    ),
    path("<int:pk>/convention-suivante/", views_manage.successor_start, name="successor"),
    path("<int:pk>/assurance/ajouter/", views_clauses.insurance_add, name="insurance_add"),
    path(
        "<int:pk>/assurance/<int:certificate_pk>/fichier/",
        views_clauses.insurance_file,
        name="insurance_file",
    ),
    path("<int:pk>/contacts/ajouter/", views_clauses.contact_edit, name="contact_add"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/modifier/",
        views_clauses.contact_edit,
        name="contact_edit",
    ),
    path(
        "<int:pk>/contacts/<int:contact_pk>/supprimer/",
        views_clauses.contact_delete,
        name="contact_delete",
    ),
    path("communication/", views_clauses.communication_list, name="communication_list"),
    path(
        "<int:pk>/communication/demander/",
        views_clauses.communication_create,
        name="communication_create",
    ),
    path(
        "<int:pk>/communication/<int:request_pk>/",
        views_clauses.communication_detail,
        name="communication_detail",
    ),
    path(
        "<int:pk>/communication/<int:request_pk>/retirer/",
        views_clauses.communication_withdraw,
        name="communication_withdraw",
    ),
    path(
        "<int:pk>/communication/<int:request_pk>/maquette/",
        views_clauses.communication_file,
        name="communication_file",
    ),
    path("importer/", views_import.import_form, name="import"),
    path("importer/confirmer/", views_import.import_confirm, name="import_confirm"),
]
