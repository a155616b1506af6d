"""Coordinator actions on agreements: drafts, signatures, Art. 6–8 events, amendments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.models import Organisation
from relais.core.validators import error_text

from .. import queries, services
from ..enums import AgreementStatus
from ..forms import (
    AgreementForm,
    AmendmentForm,
    AmendmentLineForm,
    AmendmentSignForm,
    CommitmentForm,
    DateForm,
    OppositionForm,
    SignatoryForm,
    TerminationForm,
)
from ..models import Amendment, Commitment, Signatory
from .actions import action_page, attempt, manager_required, post_action, submitted


@manager_required
def agreement_create(request):
    department = Organisation.objects.departments().first()
    if department is None:
        messages.error(request, "Enregistrez d'abord le Département (administration).")
        return redirect("agreements:list")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partner = data.pop("partner")
        title = data.pop("title")
        created = {}
        if attempt(
            request,
            form,
            lambda: created.setdefault(
                "agreement",
                services.agreement_create_draft(
                    department=department, partner=partner, title=title, **data
                ),
            ),
            "Brouillon de convention créé.",
        ):
            return redirect(created["agreement"])
    return action_page(request, None, form, "Nouvelle convention", "Créer le brouillon")


@manager_required
def agreement_edit(request, agreement):
    if agreement.timeline().status != AgreementStatus.DRAFT:
        messages.info(
            request,
            "Cette convention n'est plus un brouillon : ses engagements "
            "ne changent que par avenant (art. 8.2).",
        )
        return redirect("agreements:amendment_prepare", pk=agreement.pk)
    # The form already applies the values to the instance; the service re-validates.
    return _handle(
        request,
        agreement,
        AgreementForm(request.POST or None, instance=agreement),
        lambda data: services.agreement_update_draft(agreement=agreement, **data),
        success="Convention enregistrée.",
        title="Modifier le brouillon",
        submit="Enregistrer",
    )


def _handle(request, agreement, form, action, *, success, title, submit, intro=""):
    """The shape of every one-form action: a valid POST runs ``action(cleaned_data)``."""
    if submitted(request, form, action, success):
        return redirect(agreement)
    return action_page(request, agreement, form, title, submit, intro)


def _today_form(request, form_class=DateForm):
    return form_class(request.POST or None, initial={"on": timezone.localdate()})


@manager_required
def commitment_add(request, agreement):
    return _handle(
        request,
        agreement,
        CommitmentForm(request.POST or None, partner=agreement.partner),
        lambda data: services.commitment_add(agreement=agreement, **data),
        success="Engagement ajouté.",
        title="Ajouter un engagement",
        submit="Ajouter",
        intro="Une ligne du tableau de l'article 1.2 : lieu, durée, fréquence.",
    )


@manager_required
@require_POST
def commitment_remove(request, agreement, commitment_pk: int):
    commitment = get_object_or_404(Commitment, pk=commitment_pk, agreement=agreement)
    return post_action(
        request,
        lambda: services.commitment_remove(commitment=commitment),
        "Engagement retiré.",
        then=agreement,
    )


@manager_required
def signatory_add(request, agreement):
    return _handle(
        request,
        agreement,
        SignatoryForm(request.POST or None),
        lambda data: services.signatory_add(agreement=agreement, **data),
        success="Signataire ajouté.",
        title="Ajouter un signataire",
        submit="Ajouter",
    )


@manager_required
def send_for_signature(request, agreement):
    return _handle(
        request,
        agreement,
        _today_form(request),
        lambda data: services.agreement_send_for_signature(agreement=agreement, on=data["on"]),
        success="Convention envoyée à la signature : le texte est figé.",
        title="Envoyer à la signature",
        submit="Envoyer",
        intro="Après l'envoi, le texte n'est plus modifiable ; seules les dates de signature "
        "sont enregistrées.",
    )


@manager_required
def signature_record(request, agreement, signatory_pk: int):
    signatory = get_object_or_404(Signatory, pk=signatory_pk, agreement=agreement)
    return _handle(
        request,
        agreement,
        _today_form(request),
        lambda data: services.signature_record(signatory=signatory, signed_on=data["on"]),
        success=f"Signature de {signatory.name} enregistrée.",
        title=f"Signature de {signatory.name}",
        submit="Enregistrer la signature",
        intro=signatory.title,
    )


@manager_required
def opposition_record(request, agreement):
    timeline = agreement.timeline()
    intro = ""
    if timeline.opposition_deadline:
        intro = (
            f"Pour empêcher la reconduction du {timeline.next_anniversary:%d/%m/%Y}, "
            f"l'opposition doit être exprimée au plus tard le "
            f"{timeline.opposition_deadline:%d/%m/%Y}."
        )
    return _handle(
        request,
        agreement,
        _today_form(request, OppositionForm),
        lambda data: services.agreement_record_opposition(agreement=agreement, **data),
        success="Opposition enregistrée.",
        title="Opposition à la reconduction tacite",
        submit="Enregistrer l'opposition",
        intro=intro,
    )


@manager_required
def termination_record(request, agreement):
    return _handle(
        request,
        agreement,
        TerminationForm(request.POST or None),
        lambda data: services.agreement_record_termination(agreement=agreement, **data),
        success="Résiliation enregistrée.",
        title="Résiliation (art. 7)",
        submit="Enregistrer la résiliation",
        intro=f"Pour faute : effet {agreement.notice_days} jours après réception de la mise en "
        f"demeure restée infructueuse. Force majeure : {agreement.force_majeure_notice_days} jours "
        "après "
        "notification. Dissolution du bénéficiaire : immédiate.",
    )


@manager_required
def remedy_record(request, agreement):
    return _handle(
        request,
        agreement,
        _today_form(request),
        lambda data: services.agreement_record_remedy(agreement=agreement, on=data["on"]),
        success="Régularisation enregistrée : la résiliation pour faute n'a pas lieu.",
        title="Manquement réparé",
        submit="Enregistrer",
    )


AmendmentLineFormSet = formset_factory(AmendmentLineForm, extra=2)


@manager_required
def amendment_prepare(request, agreement):
    """The new Art. 1.2 table, prefilled with the current one."""
    today = timezone.localdate()
    current = queries.commitments_valid_on(agreement, today)
    initial = [
        {
            "place": c.place_id,
            "count": c.count,
            "unit": c.unit,
            "frequency": c.frequency,
            "modality": c.modality,
        }
        for c in current
    ]
    form = AmendmentForm(request.POST or None, initial={"dated_on": today, "effective_from": today})
    formset = AmendmentLineFormSet(
        request.POST or None,
        initial=initial,
        prefix="lignes",
        form_kwargs={"partner": agreement.partner},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            services.CommitmentSpec(
                **{
                    k: f.cleaned_data[k]
                    for k in ("place", "count", "unit", "frequency", "modality")
                }
            )
            for f in formset.forms
            if f.cleaned_data.get("place")
        ]
        if attempt(
            request,
            form,
            lambda: services.amendment_prepare(
                agreement=agreement, commitments=lines, **form.cleaned_data
            ),
            "Avenant préparé : il s'appliquera une fois signé par les deux parties.",
        ):
            return redirect(agreement)
    return render(
        request,
        "agreements/amendment_form.html",
        {"agreement": agreement, "form": form, "formset": formset},
    )


@manager_required
def amendment_sign(request, agreement, amendment_pk: int):
    amendment = get_object_or_404(Amendment, pk=amendment_pk, agreement=agreement)
    return _handle(
        request,
        agreement,
        _today_form(request, AmendmentSignForm),
        lambda data: services.amendment_sign(
            amendment=amendment, party=data["party"], on=data["on"]
        ),
        success="Signature de l'avenant enregistrée.",
        title=f"Signer l'avenant n° {amendment.number}",
        submit="Enregistrer la signature",
        intro=amendment.subject,
    )


@manager_required
@require_POST
def amendment_withdraw(request, agreement, amendment_pk: int):
    amendment = get_object_or_404(Amendment, pk=amendment_pk, agreement=agreement)
    return post_action(
        request,
        lambda: services.amendment_withdraw(amendment=amendment),
        "Avenant retiré.",
        then=agreement,
    )


@manager_required
@require_POST
def successor_start(request, agreement):
    try:
        successor = services.agreement_start_successor(agreement=agreement)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(agreement)
    messages.success(request, "Convention suivante créée en brouillon, à partir de celle-ci.")
    return redirect(successor)
