"""Mandate pages: the team's advisers only; coordinators and administrators get counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from relais.beneficiaries.models import Beneficiary
from relais.core.forms import add_errors
from relais.core.params import parse_id
from relais.core.perms import require
from relais.core.validators import error_text
from relais.privacy.journal import journal_personal_data_access

from . import documents, perms, queries, services
from .enums import Status
from .forms import ActionForm, FamilyRevocationForm, MandateForm, RevocationForm, ScanForm
from .models import Mandate, MandateScan
from .scans import scan_open

PAGE_SIZE = 50


def _get(request, pk: int) -> Mandate:
    require(perms.can_view_mandates(request.user))
    return get_object_or_404(
        Mandate.objects.select_related(
            "beneficiary", "advisor__user", "identity_verified_by", "created_by", "current_scan"
        ),
        pk=pk,
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def mandate_list(request):
    require(perms.can_view_mandates(request.user))
    status = request.GET.get("statut", "")
    if status not in Status.values:
        status = ""
    beneficiary = None
    if beneficiary_pk := parse_id(request.GET.get("personne")):
        beneficiary = get_object_or_404(Beneficiary, pk=beneficiary_pk)
    mandates = queries.mandates_for_list(status=status, beneficiary=beneficiary)
    # get_page: a page that is not a number is the first, one past the end the last.
    page_obj = Paginator(mandates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mandates/mandate_list.html",
        {
            "page_obj": page_obj,
            "mandates": page_obj.object_list,
            "status": status,
            "statuses": Status.choices,
            "beneficiary": beneficiary,
        },
    )


@login_required
def mandate_summary(request):
    require(perms.can_view_summary(request.user))
    return render(request, "mandates/mandate_summary.html", queries.mandate_counts())


@login_required
@never_cache
def mandate_create(request, beneficiary_pk: int):
    require(perms.can_create_mandate(request.user))
    beneficiary = get_object_or_404(Beneficiary, pk=beneficiary_pk)
    renews = None
    if renews_pk := parse_id(request.GET.get("renouvelle")):
        renews = get_object_or_404(Mandate, pk=renews_pk, beneficiary=beneficiary)
    initial = services.mandate_renewal_data(renews) if renews else None
    form = MandateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = services.mandate_create(
                beneficiary=beneficiary,
                advisor=request.user.advisor,
                user=request.user,
                data=form.data_for_service(),
                renews=renews,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                "Le mandat est enregistré : imprimez-le pour la signature des deux parties.",
            )
            return redirect(mandate)
    return render(
        request,
        "mandates/mandate_form.html",
        {"form": form, "beneficiary": beneficiary, "renews": renews},
    )


@login_required
@never_cache
def mandate_detail(request, pk: int):
    mandate = _get(request, pk)
    journal_personal_data_access(request, mandate, "mandat")
    can_see_versions = perms.can_view_scan_versions(request.user, mandate)
    return render(
        request,
        "mandates/mandate_detail.html",
        {
            "mandate": mandate,
            "actions": mandate.actions.select_related("advisor__user"),
            "can_act": perms.can_act_under(request.user, mandate) and mandate.is_active,
            "action_form": ActionForm(mandate=mandate),
            "can_upload_scan": perms.can_upload_scan(request.user, mandate) and mandate.is_active,
            "scan_warning": services.scan_warning(mandate) if mandate.is_active else "",
            "can_renew": perms.can_create_mandate(request.user) and not mandate.revoked_at,
            "family_form": FamilyRevocationForm(mandate=mandate)
            if mandate.is_active and perms.can_revoke(request.user, mandate)
            else None,
            "scan_form": ScanForm(),
            "scan_versions": queries.earlier_scans(mandate) if can_see_versions else None,
        },
    )


@login_required
def mandate_pdf(request, pk: int):
    mandate = _get(request, pk)
    journal_personal_data_access(request, mandate, "mandat imprimable (PDF)", export=True)
    return _pdf(documents.render_mandate_pdf(mandate), f"mandat-{mandate.pk}.pdf")


@login_required
@require_POST
def mandate_action_create(request, pk: int):
    mandate = _get(request, pk)
    require(perms.can_act_under(request.user, mandate))
    form = ActionForm(request.POST, mandate=mandate)
    if form.is_valid():
        try:
            services.mandate_record_action(
                mandate=mandate, user=request.user, **form.data_for_service()
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "L'action est inscrite au journal.")
            if warning := services.scan_warning(mandate):
                messages.warning(request, warning)
    else:
        messages.error(request, "Choisissez la démarche et l'action.")
    return redirect(mandate)


@login_required
@require_POST
def mandate_complete_view(request, pk: int):
    mandate = _get(request, pk)
    require(perms.can_act_under(request.user, mandate))
    try:
        services.mandate_complete(mandate=mandate, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "La démarche est aboutie : le mandat a pris fin.")
    return redirect(mandate)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def mandate_revoke_view(request, pk: int):
    mandate = _get(request, pk)
    require(perms.can_revoke(request.user, mandate))
    form = RevocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_revoke(
                mandate=mandate, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, "Le mandat est retiré, avec effet immédiat. Imprimez le reçu de retrait."
            )
            return redirect(mandate)
    return render(request, "mandates/mandate_revoke.html", {"mandate": mandate, "form": form})


@login_required
@require_POST
def mandate_revoke_family_view(request, pk: int):
    mandate = _get(request, pk)
    require(perms.can_revoke(request.user, mandate))
    form = FamilyRevocationForm(request.POST, mandate=mandate)
    if not form.is_valid():
        messages.error(request, "Choisissez une famille de démarches que couvre encore le mandat.")
        return redirect(mandate)
    family = form.cleaned_data["family"]
    try:
        services.mandate_revoke_family(mandate=mandate, user=request.user, family=family)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"La famille « {mandate.get_family_label(family)} » est retirée du mandat, avec "
            "effet immédiat ; le reste du mandat est inchangé.",
        )
    return redirect(mandate)


@login_required
def revocation_receipt(request, pk: int):
    mandate = _get(request, pk)
    if not mandate.revoked_at:
        raise Http404("Ce mandat n'est pas retiré.")
    journal_personal_data_access(request, mandate, "reçu de retrait (PDF)", export=True)
    return _pdf(
        documents.render_revocation_receipt_pdf(mandate), f"recu-retrait-mandat-{mandate.pk}.pdf"
    )


@login_required
@require_POST
def scan_upload(request, pk: int):
    mandate = _get(request, pk)
    require(perms.can_upload_scan(request.user, mandate))
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            scan = services.mandate_attach_scan(
                mandate=mandate, user=request.user, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if scan.version > 1:
                messages.success(
                    request,
                    "Le mandat signé est remplacé ; la version précédente reste conservée.",
                )
            else:
                messages.success(request, "Le mandat signé est déposé.")
    else:
        messages.error(request, "Choisissez le fichier du mandat signé.")
    return redirect(mandate)


def _serve_scan(request, mandate: Mandate, scan: MandateScan, what: str):
    try:
        handle = scan_open(scan.file.name)
    except FileNotFoundError:
        raise Http404("Fichier introuvable.") from None
    journal_personal_data_access(request, mandate, what, export=True)
    response = FileResponse(
        handle,
        content_type=scan.content_type,
        as_attachment=False,
        filename=f"mandat-signe-{mandate.pk}-v{scan.version}.{scan.extension}",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def scan_download(request, pk: int):
    """The current version of the signed scan."""
    mandate = _get(request, pk)
    require(perms.can_view_scan(request.user, mandate))
    if mandate.current_scan is None:
        raise Http404("Aucun mandat signé déposé.")
    return _serve_scan(request, mandate, mandate.current_scan, "mandat signé numérisé")


@login_required
def scan_version_download(request, pk: int, version: int):
    """Any version by its number: a replaced one only for whoever may act under the mandate."""
    mandate = _get(request, pk)
    scan = get_object_or_404(MandateScan, mandate=mandate, version=version)
    if scan.pk == mandate.current_scan_id:
        require(perms.can_view_scan(request.user, mandate))
    else:
        require(perms.can_view_scan_versions(request.user, mandate))
    return _serve_scan(request, mandate, scan, f"mandat signé numérisé (version {scan.version})")
