from django.urls import path

from .views import agreements, clauses, deadlines, documents, imports, lifecycle

app_name = "agreements"

urlpatterns = [
    path("", agreements.agreement_list, name="list"),
    path("<int:pk>/", agreements.agreement_detail, name="detail"),
    path("deliberations/<int:pk>/", agreements.deliberation_detail, name="deliberation_detail"),
    path("<int:pk>/pdf/", documents.agreement_pdf, name="pdf"),
    path(
        "<int:pk>/documents/<int:source_pk>/",
        documents.source_file,
        name="source_file",
    ),
    path(
        "<int:pk>/annexes/<int:number>/fichier/",
        documents.annex_file,
        name="annex_file",
    ),
    path("deliberations/<int:pk>/pdf/", documents.deliberation_pdf, name="deliberation_pdf"),
    path("echeances/", deadlines.deadlines, name="deadlines"),
    path("nouvelle/", lifecycle.agreement_create, name="create"),
    path("<int:pk>/modifier/", lifecycle.agreement_edit, name="edit"),
    path("<int:pk>/engagements/ajouter/", lifecycle.commitment_add, name="commitment_add"),
    path(
        "<int:pk>/engagements/<int:commitment_pk>/retirer/",
        lifecycle.commitment_remove,
        name="commitment_remove",
    ),
    path("<int:pk>/signataires/ajouter/", lifecycle.signatory_add, name="signatory_add"),
    path("<int:pk>/envoyer/", lifecycle.send_for_signature, name="send_for_signature"),
    path(
        "<int:pk>/signataires/<int:signatory_pk>/signature/",
        lifecycle.signature_record,
        name="signature_record",
    ),
    path("<int:pk>/opposition/", lifecycle.opposition_record, name="opposition"),
    path("<int:pk>/resiliation/", lifecycle.termination_record, name="termination"),
    path("<int:pk>/regularisation/", lifecycle.remedy_record, name="remedy"),
    path("<int:pk>/avenants/preparer/", lifecycle.amendment_prepare, name="amendment_prepare"),
    path(
        "<int:pk>/avenants/<int:amendment_pk>/signer/",
        lifecycle.amendment_sign,
        name="amendment_sign",
    ),
    path(
        "<int:pk>/avenants/<int:amendment_pk>/retirer/",
        lifecycle.amendment_withdraw,
        name="amendment_withdraw",
    ),
    path("<int:pk>/convention-suivante/", lifecycle.successor_start, name="successor"),
    path("<int:pk>/assurance/ajouter/", clauses.insurance_add, name="insurance_add"),
    path(
        "<int:pk>/assurance/<int:certificate_pk>/fichier/",
        clauses.insurance_file,
        name="insurance_file",
    ),
    path("<int:pk>/contacts/ajouter/", clauses.contact_edit, name="contact_add"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/modifier/",
        clauses.contact_edit,
        name="contact_edit",
    ),
    path(
        "<int:pk>/contacts/<int:contact_pk>/supprimer/",
        clauses.contact_delete,
        name="contact_delete",
    ),
    path("communication/", clauses.communication_list, name="communication_list"),
    path(
        "<int:pk>/communication/demander/",
        clauses.communication_create,
        name="communication_create",
    ),
    path(
        "<int:pk>/communication/<int:request_pk>/",
        clauses.communication_detail,
        name="communication_detail",
    ),
    path(
        "<int:pk>/communication/<int:request_pk>/retirer/",
        clauses.communication_withdraw,
        name="communication_withdraw",
    ),
    path(
        "<int:pk>/communication/<int:request_pk>/maquette/",
        clauses.communication_file,
        name="communication_file",
    ),
    path("importer/", imports.import_form, name="import"),
    path("importer/confirmer/", imports.import_confirm, name="import_confirm"),
]
