"""Agreement writes: drafts, signatures, opposition, termination, amendments, successors.

The rules of Art. 6–8: only a draft is edited directly; once sent for signature, the text is
fixed and any change to the commitments goes through a signed amendment (Art. 8.2).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from relais.accounts.queries import coordinator_emails, partner_staff_emails
from relais.core import french
from relais.core.models import Organisation
from relais.core.site import site_url
from relais.core.uploads import document_check
from relais.core.writes import insert_or_get
from relais.messaging.outbox import outbox_email

from .enums import (
    AgreementStatus,
    CommunicationDecision,
    CommunicationStatus,
    PartyRole,
    TerminationKind,
)
from .models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Amendment,
    AmendmentArticle,
    Annex,
    Commitment,
    CommunicationEvent,
    CommunicationRequest,
    InsuranceCertificate,
    Signatory,
)
from .queries import commitments_valid_on


def _today() -> date:
    return timezone.localdate()


def _require_status(agreement: Agreement, *allowed: str, message: str) -> None:
    if agreement.timeline().status not in allowed:
        raise ValidationError(message)


def _not_in_future(day: date, label: str) -> None:
    if day > _today():
        raise ValidationError(f"La date de {label} ne peut pas être dans le futur.")


@transaction.atomic
def agreement_create_draft(
    *, department: Organisation, partner: Organisation, title: str, **fields
) -> Agreement:
    """Create a draft agreement with its two parties, snapshotted from the organisations."""
    agreement = Agreement(department=department, partner=partner, title=title, **fields)
    agreement.full_clean()
    agreement.save()
    for role, organisation in ((PartyRole.DEPARTMENT, department), (PartyRole.PARTNER, partner)):
        party = AgreementParty(
            agreement=agreement,
            role=role,
            organisation=organisation,
            representative_name=organisation.representative_name,
            representative_title=organisation.representative_title,
            address=organisation.postal_address,
        )
        party.full_clean()
        party.save()
    return agreement


def agreement_update_draft(*, agreement: Agreement, **fields) -> Agreement:
    """Change a draft's clauses; refused once the agreement left the draft stage."""
    _require_status(
        agreement,
        AgreementStatus.DRAFT,
        message="Cette convention n'est plus un brouillon : préparez un avenant pour la modifier.",
    )
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    return agreement


COMMITMENTS_FROZEN = "Les engagements d'une convention signée ne changent que par avenant."


def _draft_line_add(lines, *, agreement: Agreement, frozen: str, **fields):
    """Append a line to one of a draft's numbered lists (commitments, signatories)."""
    _require_status(agreement, AgreementStatus.DRAFT, message=frozen)
    line = lines.model(agreement=agreement, position=lines.count(), **fields)
    line.full_clean()
    line.save()
    return line


def commitment_add(
    *, agreement: Agreement, place, count: int, unit: str, frequency: str, modality: str
) -> Commitment:
    """Add a line to a draft's Art. 1.2 table."""
    return _draft_line_add(
        agreement.commitments,
        agreement=agreement,
        frozen=COMMITMENTS_FROZEN,
        place=place,
        count=count,
        unit=unit,
        frequency=frequency,
        modality=modality,
    )


def commitment_remove(*, commitment: Commitment) -> None:
    _require_status(commitment.agreement, AgreementStatus.DRAFT, message=COMMITMENTS_FROZEN)
    commitment.delete()


def signatory_add(
    *, agreement: Agreement, name: str, title: str, organisation=None, commune=None
) -> Signatory:
    """Add a signatory to a draft (the presidents, and e.g. the mayors of host communes)."""
    return _draft_line_add(
        agreement.signatories,
        agreement=agreement,
        frozen="La liste des signataires est figée une fois la convention envoyée.",
        name=name,
        title=title,
        organisation=organisation,
        commune=commune,
    )


def agreement_send_for_signature(*, agreement: Agreement, on: date) -> Agreement:
    """Freeze the draft and circulate it: from now on it can only be signed or amended."""
    _require_status(
        agreement,
        AgreementStatus.DRAFT,
        message="Cette convention a déjà été envoyée à la signature.",
    )
    errors = []
    if not agreement.signatories.exists():
        errors.append("Ajoutez au moins les signataires des deux parties.")
    if not agreement.commitments.exists():
        errors.append("Ajoutez au moins un engagement (tableau de l'article 1.2).")
    if errors:
        raise ValidationError(errors)
    _not_in_future(on, "l'envoi")
    agreement.sent_for_signature_on = on
    agreement.full_clean()
    agreement.save(update_fields=["sent_for_signature_on", "updated_at"])
    return agreement


