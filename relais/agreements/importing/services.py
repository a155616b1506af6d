"""Writing what was found: the partner, its deliberation, the places, the agreement."""

import hashlib
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from relais.core.models import Commune, Organisation
from relais.places.models import Place

from ..enums import AgreementStatus, PartyRole
from ..models import (
    Agreement,
    AgreementParty,
    Commitment,
    Deliberation,
    DeliberationMember,
    DeliberationScheduleRow,
    Signatory,
    SourceDocument,
)
from . import patterns
from .matching import match_result, organisation_kind_for
from .results import ImportResult, MatchStatus, ParsedDeliberation, ParsedParty, ParsedRow
from .text import fold, name_key, sentence_case, squash

logger = logging.getLogger(__name__)

AGREEMENT_CLAUSES = (
    "duration_months",
    "tacit_renewal",
    "opposition_notice_months",
    "hard_end_date",
    "notice_days",
    "force_majeure_notice_days",
    "original_copies",
)


def _commune_named(name: str, department_code: str) -> Commune | None:
    key = name_key(name)
    matches = [
        c for c in Commune.objects.for_department(department_code) if name_key(c.name) == key
    ]
    return matches[0] if len(matches) == 1 else None


def _partner_upsert(party: ParsedParty) -> Organisation:
    """The partner named by the convention: the matched organisation, or a new one.

    An existing organisation only gets its blank fields filled: what it holds may be more
    recent than the document (the document's version is kept on the agreement's party).
    """
    commune = _commune_named(party.city, settings.RELAIS_DEPARTMENT_CODE) if party.city else None
    values = {
        "representative_name": party.representative_name,
        "representative_title": party.representative_title,
        "address": party.street,
        "postal_code": party.postal_code,
        "city": party.city,
        "commune": commune,
    }
    if party.organisation_id:
        organisation = Organisation.objects.get(pk=party.organisation_id)
        changed = False
        for attr, value in values.items():
            if value and not getattr(organisation, attr):
                setattr(organisation, attr, value)
                changed = True
        if changed:
            organisation.full_clean()
            organisation.save()
        return organisation
    organisation = Organisation(name=party.name, kind=organisation_kind_for(party.name), **values)
    organisation.full_clean()
    organisation.save()
    return organisation


def _unique_slug(name: str) -> str:
    base = slugify(name)[:74] or "lieu"
    slug, n = base, 2
    while Place.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _places_for(rows: list[ParsedRow], partner: Organisation) -> dict[int, Place]:
    """The place of each convention row (by line number), creating those "à créer"."""
    places, created = {}, {}
    for row in rows:
        if row.match_status == MatchStatus.MATCHED:
            places[row.line_number] = Place.objects.get(pk=row.place_id)
            continue
        kind = row.kind or patterns.DEFAULT_KIND
        key = (row.commune_id, kind)
        if key not in created:
            commune = Commune.objects.get(pk=row.commune_id)
            name = row.place_to_create
            place = Place(
                name=name,
                slug=_unique_slug(name),
                kind=kind,
                partner=partner,
                commune=commune,
                postal_code=commune.postal_code,
            )
            place.full_clean()
            place.save()
            created[key] = place
        places[row.line_number] = created[key]
    return places


def _deliberation_place(row: ParsedRow, created: list[Place]) -> Place | None:
    if row.match_status == MatchStatus.MATCHED:
        return Place.objects.get(pk=row.place_id)
    if row.match_status == MatchStatus.TO_CREATE:
        # Linked to the place the convention's table just created, if it names the same one.
        for place in created:
            if place.commune_id == row.commune_id and (not row.kind or row.kind == place.kind):
                return place
    return None


def _authority_name(written: str, organisation: Organisation) -> str:
    """The deliberating body's name, properly accented when the organisation's name holds it.

    Extracts are typed in capitals without accents ("COMMUNAUTE DE COMMUNES CONFLENT CANIGÓ");
    the partner's registered name usually contains the same words with their accents
    ("Réseau … de la Communauté de Communes Conflent Canigó"): take them from there.
    """
    if not written:
        return ""
    needle, haystack = fold(squash(written)), fold(organisation.name)
    start = haystack.find(needle)
    if start >= 0:
        return organisation.name[start : start + len(needle)]
    return sentence_case(written)


