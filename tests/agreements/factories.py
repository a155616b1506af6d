"""Factories of the agreements app, and builders of agreements and deliberations shaped like the
seed (documents, deadlines)."""

import hashlib
from datetime import date, timedelta

import factory

from relais.agreements.deadlines import Kind
from relais.agreements.enums import (
    Attendance,
    CommitmentFrequency,
    CommitmentUnit,
    CommunicationMedium,
    ContactRole,
    Modality,
    PartyRole,
)
from relais.agreements.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    AlertLog,
    Amendment,
    AmendmentArticle,
    Annex,
    Commitment,
    CommunicationEvent,
    CommunicationRequest,
    Deliberation,
    DeliberationMember,
    DeliberationScheduleRow,
    InsuranceCertificate,
    Signatory,
    SourceDocument,
)

from ..factories import CommuneFactory, DepartmentFactory, OrganisationFactory, PlaceFactory

# The day every factory-made agreement was signed by all: in force from then (Art. 6).
SIGNED_ON = date(2026, 1, 5)


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft between a Département and a partner; ``SignedAgreementFactory`` for one in force."""

    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Convention d'objectifs et de partenariat n° {n}")
    department = factory.SubFactory(DepartmentFactory)
    partner = factory.SubFactory(OrganisationFactory)
    signed_at = "Perpignan"


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Signataire {n}")
    title = "Le Président"


class SignedAgreementFactory(AgreementFactory):
    """Sent on 2 January 2026 and signed by its one signatory on ``SIGNED_ON``: in force since,
    renewed tacitly every year."""

    class Meta:
        # The signatory row is the signature: the agreement itself needs no second save.
        skip_postgeneration_save = True

    sent_for_signature_on = SIGNED_ON - timedelta(days=3)
    signatory = factory.RelatedFactory(SignatoryFactory, "agreement", signed_on=SIGNED_ON)


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A weekly half-day at one of the partner's places."""

    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    place = factory.SubFactory(PlaceFactory, partner=factory.SelfAttribute("..agreement.partner"))
    count = 1
    unit = CommitmentUnit.HALF_DAY


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    role = PartyRole.PARTNER
    organisation = factory.SelfAttribute("agreement.partner")
    representative_name = "Jean TEST"
    representative_title = "Président"


class DeliberationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliberation

    organisation = factory.SubFactory(OrganisationFactory)
    council = "Conseil Communautaire"
    session_date = date(2025, 12, 11)
    order_number = factory.Sequence(lambda n: f"{n}-25")
    subject = "Convention avec le Conseil Départemental"
    president = "Jean TEST"
    members_in_office = 30
    present_count = 20
    voters = 22
    votes_for = 22


class DeliberationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliberationMember

    deliberation = factory.SubFactory(DeliberationFactory)
    name = factory.Sequence(lambda n: f"Élu {n}")
    attendance = Attendance.PRESENT


class DeliberationScheduleRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliberationScheduleRow

    deliberation = factory.SubFactory(DeliberationFactory)
    label = "Médiathèque"
    count = 1
    unit = CommitmentUnit.HALF_DAY
    frequency = CommitmentFrequency.WEEKLY
    modality = Modality.ON_SITE


SOURCE_TEXT = b"Convention d'objectifs et de partenariat\n"


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    agreement = factory.SubFactory(AgreementFactory)
    file = factory.django.FileField(filename="convention.txt", data=SOURCE_TEXT)
    filename = "convention.txt"
    sha256 = factory.Sequence(lambda n: hashlib.sha256(SOURCE_TEXT + str(n).encode()).hexdigest())
    size = len(SOURCE_TEXT)
    extracted_text = SOURCE_TEXT.decode()


class InsuranceCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuranceCertificate

    agreement = factory.SubFactory(AgreementFactory)
    insurer = "Mutuelle de test"
    policy_number = factory.Sequence(lambda n: f"RC-{n:06d}")
    valid_from = date(2026, 1, 1)
    valid_until = date(2026, 12, 31)


class AgreementContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementContact

    agreement = factory.SubFactory(AgreementFactory)
    party = PartyRole.PARTNER
    role = ContactRole.REGULAR_CONTACT
    full_name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@exemple.test")


class CommunicationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationRequest

    agreement = factory.SubFactory(AgreementFactory)
    requested_by = PartyRole.PARTNER
    subject = "Affiche des permanences"
    medium = CommunicationMedium.POSTER
    channel = "Médiathèques du réseau"
    submitted_on = date(2026, 2, 2)
    planned_on = date(2026, 3, 2)


class CommunicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunicationEvent

    request = factory.SubFactory(CommunicationRequestFactory)
    actor = "Jean TEST"
    action = "Demande déposée"


class AnnexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annex

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Charte des conseillers"


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    subject = "Ajout d'une permanence"
    dated_on = date(2026, 4, 1)
    effective_from = date(2026, 4, 1)


class AmendmentArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AmendmentArticle

    amendment = factory.SubFactory(AmendmentFactory)
    article = factory.Sequence(lambda n: f"1.{n + 1}")
    text = "Le tableau des engagements est remplacé par le suivant."


class AlertLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertLog

    agreement = factory.SubFactory(AgreementFactory)
    kind = Kind.OPPOSITION_DEADLINE
    due_on = date(2026, 11, 5)
    recipient = factory.Sequence(lambda n: f"coordination{n}@exemple.test")