def signature_record(*, signatory: Signatory, signed_on: date) -> Signatory:
    """Record a signature; the agreement enters into force with the last one (Art. 6)."""
    agreement = signatory.agreement
    if agreement.sent_for_signature_on is None:
        raise ValidationError("Envoyez d'abord la convention à la signature.")
    _not_in_future(signed_on, "signature")
    if signed_on < agreement.sent_for_signature_on:
        raise ValidationError("Une signature ne peut pas précéder l'envoi à la signature.")
    signatory.signed_on = signed_on
    signatory.full_clean()
    signatory.save(update_fields=["signed_on"])
    return signatory


def agreement_record_opposition(*, agreement: Agreement, by: str, on: date) -> Agreement:
    """A party opposes the tacit renewal; it takes effect at the first anniversary in time."""
    _require_status(
        agreement,
        AgreementStatus.IN_FORCE,
        message="Seule une convention en vigueur peut faire l'objet d'une opposition.",
    )
    if not agreement.tacit_renewal:
        raise ValidationError("Cette convention n'est pas reconduite tacitement.")
    if by not in PartyRole.values:
        raise ValidationError("Indiquez la partie qui s'oppose à la reconduction.")
    _not_in_future(on, "l'opposition")
    agreement.opposed_on, agreement.opposed_by = on, by
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_record_termination(
    *,
    agreement: Agreement,
    kind: str,
    initiated_by: str,
    notice_sent_on: date | None = None,
    notice_received_on: date | None = None,
    notified_on: date | None = None,
    dissolved_on: date | None = None,
) -> Agreement:
    """Record a termination under Art. 7 with the dates its effect is computed from."""
    _require_status(
        agreement,
        AgreementStatus.IN_FORCE,
        message="Seule une convention en vigueur peut être résiliée.",
    )
    required = {
        TerminationKind.FAULT: (notice_received_on, "la date de réception de la mise en demeure"),
        TerminationKind.FORCE_MAJEURE: (notified_on, "la date de notification"),
        TerminationKind.DISSOLUTION: (dissolved_on, "la date de dissolution"),
    }
    if kind not in required:
        raise ValidationError("Type de résiliation inconnu.")
    value, label = required[kind]
    if value is None:
        raise ValidationError(f"Indiquez {label}.")
    for day, what in ((notice_sent_on, "l'envoi"), (value, "l'événement")):
        if day:
            _not_in_future(day, what)
    agreement.termination_kind = kind
    agreement.termination_initiated_by = initiated_by
    agreement.notice_sent_on = notice_sent_on
    agreement.notice_received_on = notice_received_on
    agreement.notified_on = notified_on
    agreement.dissolved_on = dissolved_on
    agreement.remedied_on = None
    agreement.full_clean()
    agreement.save()
    return agreement


def agreement_record_remedy(*, agreement: Agreement, on: date) -> Agreement:
    """The defaulting party remedied the breach within the notice: no termination."""
    if agreement.termination_kind != TerminationKind.FAULT or not agreement.notice_received_on:
        raise ValidationError("Aucune mise en demeure n'est en cours.")
    if on < agreement.notice_received_on:
        raise ValidationError("La régularisation ne peut pas précéder la mise en demeure.")
    _not_in_future(on, "régularisation")
    agreement.remedied_on = on
    agreement.save(update_fields=["remedied_on", "updated_at"])
    return agreement


@dataclass(frozen=True)
class CommitmentSpec:
    place: object
    count: int
    unit: str
    frequency: str
    modality: str


