"""Data-subject rights: the register (advisers), its deadlines (coordinators, without names),
and a beneficiary's rights page (export JSON/PDF, rectification, erasure, opposition).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from relais.beneficiaries.models import Beneficiary
from relais.core.forms import DateInput
from relais.core.params import parse_id
from relais.core.validators import validate_plausible_date

from . import rights
from .models import RightsChannel, RightsKind, RightsRequest, RightsStatus


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Droit exercé", choices=[("", "—"), *RightsKind.choices])
    channel = forms.ChoiceField(label="Demande reçue", choices=RightsChannel.choices)
    received_on = forms.DateField(
        label="Reçue le",
        widget=DateInput(),
        validators=[validate_plausible_date],
    )
    requester_label = forms.CharField(
        label="Demandeur (sans fiche)",
        required=False,
        max_length=150,
        help_text="Seulement si la personne n'a pas de fiche ou n'est pas encore identifiée.",
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if problem := rights.received_on_problem(received_on):
            raise forms.ValidationError(problem)
        return received_on


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la prolongation",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Complexité ou nombre des demandes (RGPD, art. 12.3).",
    )
    person_informed_on = forms.DateField(
        label="Personne informée de la prolongation et de ses motifs le",
        widget=DateInput(),
        validators=[validate_plausible_date],
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Issue",
        choices=[
            (RightsStatus.DONE, RightsStatus.DONE.label),
            (RightsStatus.REFUSED, RightsStatus.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label="Réponse apportée",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui a été fait ou, pour un refus, le motif (obligatoire).",
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _beneficiary(request, pk: int) -> Beneficiary:
    _require(rights.can_act_on_record(request.user))
    return get_object_or_404(Beneficiary, pk=pk)


def _linked_request(request, beneficiary, kind: str | None = None):
    request_pk = parse_id(request.POST.get("demande") or request.GET.get("demande"))
    if not request_pk:
        return None
    filters = {"pk": request_pk, "beneficiary": beneficiary, "status": RightsStatus.OPEN}
    if kind:
        filters["kind"] = kind
    return RightsRequest.objects.filter(**filters).first()


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def rights_list(request):
    _require(rights.can_handle_rights(request.user))
    show = request.GET.get("etat", "open")
    requests = RightsRequest.objects.select_related("beneficiary", "handled_by")
    if show in RightsStatus.values:
        requests = requests.filter(status=show)
    return render(
        request,
        "privacy/rights_list.html",
        {
            "requests": requests.order_by("due_on", "pk")[:200],
            "show": show,
            "statuses": RightsStatus.choices,
            "today": timezone.localdate(),
            "due_soon_days": rights.DUE_SOON_DAYS,
        },
    )


@login_required
def rights_summary(request):
    _require(rights.can_view_rights_summary(request.user))
    return render(request, "privacy/rights_summary.html", rights.rights_summary())


@login_required
@never_cache
def rights_create(request):
    _require(rights.can_handle_rights(request.user))
    beneficiary = None
    if beneficiary_pk := parse_id(request.GET.get("personne")):
        _require(rights.can_act_on_record(request.user))
        beneficiary = get_object_or_404(Beneficiary, pk=beneficiary_pk)
    initial = {"received_on": timezone.localdate(), "kind": request.GET.get("droit", "")}
    form = RightsRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = rights.rights_request_create(
                user=request.user, beneficiary=beneficiary, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Demande enregistrée : réponse due le {created.due_on:%d/%m/%Y}.",
            )
            return redirect("privacy:rights_detail", pk=created.pk)
    return render(request, "privacy/rights_form.html", {"form": form, "beneficiary": beneficiary})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rights_detail(request, pk: int):
    _require(rights.can_handle_rights(request.user))
    rights_request = get_object_or_404(
        RightsRequest.objects.select_related("beneficiary", "handled_by", "created_by"), pk=pk
    )
    extending = request.POST.get("prolonger") == "1"
    form = CloseForm(None if extending else request.POST or None)
    extension_form = ExtensionForm(request.POST if extending else None)
    if extending and extension_form.is_valid():
        try:
            rights.rights_request_extend(
                request=rights_request, user=request.user, **extension_form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(extension_form, error)
        else:
            messages.success(
                request,
                f"Délai prolongé : réponse due le {rights_request.due_on:%d/%m/%Y}.",
            )
            return redirect("privacy:rights_detail", pk=pk)
    if not extending and request.method == "POST" and form.is_valid():
        try:
            rights.rights_request_close(
                request=rights_request, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "La demande est close.")
            return redirect("privacy:rights_detail", pk=pk)
    return render(
        request,
        "privacy/rights_detail.html",
        {
            "rights_request": rights_request,
            "form": form,
            "extension_form": extension_form,
            "can_act_on_record": rights.can_act_on_record(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@never_cache
def beneficiary_rights(request, pk: int):
    beneficiary = _beneficiary(request, pk)
    return render(
        request,
        "privacy/rights_beneficiary.html",
        {
            "beneficiary": beneficiary,
            "requests": beneficiary.rights_requests.order_by("-received_on", "-pk"),
            "objecting": rights.is_objecting(beneficiary),
            "kinds": RightsKind.choices,
        },
    )


@login_required
def beneficiary_export(request, pk: int, fmt: str):
    beneficiary = _beneficiary(request, pk)
    data = rights.beneficiary_export(beneficiary, viewer=request.user)
    rights.journal_export(request.user, beneficiary, fmt, _linked_request(request, beneficiary))
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(rights.export_json(data), content_type="application/json")
        filename = f"donnees-personne-{beneficiary.pk}-{stamp}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = HttpResponse(rights.export_pdf(data), content_type="application/pdf")
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
        if rights.is_objecting(beneficiary):
            messages.warning(request, "L'opposition est déjà enregistrée.")
        else:
            revoked = rights.rights_opposition_apply(
                beneficiary=beneficiary,
                user=request.user,
                request=_linked_request(request, beneficiary, RightsKind.OPPOSITION),
            )
            messages.success(
                request, f"Opposition enregistrée ; {revoked} mandat(s) actif(s) retiré(s)."
            )
        return redirect("privacy:beneficiary_rights", pk=beneficiary.pk)
    return render(
        request,
        "privacy/rights_confirm.html",
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
        count = rights.rights_erasure_apply(
            beneficiary=beneficiary,
            user=request.user,
            request=_linked_request(request, beneficiary, RightsKind.ERASURE),
        )
        messages.success(
            request,
            f"La fiche est effacée ; {count} accompagnement(s) conservé(s) sans nom.",
        )
        return redirect("privacy:rights_list")
    return render(
        request,
        "privacy/rights_confirm.html",
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
