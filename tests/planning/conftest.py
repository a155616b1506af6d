"""Seed-shaped places with real centroids, signed agreements over them, and slot helpers."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from relais.agreements import services as agreement_services
from relais.agreements.enums import CommitmentFrequency, CommitmentUnit, Modality
from relais.planning import services
from relais.planning.travel import clear_cache

from ..factories import AdvisorFactory, CommuneFactory, PlaceFactory

# (commune, latitude, longitude, commitment count, unit) — Art. 1.2 of the seed: 13 half-days.
SEED_TABLE = [
    ("Prades", "42.61750", "2.42170", 2, CommitmentUnit.DAY),
    ("Vinça", "42.64470", "2.52780", 1, CommitmentUnit.HALF_DAY),
    ("Marquixanes", "42.63940", "2.48530", 1, CommitmentUnit.HALF_DAY),
    ("Catllar", "42.63530", "2.41530", 1, CommitmentUnit.DAY),
    ("Sahorre", "42.52810", "2.37140", 1, CommitmentUnit.HALF_DAY),
    ("Ria-Sirach", "42.61750", "2.40330", 1, CommitmentUnit.HALF_DAY),
    ("Los Masos", "42.62810", "2.44060", 2, CommitmentUnit.HALF_DAY),
    ("Villefranche-de-Conflent", "42.58860", "2.36750", 1, CommitmentUnit.HALF_DAY),
]
FAR_AWAY = ("Perpignan", "42.69860", "2.89560")


@pytest.fixture(autouse=True)
def _fresh_travel_cache():
    clear_cache()
    yield
    clear_cache()


def commune(name, lat, lon):
    return CommuneFactory(name=name, latitude=Decimal(lat), longitude=Decimal(lon))


def places_of_the_seed(partner, *, prefix="Lieu de", **fields) -> dict:
    """The eight places of the convention, keyed by commune name."""
    return {
        name: PlaceFactory(
            partner=partner, name=f"{prefix} {name}", commune=commune(name, lat, lon), **fields
        )
        for name, lat, lon, _, _ in SEED_TABLE
    }


@pytest.fixture
def seed_places(partner) -> dict:
    """The eight places, without opening hours (any time of day may be planned)."""
    return places_of_the_seed(partner, opening_hours="")


def make_agreement(department, partner, places: dict, *, signed_on: date, hard_end: date):
    agreement = agreement_services.agreement_create_draft(
        department=department,
        partner=partner,
        title=f"Convention {signed_on.year}",
        hard_end_date=hard_end,
    )
    for name, _, _, count, unit in SEED_TABLE:
        agreement_services.commitment_add(
            agreement=agreement,
            place=places[name],
            count=count,
            unit=unit,
            frequency=CommitmentFrequency.WEEKLY,
            modality=Modality.ON_SITE,
        )
    agreement_services.signatory_add(agreement=agreement, name="A", title="Présidente")
    agreement_services.signatory_add(agreement=agreement, name="B", title="Président")
    agreement_services.agreement_send_for_signature(agreement=agreement, on=signed_on)
    for signatory in agreement.signatories.all():
        agreement_services.signature_record(signatory=signatory, signed_on=signed_on)
    return agreement


@pytest.fixture
def agreement(department, partner, seed_places):
    """The seed's agreement: in force from 20 March 2024 to 22 June 2026."""
    return make_agreement(
        department, partner, seed_places, signed_on=date(2024, 3, 20), hard_end=date(2026, 6, 22)
    )


def agreement_in_force(department, partner, places: dict):
    """The seed's commitments in an agreement in force today (signed a month ago, for a year)."""
    # Cannot break on another date: the autouse clock of tests/conftest.py freezes "now" at
    # TEST_NOW, and the agreement is dated only by offsets from it (in force 30 days before to
    # 365 days after), so every instant of `make test-dates` gets an agreement in force.
    today = timezone.localdate()  # frozen (TEST_NOW), used only as the origin of offsets
    return make_agreement(
        department,
        partner,
        places,
        signed_on=today - timedelta(days=30),
        hard_end=today + timedelta(days=365),
    )


@pytest.fixture
def current_agreement(department, partner, seed_places):
    return agreement_in_force(department, partner, seed_places)


@pytest.fixture
def advisor_at(seed_places):
    """``advisor_at("Prades")``: an adviser living in that commune (working Mon–Fri, 35 h)."""

    def make(name, **extra):
        home = seed_places[name].commune if name in seed_places else commune(*FAR_AWAY)
        return AdvisorFactory(home_commune=home, **extra)

    return make


@pytest.fixture
def make_slot():
    """``make_slot(place, advisors, weekday=0, start="09:00", end="12:00", **fields)``."""

    def make(place, advisors, *, weekday=0, start="09:00", end="12:00", **fields):
        fields.setdefault("valid_from", date(2026, 3, 30))
        fields.setdefault("valid_until", date(2026, 6, 22))
        return services.slot_create(
            place=place,
            advisors=advisors,
            weekday=weekday,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
            **fields,
        )

    return make
