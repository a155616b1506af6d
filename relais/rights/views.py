"""Data-subject rights: the register (advisers), its deadlines (coordinators, without names),
and a beneficiary's rights page (export JSON/PDF, rectification, erasure, opposition).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from relais.beneficiaries.models import Beneficiary
from relais.core.forms import add_errors
from relais.core.params import parse_id
from relais.core.perms import require
from relais.privacy.models import RightsKind, RightsRequest, RightsStatus
from relais.privacy.queries import is_objecting

from . import documents, perms, queries, services
from .forms import CloseForm, ExtensionForm, RightsRequestForm


def _beneficiary(request, pk: int) -> Beneficiary:
    require(perms.can_act_on_record(request.user))
    return get_object_or_404(Beneficiary, pk=pk)


def _linked_request(request, beneficiary, kind: str | None = None):
    request_pk = parse_id(request.POST.get("demande") or request.GET.get("demande"))
    if not request_pk:
        return None
    filters = {"pk": request_pk, "beneficiary": beneficiary, "status": RightsStatus.OPEN}
    if kind:
        filters["kind"] = kind
    return RightsRequest.objects.filter(**filters).first()


@login_required
def rights_list(request):
    require(perms.can_handle_rights(request.user))
    show = request.GET.get("etat", "open")
    requests = RightsRequest.objects.select_related("beneficiary", "handled_by")
    if show in RightsStatus.values:
        requests = requests.filter(status=show)
    return render(
        request,
        "rights/rights_list.html",
        {
            "requests": requests.order_by("due_on", "pk")[:200],
            "show": show,
            "statuses": RightsStatus.choices,
            "today": timezone.localdate(),
            "due_soon_days": queries.DUE_SOON_DAYS,
        },
    )


@login_required
def rights_summary(request):
    require(perms.can_view_rights_summary(request.user))
    return render(request, "rights/rights_summary.html", queries.rights_summary())


@login_required
@never_cache
def rights_create(request):
    require(perms.can_handle_rights(request.user))
    beneficiary = None
    if beneficiary_pk := parse_id(request.GET.get("personne")):
        require(perms.can_act_on_record(request.user))
        beneficiary = get_object_or_404(Beneficiary, pk=beneficiary_pk)
    initial = {"received_on": timezone.localdate(), "kind": request.GET.get("droit", "")}
    form = RightsRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.rights_request_create(
                user=request.user, beneficiary=beneficiary, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"Demande enregistrée : réponse due le {created.due_on:%d/%m/%Y}.",
            )
            return redirect("rights:detail", pk=created.pk)
    return render(request, "rights/rights_form.html", {"form": form, "beneficiary": beneficiary})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rights_detail(request, pk: int):
    require(perms.can_handle_rights(request.user))
    rights_request = get_object_or_404(
        RightsRequest.objects.select_related("beneficiary", "handled_by", "created_by"), pk=pk
    )
    extending = request.POST.get("prolonger") == "1"
    form = CloseForm(None if extending else request.POST or None)
    extension_form = ExtensionForm(request.POST if extending else None)
    if extending and extension_form.is_valid():
        try:
            services.rights_request_extend(
                request=rights_request, user=request.user, **extension_form.cleaned_data
            )
        except ValidationError as error:
            add_errors(extension_form, error)
        else:
            messages.success(
                request,
                f"Délai prolongé : réponse due le {rights_request.due_on:%d/%m/%Y}.",
            )
            return redirect("rights:detail", pk=pk)
    if not extending and request.method == "POST" and form.is_valid():
        try:
            services.rights_request_close(
                request=rights_request, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La demande est close.")
            return redirect("rights:detail", pk=pk)
    return render(
        request,
        "rights/rights_detail.html",
        {
            "rights_request": rights_request,
            "form": form,
            "extension_form": extension_form,
            "can_act_on_record": perms.can_act_on_record(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@never_cache
def beneficiary_rights(request, pk: int):
    beneficiary = _beneficiary(request, pk)
    return render(
        request,
        "rights/rights_beneficiary.html",
        {
            "beneficiary": beneficiary,
            "requests": beneficiary.rights_requests.order_by("-received_on", "-pk"),
            "objecting": is_objecting(beneficiary),
            "kinds": RightsKind.choices,
        },
    )


@login_required
def beneficiary_export(request, pk: int, fmt: str):
    beneficiary = _beneficiary(request, pk)
    data = queries.beneficiary_export(beneficiary, viewer=request.user)
    services.journal_export(request.user, beneficiary, fmt, _linked_request(request, beneficiary))
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(queries.export_json(data), content_type="application/json")
        filename = f"donnees-personne-{beneficiary.pk}-{stamp}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = HttpResponse(documents.export_pdf(data), content_type="application/pdf")
        filename = f"donnees-personne-{beneficiary.pk}-{stamp}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def beneficiary_opposition(request, pk: int):
    beneficiary = _beneficiary(request, pk)
    if request.method == "POST":
        if is_objecting(beneficiary):
            messages.warning(request, "L'opposition est déjà enregistrée.")
        else:
            revoked = services.rights_opposition_apply(
                beneficiary=beneficiary,
                user=request.user,
                request=_linked_request(request, beneficiary, RightsKind.OPPOSITION),
            )
            messages.success(
                request, f"Opposition enregistrée ; {revoked} mandat(s) actif(s) retiré(s)."
            )
        return redirect("rights:beneficiary", pk=beneficiary.pk)
    return render(
        request,
        "rights/rights_confirm.html",
        {
            "beneficiary": beneficiary,
            "title": "Opposition au traitement",
            "demande": request.GET.get("demande", ""),
            "effects": [
                "Les mandats actifs de la personne sont retirés immédiatement.",
                "Aucun nouveau mandat ne peut être signé ; la fiche signale l'opposition.",
                "La fiche n'est plus utilisée que pour prouver les démarches passées ; elle est "
                "supprimée à son terme normal, ou tout de suite si la personne demande aussi "
                "l'effacement.",
                "Les statistiques anonymes ne changent pas.",
            ],
            "button": "Enregistrer l'opposition",
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def beneficiary_erasure(request, pk: int):
    beneficiary = _beneficiary(request, pk)
    if request.method == "POST":
        count = services.rights_erasure_apply(
            beneficiary=beneficiary,
            user=request.user,
            request=_linked_request(request, beneficiary, RightsKind.ERASURE),
        )
        messages.success(
            request,
            f"La fiche est effacée ; {count} accompagnement(s) conservé(s) sans nom.",
        )
        return redirect("rights:list")
    return render(
        request,
        "rights/rights_confirm.html",
        {
            "beneficiary": beneficiary,
            "title": "Effacement des données",
            "demande": request.GET.get("demande", ""),
            "effects": [
                "La fiche (nom, coordonnées, année de naissance…) est supprimée définitivement.",
                "Les mandats, leurs actions et les mandats signés numérisés sont détruits.",
                "Les accompagnements restent comptés dans les statistiques, sans nom (genre, "
                "tranche d'âge et statut seulement).",
                "La demande reste au registre, sans le nom, comme preuve de la réponse.",
            ],
            "button": "Effacer définitivement",
        },
    )