SEED_COMMITMENTS = [
    ("Médiathèque de Prades", 2, CommitmentUnit.DAY),
    ("Médiathèque de Vinça", 1, CommitmentUnit.HALF_DAY),
    ("Commune de Los Masos", 2, CommitmentUnit.HALF_DAY),
]
SEED_SIGNATORIES = [
    ("La Présidente du Département des Pyrénées-Orientales", "Hermeline MALHERBE"),
    ("Le Président de la Communauté de Communes Conflent Canigó", "Jean-Louis JALLAT"),
    ("Le Maire de la Commune de Prades", "Yves DELCOR"),
]
SEED_PROXIES = [
    ("Michel LLANAS", "Jean-Louis JALLAT"),
    ("Anne LAUBIES", "Guy CASSOLY"),
    ("Agnès ANCEAU-MORER", "Elisabeth PREVOT"),
    ("Laurent CHARCOS", "Nathalie CORNET"),
]


def make_agreement(
    department,
    partner,
    *,
    signed_on: list[date | None] | None = None,
    sent_for_signature_on: date | None = None,
    hard_end_date: date | None = date(2026, 6, 22),
    **fields,
) -> Agreement:
    """The seed's agreement: parties (the partner's deliberation left blank), commitments, and
    signatories signed on the given dates (None: not signed; no list: nobody signed)."""
    agreement = Agreement.objects.create(
        title=fields.pop(
            "title",
            "Convention d'objectifs et de partenariat au titre de la politique départementale "
            "d'inclusion numérique 2023 – 2026 (Vague 2)",
        ),
        department=department,
        partner=partner,
        signed_at="Perpignan",
        hard_end_date=hard_end_date,
        sent_for_signature_on=sent_for_signature_on,
        communication_mention=(
            "Opération menée par le Département des Pyrénées-Orientales, avec l'appui financier "
            "de l'État"
        ),
        jurisdiction="Tribunal Administratif de Montpellier (6 rue Pitot – 34063 Montpellier)",
        **fields,
    )
    AgreementParty.objects.create(
        agreement=agreement,
        role=PartyRole.DEPARTMENT,
        organisation=department,
        representative_name="Hermeline MALHERBE",
        representative_title="Présidente",
        address="Hôtel du Département, 24 quai Sadi Carnot, 66906 Perpignan",
        deliberation_body="Conseil Départemental",
        deliberation_number="15",
        deliberation_date=date(2023, 5, 11),
    )
    AgreementParty.objects.create(
        agreement=agreement,
        role=PartyRole.PARTNER,
        organisation=partner,
        representative_name="Jean-Louis JALLAT",
        representative_title="Président",
        address="Château Pams – Route de Ria, 66500 Prades",
    )
    for position, (name, count, unit) in enumerate(SEED_COMMITMENTS):
        Commitment.objects.create(
            agreement=agreement,
            place=PlaceFactory(partner=partner, name=name, commune=CommuneFactory()),
            count=count,
            unit=unit,
            frequency=CommitmentFrequency.WEEKLY,
            modality=Modality.ON_SITE,
            position=position,
        )
    dates = signed_on if signed_on is not None else [None] * len(SEED_SIGNATORIES)
    for position, ((title, name), day) in enumerate(zip(SEED_SIGNATORIES, dates, strict=False)):
        Signatory.objects.create(
            agreement=agreement, title=title, name=name, signed_on=day, position=position
        )
    return agreement


def make_signed_agreement(department, partner, **fields) -> Agreement:
    """Signed by all on 5, 12 and 20 March 2024: in force from 20 March 2024."""
    return make_agreement(
        department,
        partner,
        sent_for_signature_on=date(2024, 3, 1),
        signed_on=[date(2024, 3, 5), date(2024, 3, 12), date(2024, 3, 20)],
        **fields,
    )


def make_deliberation(organisation) -> Deliberation:
    """Deliberation n° 37-24 of 15 February 2024, with its figures and the four proxies."""
    deliberation = Deliberation.objects.create(
        organisation=organisation,
        council="Conseil Communautaire",
        session_date=date(2024, 2, 15),
        convocation_date=date(2024, 2, 8),
        order_number="37-24",
        actes_classification="8.4 Aménagement du Territoire",
        subject="Convention avec le Conseil Départemental - Ambassadeurs numériques",
        president="Jean-Louis JALLAT",
        secretary="Lucette ORTIZ CASTILLO",
        members_in_office=71,
        present_count=51,
        voters=55,
        votes_for=55,
        decision_text=(
            "RAPPELLE que par délibérations du 24 février 2022 et du 26 janvier 2023, le conseil "
            "avait accepté de signer une convention avec le conseil départemental.\n\n"
            "DIT QUE il y a lieu de signer une nouvelle convention comme suit :\n\n"
            "AUTORISE le Président à signer la nouvelle convention."
        ),
        certified_on=date(2024, 2, 26),
    )
    members = [
        ("Jean-Louis JALLAT", Attendance.PRESENT, ""),
        ("Guy CASSOLY", Attendance.PRESENT, ""),
    ]
    members += [(giver, Attendance.PROXY, holder) for giver, holder in SEED_PROXIES]
    members += [("Sébastien NENS", Attendance.EXCUSED, "")]
    for position, (name, attendance, holder) in enumerate(members):
        DeliberationMember.objects.create(
            deliberation=deliberation,
            name=name,
            attendance=attendance,
            proxy_holder=holder,
            position=position,
        )
    DeliberationScheduleRow.objects.create(
        deliberation=deliberation,
        label="Médiathèque de Prades",
        count=2,
        unit=CommitmentUnit.DAY,
        frequency=CommitmentFrequency.WEEKLY,
        modality=Modality.ON_SITE,
    )
    return deliberation
