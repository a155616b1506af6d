"""An agreement shaped like the seed's: two parties, ten signatories, eight commitments."""

from datetime import date
from importlib import resources

import pytest

from relais.agreements import services
from relais.agreements.enums import CommitmentFrequency, CommitmentUnit, Modality
from relais.core.services import communes_import

from ..factories import CommuneFactory, PlaceFactory

SEED_TABLE = [
    ("Prades", 2, CommitmentUnit.DAY),
    ("Vinça", 1, CommitmentUnit.HALF_DAY),
    ("Marquixanes", 1, CommitmentUnit.HALF_DAY),
    ("Catllar", 1, CommitmentUnit.DAY),
    ("Sahorre", 1, CommitmentUnit.HALF_DAY),
    ("Ria-Sirach", 1, CommitmentUnit.HALF_DAY),
    ("Los Masos", 2, CommitmentUnit.HALF_DAY),
    ("Villefranche-de-Conflent", 1, CommitmentUnit.HALF_DAY),
]


@pytest.fixture
def communes(db):
    """The communes of the Pyrénées-Orientales, as the demo and a real install load them."""
    text = resources.files("relais.core").joinpath("data/communes-66.csv").read_text("utf-8")
    assert communes_import(text=text, department_code="66").ok


@pytest.fixture
def draft_agreement(department, partner):
    """A draft with the seed's commitments and signatories, not yet sent."""
    agreement = services.agreement_create_draft(
        department=department,
        partner=partner,
        title="Convention d'objectifs et de partenariat 2023 – 2026 (Vague 2)",
        hard_end_date=date(2026, 6, 22),
    )
    for commune_name, count, unit in SEED_TABLE:
        place = PlaceFactory(
            partner=partner,
            name=f"Lieu de {commune_name}",
            commune=CommuneFactory(name=commune_name),
        )
        services.commitment_add(
            agreement=agreement,
            place=place,
            count=count,
            unit=unit,
            frequency=CommitmentFrequency.WEEKLY,
            modality=Modality.ON_SITE,
        )
    services.signatory_add(
        agreement=agreement,
        name="Hermeline MALHERBE",
        title="La Présidente du Département des Pyrénées-Orientales",
    )
    services.signatory_add(
        agreement=agreement,
        name="Jean-Louis JALLAT",
        title="Le Président de la Communauté de Communes Conflent Canigó",
    )
    return agreement


@pytest.fixture
def signed_agreement(draft_agreement):
    """The same agreement, signed on 5 and 20 March 2024 (in force from 20 March 2024)."""
    services.agreement_send_for_signature(agreement=draft_agreement, on=date(2024, 3, 1))
    first, second = draft_agreement.signatories.all()
    services.signature_record(signatory=first, signed_on=date(2024, 3, 5))
    services.signature_record(signatory=second, signed_on=date(2024, 3, 20))
    return draft_agreement
