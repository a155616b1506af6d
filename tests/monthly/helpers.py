"""Known activities and a signed agreement for the monthly report tests (March 2025)."""

from datetime import date, time

from relais.agreements import services as agreement_services
from relais.agreements.enums import CommitmentFrequency, CommitmentUnit, Modality
from relais.planning import services as planning_services

from ..activities.factories import record_collective, record_individual

MARCH = date(2025, 3, 1)
CANARY_NOTE = "NOTE-CANARI-mensuel ne jamais afficher"


def record_march(advisor, place, other_place):
    """At ``place``: 2 individual (a retired woman of 60-69, an unknown person) and a workshop
    of 6 in March 2025; plus noise (another partner's place, April) that must not count."""
    record_individual(
        advisor,
        place=place,
        date=date(2025, 3, 10),
        themes=["email", "health"],
        gender="female",
        age_bracket="60_69",
        social_status="retired",
        private_notes=CANARY_NOTE,
    )
    record_individual(advisor, place=place, date=date(2025, 3, 12), themes=["email"])
    record_collective(advisor, place=place, participants=6, gender_unknown=6, age_unknown=6,
                      status_unknown=6, date=date(2025, 3, 17))  # fmt: skip
    record_individual(advisor, place=other_place, date=date(2025, 3, 11))
    record_individual(advisor, place=place, date=date(2025, 4, 2))


def sign_agreement(department, partner, place, *, half_days: int = 1):
    agreement = agreement_services.agreement_create_draft(
        department=department,
        partner=partner,
        title="Convention 2024-2026",
        hard_end_date=date(2026, 6, 22),
    )
    agreement_services.commitment_add(
        agreement=agreement,
        place=place,
        count=half_days,
        unit=CommitmentUnit.HALF_DAY,
        frequency=CommitmentFrequency.WEEKLY,
        modality=Modality.ON_SITE,
    )
    agreement_services.signatory_add(agreement=agreement, name="A", title="Présidente")
    agreement_services.signatory_add(agreement=agreement, name="B", title="Président")
    agreement_services.agreement_send_for_signature(agreement=agreement, on=date(2024, 3, 20))
    for signatory in agreement.signatories.all():
        agreement_services.signature_record(signatory=signatory, signed_on=date(2024, 3, 20))
    return agreement


def monday_slot(place, advisor):
    """Mondays 09:00–12:00 (one half-day) through March 2025: 3, 10, 17, 24 and 31 March."""
    return planning_services.slot_create(
        place=place,
        advisors=[advisor],
        weekday=0,
        start_time=time(9),
        end_time=time(12),
        valid_from=date(2025, 3, 1),
        valid_until=date(2025, 3, 31),
    )