def _deliberation_upsert(
    parsed: ParsedDeliberation,
    organisation: Organisation,
    rows: list[ParsedRow],
    created_places: list[Place],
) -> Deliberation:
    """Create or refresh the deliberation (organisation + n° d'ordre) with members and table."""
    deliberation = Deliberation.objects.filter(
        organisation=organisation, order_number=parsed.order_number
    ).first() or Deliberation(organisation=organisation, order_number=parsed.order_number)
    for attr in (
        "council",
        "session_date",
        "convocation_date",
        "actes_classification",
        "subject",
        "president",
        "secretary",
        "members_in_office",
        "present_count",
        "voters",
        "votes_for",
        "decision_text",
        "second_convocation",
        "certified_on",
        "certified_by",
    ):
        setattr(deliberation, attr, getattr(parsed, attr))
    deliberation.authority = _authority_name(parsed.organisation_name, organisation)
    deliberation.votes_against = parsed.votes_against or 0
    deliberation.abstentions = parsed.abstentions or 0
    deliberation.full_clean()
    deliberation.save()
    # The document is the reference: its lists replace what a previous import recorded.
    deliberation.members.all().delete()
    for position, member in enumerate(parsed.members):
        record = DeliberationMember(
            deliberation=deliberation,
            name=member.name,
            attendance=member.attendance,
            proxy_holder=member.proxy_holder,
            not_voting=member.not_voting,
            position=position,
        )
        record.full_clean()
        record.save()
    deliberation.schedule_rows.all().delete()
    for position, row in enumerate(rows):
        record = DeliberationScheduleRow(
            deliberation=deliberation,
            label=row.label,
            place=_deliberation_place(row, created_places),
            count=row.count,
            unit=row.unit,
            frequency=row.frequency,
            modality=row.modality,
            position=position,
        )
        record.full_clean()
        record.save()
    return deliberation


def _party_upsert(
    agreement: Agreement, role: str, organisation, parsed: ParsedParty | None, **extra
):
    party = AgreementParty.objects.filter(agreement=agreement, role=role).first()
    if party is None:
        party = AgreementParty(agreement=agreement, role=role)
    party.organisation = organisation
    if parsed is not None:
        party.representative_name = parsed.representative_name
        party.representative_title = parsed.representative_title
        party.address = parsed.address
        party.deliberation_body = parsed.deliberation_body
        party.deliberation_number = parsed.deliberation_number
        party.deliberation_date = parsed.deliberation_date
    for attr, value in extra.items():
        setattr(party, attr, value)
    party.full_clean()
    party.save()
    return party


def _signatories_sync(agreement: Agreement, result: ImportResult, partner: Organisation) -> None:
    """Add the document's signatories that are not recorded yet (recorded ones keep their
    signature dates)."""
    existing = {(s.name, s.title) for s in agreement.signatories.all()}
    position = len(existing)
    for parsed in result.agreement.signatories:
        title = parsed.display_title
        if (parsed.name, title) in existing:
            continue
        organisation = {"department": agreement.department, "partner": partner}.get(parsed.role)
        signatory = Signatory(
            agreement=agreement,
            name=parsed.name,
            title=title,
            organisation=organisation,
            commune_id=parsed.commune_id,
            position=position,
        )
        signatory.full_clean()
        signatory.save()
        existing.add((parsed.name, title))
        position += 1


def _commitments_sync(agreement: Agreement, rows: list[ParsedRow], places: dict) -> None:
    """Make the original commitments those of the document's table.

    Unchanged on a re-import; on a draft, a different table replaces the original lines;
    once sent for signature, they only change by amendment (Art. 8.2).
    """
    wanted = [(places[r.line_number].pk, r.count, r.unit, r.frequency, r.modality) for r in rows]
    originals = list(agreement.commitments.filter(introduced_by__isnull=True))
    current = [(c.place_id, c.count, c.unit, c.frequency, c.modality) for c in originals]
    if current == wanted:
        return
    if agreement.timeline().status != AgreementStatus.DRAFT:
        raise ValidationError(
            "Cette convention n'est plus un brouillon : ses engagements ne changent que par "
            "avenant (art. 8.2)."
        )
    agreement.commitments.filter(introduced_by__isnull=True).delete()
    for position, (place_id, count, unit, frequency, modality) in enumerate(wanted):
        commitment = Commitment(
            agreement=agreement,
            place_id=place_id,
            count=count,
            unit=unit,
            frequency=frequency,
            modality=modality,
            position=position,
        )
        commitment.full_clean()
        commitment.save()