@transaction.atomic
def amendment_prepare(
    *,
    agreement: Agreement,
    subject: str,
    dated_on: date,
    effective_from: date,
    commitments: list[CommitmentSpec],
    text: str = "",
    article: str = "",
    article_text: str = "",
) -> Amendment:
    """Prepare an avenant that replaces the Art. 1.2 table from ``effective_from``.

    The new table is stored at once, linked to the amendment, and the lines it replaces are
    marked; nothing changes for readers until both parties have signed (see ``valid_on``).
    """
    _require_status(
        agreement,
        AgreementStatus.IN_FORCE,
        message="Un avenant ne se prépare que pour une convention en vigueur.",
    )
    if (
        agreement.amendments.filter(department_signed_on__isnull=True).exists()
        or agreement.amendments.filter(partner_signed_on__isnull=True).exists()
    ):
        raise ValidationError("Un avenant attend déjà ses signatures : signez-le ou retirez-le.")
    timeline = agreement.timeline()
    if effective_from < timeline.start or (
        timeline.end_date and effective_from > timeline.end_date
    ):
        raise ValidationError("La date d'effet doit tomber pendant la période de validité.")
    if not commitments:
        raise ValidationError("Un avenant doit indiquer le nouveau tableau des engagements.")
    amendment = Amendment(
        agreement=agreement,
        number=agreement.amendments.count() + 1,
        subject=subject,
        dated_on=dated_on,
        effective_from=effective_from,
        text=text,
    )
    amendment.full_clean()
    # A double submit: the other request took this number first, with its whole new table (an
    # amendment not signed yet: a signed one with this number would be another problem).
    amendment, inserted = insert_or_get(
        amendment,
        agreement=agreement,
        number=amendment.number,
        department_signed_on__isnull=True,
        partner_signed_on__isnull=True,
    )
    if not inserted:
        return amendment
    if article.strip() and article_text.strip():
        # The article's new wording, for the consolidated version (consolidation.py).
        reworded = AmendmentArticle(
            amendment=amendment, article=article.strip(), text=article_text.strip()
        )
        reworded.full_clean()
        reworded.save()
    for commitment in commitments_valid_on(agreement, effective_from):
        commitment.ended_by = amendment
        commitment.save(update_fields=["ended_by"])
    for position, spec in enumerate(commitments):
        line = Commitment(
            agreement=agreement,
            place=spec.place,
            count=spec.count,
            unit=spec.unit,
            frequency=spec.frequency,
            modality=spec.modality,
            position=position,
            introduced_by=amendment,
        )
        line.full_clean()
        line.save()
    return amendment


def amendment_sign(*, amendment: Amendment, party: str, on: date) -> Amendment:
    """Record one party's signature of an amendment; it applies once both have signed."""
    _not_in_future(on, "signature")
    if on < amendment.dated_on:
        raise ValidationError("Un avenant ne peut pas être signé avant sa date.")
    field = {
        PartyRole.DEPARTMENT: "department_signed_on",
        PartyRole.PARTNER: "partner_signed_on",
    }.get(party)
    if field is None:
        raise ValidationError("Partie inconnue.")
    setattr(amendment, field, on)
    amendment.full_clean()
    amendment.save(update_fields=[field, "updated_at"])
    return amendment


@transaction.atomic
def amendment_withdraw(*, amendment: Amendment) -> None:
    """Drop an amendment that is not fully signed, restoring the lines it would replace."""
    if amendment.is_signed:
        raise ValidationError("Un avenant signé par les deux parties ne peut plus être retiré.")
    amendment.ended_commitments.update(ended_by=None)
    amendment.delete()


def _successor_text(text: str, old_title: str, new_title: str) -> str:
    """The previous text, with the new title in place of the old one where it is written
    on one line (the rest is for the coordinator to edit)."""
    return text.replace(old_title, new_title) if old_title != new_title else text


# What a successor copies from its predecessor, row by row (dates, signatures and
# deliberations are its own).
SUCCESSOR_FIELDS = (
    "department", "partner", "signed_at", "original_copies", "duration_months", "tacit_renewal",
    "opposition_notice_months", "notice_days", "force_majeure_notice_days", "day_hours",
    "half_day_hours", "communication_mention", "jurisdiction",
)  # fmt: skip
PARTY_FIELDS = ("role", "organisation", "representative_name", "representative_title",
                "address", "deliberation_body")  # fmt: skip
SIGNATORY_FIELDS = ("name", "title", "organisation", "commune", "position")
COMMITMENT_FIELDS = ("place", "count", "unit", "frequency", "modality")
ANNEX_FIELDS = ("number", "title", "description")


def _copied(source, fields: tuple[str, ...]) -> dict:
    return {name: getattr(source, name) for name in fields}


@transaction.atomic
def agreement_start_successor(*, agreement: Agreement, title: str | None = None) -> Agreement:
    """Start the next agreement as a draft copy: parties, signatories, current commitments.

    Dates, signatures and the authorising deliberations are not copied: the successor needs
    its own. Two submits at the same instant (a double click) create one successor: the second
    returns the first one's.
    """
    if hasattr(agreement, "successor"):
        raise ValidationError("Une convention suivante existe déjà.")
    timeline = agreement.timeline()
    reference_day = min(timeline.end_date or _today(), _today())
    successor = Agreement(
        **_copied(agreement, SUCCESSOR_FIELDS),
        title=title or agreement.title,
        predecessor=agreement,
        # The successor starts from the text the parties signed last time; it is edited
        # while draft (the period and dates in its title and Art. 6 change).
        text=_successor_text(agreement.text, agreement.title, title or agreement.title),
    )
    successor.full_clean()
    # Another request may have created it since our check (``predecessor`` is unique): it
    # copied everything in its own transaction, so its successor is complete.
    successor, inserted = insert_or_get(successor, predecessor=agreement)
    if not inserted:
        return successor
    for party in agreement.parties.all():
        AgreementParty.objects.create(agreement=successor, **_copied(party, PARTY_FIELDS))
    for signatory in agreement.signatories.all():
        Signatory.objects.create(agreement=successor, **_copied(signatory, SIGNATORY_FIELDS))
    for position, line in enumerate(commitments_valid_on(agreement, reference_day)):
        Commitment.objects.create(
            agreement=successor, position=position, **_copied(line, COMMITMENT_FIELDS)
        )
    for annex in agreement.annexes.all():
        Annex.objects.create(agreement=successor, **_copied(annex, ANNEX_FIELDS))
    return successor


