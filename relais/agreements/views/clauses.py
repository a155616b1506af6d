"""Art. 3.3, 4.1, 4.2 and 5: the agreement's contacts, insurance certificates and communication
requests (coordinator screens, and the partner's for its communication)."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.core.perms import require

from .. import perms, queries, services
from ..enums import PartyRole
from ..forms import (
    CommunicationDecisionForm,
    CommunicationRequestForm,
    CommunicationResubmitForm,
    ContactForm,
    InsuranceCertificateForm,
)
from ..models import AgreementContact, CommunicationRequest, InsuranceCertificate
from .actions import action_page, manager_required, post_action, submitted
from .documents import private_file

MISSING_FILE = "Le fichier est introuvable."


# --- Art. 4.2 ---------------------------------------------------------------------------------


@manager_required
def insurance_add(request, agreement):
    form = InsuranceCertificateForm(request.POST or None, request.FILES or None)
    if submitted(
        request,
        form,
        lambda data: services.insurance_certificate_add(agreement=agreement, **data),
        "Attestation d'assurance enregistrée.",
    ):
        return redirect(agreement)
    return action_page(
        request,
        agreement,
        form,
        "Attestation d'assurance du bénéficiaire",
        "Enregistrer",
        "Art. 4.2 : le bénéficiaire est assuré en responsabilité civile pendant toute la durée "
        "de la convention. Une alerte précède la fin de validité.",
        multipart=True,
    )


@login_required
def insurance_file(request, pk: int, certificate_pk: int):
    certificate = get_object_or_404(
        InsuranceCertificate.objects.select_related("agreement"), agreement_id=pk, pk=certificate_pk
    )
    require(perms.can_view_agreement(request.user, certificate.agreement))
    if not certificate.file:
        raise Http404("Aucun fichier pour cette attestation.")
    return private_file(
        certificate.file, PurePath(certificate.file.name).name, missing=MISSING_FILE
    )


# --- Art. 3.3, 3.4, 4.1 -----------------------------------------------------------------------


@manager_required
def contact_edit(request, agreement, contact_pk: int | None = None):
    contact = None
    if contact_pk is not None:
        contact = get_object_or_404(AgreementContact, pk=contact_pk, agreement=agreement)
    form = ContactForm(request.POST or None, instance=contact)
    if submitted(
        request,
        form,
        lambda data: services.contact_save(agreement=agreement, contact=contact, **data),
        "Contact enregistré.",
    ):
        return redirect(f"{agreement.get_absolute_url()}#contacts")
    title = "Modifier un contact" if contact else "Ajouter un contact"
    return action_page(
        request,
        agreement,
        form,
        title,
        "Enregistrer",
        "Art. 3.3 : l'équipe technique départementale dédiée et les contacts réguliers avec le "
        "bénéficiaire ; art. 4.1 : les responsables éditoriaux des publications de chaque partie.",
    )


@manager_required
@require_POST
def contact_delete(request, agreement, contact_pk: int):
    contact = get_object_or_404(AgreementContact, pk=contact_pk, agreement=agreement)
    services.contact_delete(contact=contact)
    messages.success(request, "Contact supprimé.")
    return redirect(f"{agreement.get_absolute_url()}#contacts")


# --- Art. 5 -----------------------------------------------------------------------------------


@login_required
def communication_list(request):
    """Requests awaiting the viewer's decision first, then the others (coordinators: all;
    partner staff: their structure's)."""
    require(perms.can_view_agreements(request.user))
    to_decide = queries.communication_requests_to_decide(request.user)
    others = [
        r for r in queries.communication_requests_visible_to(request.user) if r not in to_decide
    ]
    return render(
        request,
        "agreements/communication_list.html",
        {"to_decide": to_decide, "others": others},
    )


@login_required
def communication_create(request, pk: int):
    agreement = queries.agreement_for(pk)
    require(perms.can_request_communication(request.user, agreement))
    is_manager = perms.can_manage_agreement(request.user, agreement)
    form = CommunicationRequestForm(
        request.POST or None,
        request.FILES or None,
        requested_by_choices=PartyRole.choices if is_manager else None,
    )
    created = {}
    if submitted(
        request,
        form,
        lambda data: created.setdefault(
            "request",
            services.communication_request_submit(
                agreement=agreement,
                user=request.user,
                **{"requested_by": PartyRole.PARTNER, **data},
            ),
        ),
        "Demande d'autorisation déposée.",
    ):
        return redirect(created["request"])
    return action_page(
        request,
        agreement,
        form,
        "Demander l'autorisation de communiquer",
        "Déposer la demande",
        "Art. 5 : toute communication externe sur la convention est autorisée au préalable par "
        "l'autre partie. Sur les supports du bénéficiaire figurent la mention du soutien du "
        "Département et son logo.",
        multipart=True,
    )


def _communication(request, pk: int, request_pk: int) -> CommunicationRequest:
    item = get_object_or_404(
        CommunicationRequest.objects.select_related("agreement__partner"),
        agreement_id=pk,
        pk=request_pk,
    )
    require(perms.can_view_agreement(request.user, item.agreement))
    return item


@login_required
def communication_detail(request, pk: int, request_pk: int):
    item = _communication(request, pk, request_pk)
    can_decide = item.is_open and perms.can_decide_communication(request.user, item)
    can_follow_up = item.is_open and perms.can_follow_up_communication(request.user, item)
    decision_form = resubmit_form = None
    if can_decide:
        decision_form = CommunicationDecisionForm(
            request.POST if request.POST.get("step") == "decide" else None
        )
        if submitted(
            request,
            decision_form,
            lambda data: services.communication_request_decide(
                request=item, user=request.user, **data
            ),
            "Décision enregistrée.",
        ):
            return redirect(item)
    if can_follow_up and item.status == "changes_requested":
        resubmit_form = CommunicationResubmitForm(
            request.POST if request.POST.get("step") == "resubmit" else None,
            request.FILES or None,
            initial={
                "planned_on": item.planned_on,
                "shows_mention": item.shows_mention,
                "shows_logo": item.shows_logo,
            },
        )
        if submitted(
            request,
            resubmit_form,
            lambda data: services.communication_request_resubmit(
                request=item, user=request.user, **data
            ),
            "Demande déposée de nouveau.",
        ):
            return redirect(item)
    context = {
        "item": item,
        "agreement": item.agreement,
        "events": item.events.all(),
        "decision_form": decision_form,
        "resubmit_form": resubmit_form,
        "can_withdraw": can_follow_up,
    }
    return render(request, "agreements/communication_detail.html", context)


@login_required
@require_POST
def communication_withdraw(request, pk: int, request_pk: int):
    item = _communication(request, pk, request_pk)
    require(perms.can_follow_up_communication(request.user, item))
    return post_action(
        request,
        lambda: services.communication_request_withdraw(request=item, user=request.user),
        "Demande retirée.",
        then=item,
    )


@login_required
def communication_file(request, pk: int, request_pk: int):
    item = _communication(request, pk, request_pk)
    if not item.attachment:
        raise Http404("Aucune maquette pour cette demande.")
    return private_file(
        item.attachment,
        item.attachment_name or PurePath(item.attachment.name).name,
        missing=MISSING_FILE,
    )