def convention_text(result: ImportResult) -> str:
    """The convention as read (normalised), from its heading to the end: the articles word
    for word, for the agreement's PDF."""
    from .parser import find_convention_start

    lines = result.text.split("\n")
    start = find_convention_start(lines)
    if start is None:
        return ""
    return "\n".join(lines[start:]).strip()


def source_document_record(
    *, agreement: Agreement, filename: str, content: bytes, text: str
) -> SourceDocument:
    """Keep a document as received, once per content (its SHA-256): the document of record."""
    digest = hashlib.sha256(content).hexdigest()
    existing = SourceDocument.objects.filter(agreement=agreement, sha256=digest).first()
    if existing is not None:
        return existing
    document = SourceDocument(
        agreement=agreement,
        filename=PurePath(filename).name[:255] or "document",
        sha256=digest,
        size=len(content),
        extracted_text=text,
    )
    document.file.save(
        f"{agreement.pk}-{digest[:16]}{PurePath(filename).suffix.lower()}",
        ContentFile(content),
        save=False,
    )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def agreement_import(
    *,
    result: ImportResult,
    department: Organisation,
    partner: Organisation | None = None,
    user=None,
    agreement: Agreement | None = None,
    source: tuple[str, bytes] | None = None,
) -> Agreement:
    """Import what a document says, all or nothing; return the agreement.

    Creates or updates the partner, its deliberation (members, table), the places "à créer",
    the agreement with its two parties, its signatories and the commitments of the
    convention's table. Refused when the document has errors. Importing the same document
    again changes nothing: the deliberation is found by organisation and order number, the
    agreement by partner, title and hard end date.

    ``partner`` forces the partner organisation (otherwise the one named by the convention,
    created if needed). ``agreement`` receives the table of a document without convention
    (a CSV, XLSX or ODS table, or a pasted table): its original commitments are replaced.
    """
    if not department.is_department:
        raise ValidationError("Cette structure n'est pas un Département.")
    if not result.matched:
        match_result(result)
    if result.errors:
        raise ValidationError(
            [f"{len(result.errors)} erreur(s) : rien n'a été importé.", *result.errors]
        )
    parsed = result.agreement
    if parsed is None and agreement is None:
        raise ValidationError(
            "Le document ne contient pas de convention (intitulé et parties) : choisissez la "
            "convention dont il donne le tableau des lieux."
        )
    if agreement is not None:
        partner = agreement.partner
    elif partner is None:
        partner = _partner_upsert(parsed.partner)
    places = _places_for(result.convention_rows, partner)
    created = list(places.values())
    deliberation = None
    if result.deliberation:
        deliberation = _deliberation_upsert(
            result.deliberation, partner, result.deliberation_rows, created
        )

    if parsed is not None:
        # The same title typed with other apostrophes or capitals is the same agreement.
        agreement = next(
            (
                a
                for a in Agreement.objects.filter(
                    partner=partner, hard_end_date=parsed.hard_end_date
                )
                if name_key(a.title) == name_key(parsed.title)
            ),
            None,
        )
        is_new = agreement is None
        if is_new:
            agreement = Agreement(department=department, partner=partner, title=parsed.title)
        if is_new or agreement.is_editable:
            for attr in AGREEMENT_CLAUSES:
                value = getattr(parsed, attr)
                if value is not None:
                    setattr(agreement, attr, value)
            agreement.communication_mention = parsed.communication_mention
            agreement.jurisdiction = parsed.jurisdiction
            agreement.signed_at = parsed.signed_at
            agreement.text = convention_text(result) or agreement.text
            agreement.full_clean()
            agreement.save()
            _party_upsert(agreement, PartyRole.DEPARTMENT, department, parsed.department)
            extra = {"deliberation": deliberation} if deliberation else {}
            _party_upsert(agreement, PartyRole.PARTNER, partner, parsed.partner, **extra)
            _signatories_sync(agreement, result, partner)
        elif deliberation:
            # Sent or signed: the text is fixed, but the deliberation may be recorded later.
            agreement.parties.filter(role=PartyRole.PARTNER, deliberation__isnull=True).update(
                deliberation=deliberation
            )
    if result.convention_rows:
        _commitments_sync(agreement, result.convention_rows, places)
    if source is not None:
        source_document_record(
            agreement=agreement, filename=source[0], content=source[1], text=result.text
        )
    logger.info(
        "Import de la convention %s (%s lieux) par l'utilisateur %s",
        agreement.pk,
        len(places),
        getattr(user, "pk", None),
    )
    return agreement