# --- Art. 4.2: the partner's insurance certificate --------------------------------------------


def _stored_name(uploaded, checked) -> str:
    """A file name that says what it is, whatever the uploader called it."""
    stem = "".join(c for c in (uploaded.name or "fichier").rsplit(".", 1)[0] if c.isalnum())
    return f"{stem[:60] or 'fichier'}{checked.extension}"


@transaction.atomic
def insurance_certificate_add(
    *,
    agreement: Agreement,
    insurer: str,
    policy_number: str,
    valid_from: date,
    valid_until: date,
    file=None,
) -> InsuranceCertificate:
    """Record the partner's civil-liability certificate (Art. 4.2). The file, if any, is checked
    by its content (PDF, JPEG or PNG, 10 Mo at most): a renamed executable is refused."""
    certificate = InsuranceCertificate(
        agreement=agreement,
        insurer=insurer.strip(),
        policy_number=policy_number.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    checked = document_check(file) if file else None
    certificate.full_clean(exclude=["file"])
    if checked:
        certificate.file.save(_stored_name(file, checked), ContentFile(checked.content), save=False)
    certificate.save()
    return certificate


# --- Art. 3.3, 3.4 and 4.1: the named contacts ------------------------------------------------


def contact_save(*, agreement: Agreement, contact: AgreementContact | None = None, **fields):
    """Add or change a contact of the agreement (coordinators; both parties' people)."""
    contact = contact or AgreementContact(agreement=agreement)
    if contact.agreement_id != agreement.pk:
        raise ValidationError("Ce contact appartient à une autre convention.")
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.full_clean()
    contact.save()
    return contact


def contact_delete(*, contact: AgreementContact) -> None:
    contact.delete()


# --- Art. 5: prior authorisation of external communication ------------------------------------


def _actor(user) -> str:
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    organisation = getattr(user, "organisation", None)
    label = name or user.email
    return f"{label} ({organisation})" if organisation else label


def _event(request: CommunicationRequest, user, action: str, comment: str = "") -> None:
    CommunicationEvent.objects.create(
        request=request, actor=_actor(user), action=action, comment=comment
    )


def _party_addresses(agreement: Agreement, party: str) -> list[str]:
    """Who answers for a party: the Département's coordinators, or the partner's staff."""
    if party == PartyRole.DEPARTMENT:
        return coordinator_emails()
    return partner_staff_emails(agreement.partner_id)


def _notify(request: CommunicationRequest, *, party: str, what: str) -> None:
    """An e-mail to the party concerned, committed with the change (the outbox sends it)."""
    agreement = request.agreement
    body = (
        f"{what}\n\n"
        f"Convention : {agreement.title}\n"
        f"Demande : {request.subject} ({request.get_medium_display().lower()}, "
        f"diffusion prévue le {french.short_date(request.planned_on)})\n"
        f"État : {request.get_status_display()}\n"
        + (f"Motif : {request.decision_comment}\n" if request.decision_comment else "")
        + f"\n{site_url(request.get_absolute_url())}\n"
    )
    subject = f"Relais — communication (art. 5) : {what[:1].lower()}{what[1:]}"[:200]
    for address in _party_addresses(agreement, party):
        outbox_email(to=address, subject=subject, body=body, origin="communication_request")


def _communication_request_store(request, user, checked, attachment, *, event: str, notice: str):
    """Validate, keep the checked mock-up, save, log ``event`` and tell the deciding party."""
    request.full_clean(exclude=["attachment"])
    if checked:
        request.attachment_name = (attachment.name or "")[:255]
        request.attachment.save(
            _stored_name(attachment, checked), ContentFile(checked.content), save=False
        )
    request.save()
    _event(request, user, event)
    _notify(request, party=request.decider, what=notice)
    return request


@transaction.atomic
def communication_request_submit(
    *,
    agreement: Agreement,
    user,
    requested_by: str,
    subject: str,
    medium: str,
    channel: str,
    planned_on: date,
    description: str = "",
    shows_mention: bool = False,
    shows_logo: bool = False,
    requester_validated_by: str = "",
    attachment=None,
) -> CommunicationRequest:
    """A party asks the other's prior authorisation to communicate about the agreement.

    Only while the agreement binds the parties (awaiting signatures or in force). The diffusion
    is in the future: an authorisation asked for afterwards is not prior (Art. 5)."""
    _require_status(
        agreement,
        AgreementStatus.AWAITING_SIGNATURES,
        AgreementStatus.IN_FORCE,
        message="Cette convention n'est pas en vigueur : il n'y a pas d'autorisation à demander.",
    )
    today = _today()
    if planned_on < today:
        raise ValidationError(
            "La diffusion prévue est passée : l'autorisation doit être demandée avant (art. 5)."
        )
    request = CommunicationRequest(
        agreement=agreement,
        requested_by=requested_by,
        subject=subject.strip(),
        medium=medium,
        channel=channel.strip(),
        planned_on=planned_on,
        description=description.strip(),
        shows_mention=shows_mention,
        shows_logo=shows_logo,
        requester_validated_by=requester_validated_by.strip(),
        submitted_on=today,
    )
    return _communication_request_store(
        request,
        user,
        document_check(attachment) if attachment else None,
        attachment,
        event="Demande déposée",
        notice="Une demande d'autorisation attend votre décision",
    )


DECISION_EVENTS = {
    CommunicationDecision.APPROVED: "Communication autorisée",
    CommunicationDecision.CHANGES_REQUESTED: "Modifications demandées",
    CommunicationDecision.REFUSED: "Communication refusée",
}


@transaction.atomic
def communication_request_decide(
    *,
    request: CommunicationRequest,
    user,
    decision: str,
    decided_by: str,
    comment: str = "",
) -> CommunicationRequest:
    """The other party answers: authorise, ask for changes, or refuse.

    A refusal or a request for changes says why. A partner's written support is authorised only
    with the Département's mention and logo (Art. 5). The decision comes before the diffusion."""
    request = CommunicationRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError(
            f"Cette demande est déjà {request.get_status_display().lower()} : rien à décider."
        )
    today = _today()
    comment = comment.strip()
    if decision not in CommunicationDecision.values:
        raise ValidationError("Décision inconnue.")
    if decision != CommunicationDecision.APPROVED and not comment:
        raise ValidationError("Indiquez le motif ou les modifications demandées.")
    if decision == CommunicationDecision.APPROVED:
        if request.planned_on < today:
            raise ValidationError(
                "La diffusion prévue est passée : une autorisation ne peut plus être préalable "
                "(art. 5). Demandez une nouvelle date."
            )
        if request.missing_elements:
            raise ValidationError(
                "Le support doit faire figurer "
                + " et ".join(request.missing_elements)
                + " (art. 5) : demandez des modifications."
            )
    request.status = decision
    request.decided_on = today
    request.decided_by = decided_by.strip()
    request.decision_comment = comment
    request.full_clean(exclude=["attachment"])
    request.save()
    _event(request, user, DECISION_EVENTS[decision], comment)
    _notify(request, party=request.requested_by, what=DECISION_EVENTS[decision])
    return request


@transaction.atomic
def communication_request_resubmit(
    *,
    request: CommunicationRequest,
    user,
    planned_on: date,
    shows_mention: bool,
    shows_logo: bool,
    description: str = "",
    attachment=None,
) -> CommunicationRequest:
    """After « modifications demandées »: the corrected support goes back for authorisation."""
    request = CommunicationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CommunicationStatus.CHANGES_REQUESTED:
        raise ValidationError("Seule une demande à modifier peut être déposée de nouveau.")
    if planned_on < _today():
        raise ValidationError(
            "La diffusion prévue est passée : l'autorisation doit être demandée avant (art. 5)."
        )
    checked = document_check(attachment) if attachment else None
    request.planned_on = planned_on
    request.shows_mention = shows_mention
    request.shows_logo = shows_logo
    if description.strip():
        request.description = description.strip()
    request.status = CommunicationStatus.PENDING
    return _communication_request_store(
        request,
        user,
        checked,
        attachment,
        event="Demande modifiée et déposée de nouveau",
        notice="Une demande modifiée attend votre décision",
    )


def communication_request_withdraw(*, request: CommunicationRequest, user) -> None:
    if not request.is_open:
        raise ValidationError("Cette demande n'est plus en cours : elle ne peut pas être retirée.")
    request.status = CommunicationStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    _event(request, user, "Demande retirée")
