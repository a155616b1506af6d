"""Small builders for agreements and deliberations shaped like the seed (documents, deadlines)."""

from datetime import date

from relais.agreements.enums import (
    Attendance,
    CommitmentFrequency,
    CommitmentUnit,
    Modality,
    PartyRole,
)
from relais.agreements.models import (
    Agreement,
    AgreementParty,
    Commitment,
    Deliberation,
    DeliberationMember,
    DeliberationScheduleRow,
    Signatory,
)

from ..factories import CommuneFactory, PlaceFactory

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
