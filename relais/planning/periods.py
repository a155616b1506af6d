"""Which agreement periods cover a place: slots must lie inside one (Art. 6 of the convention).

A place is covered by an agreement that has a commitment there (Art. 1.2 table). The period is
the agreement's timeline: from its start (last signature) to its ``end_date`` (last day in
force), open-ended when the agreement has no end yet (tacit renewal, no hard end). Unsigned
agreements have no period and cover nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from relais.agreements.models import Agreement, Commitment


@dataclass(frozen=True)
class AgreementPeriod:
    agreement: object
    start: date
    end: date | None

    def contains(self, start: date, end: date | None) -> bool:
        if start < self.start:
            return False
        if self.end is None:
            return True
        return end is not None and end <= self.end and start <= self.end

    @property
    def display(self) -> str:
        if self.end is None:
            return f"« {self.agreement.title} », en vigueur depuis le {self.start:%d/%m/%Y}"
        return f"« {self.agreement.title} », du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


def agreement_periods(place, today: date | None = None) -> list[AgreementPeriod]:
    """The signed agreements with a commitment at ``place``, with their periods, oldest first."""
    return agreement_periods_by_place([place.pk], today)[place.pk]


def agreement_periods_by_place(place_ids, today: date | None = None) -> dict:
    """``agreement_periods`` of each of ``place_ids``, in three queries whatever their number
    (a list of slots stays within its page's query budget)."""
    today = today or timezone.localdate()
    pairs = set(
        Commitment.objects.filter(place_id__in=place_ids).values_list("place_id", "agreement_id")
    )
    agreements = Agreement.objects.filter(pk__in={pk for _, pk in pairs}).prefetch_related(
        "signatories"
    )
    period_of = {}
    for agreement in agreements:
        timeline = agreement.timeline(today)
        if timeline.start is not None:
            period_of[agreement.pk] = AgreementPeriod(agreement, timeline.start, timeline.end_date)
    by_place = {place_id: [] for place_id in place_ids}
    for place_id, agreement_id in pairs:
        if agreement_id in period_of:
            by_place[place_id].append(period_of[agreement_id])
    return {
        place_id: sorted(periods, key=lambda p: p.start) for place_id, periods in by_place.items()
    }


def agreement_period_problem(
    place, start: date, end: date | None, periods: list[AgreementPeriod] | None = None
) -> str | None:
    """A French explanation when ``start``…``end`` is not inside an agreement period, else None.

    ``periods``: the place's, when the caller already read them (one read per place for a list).
    """
    periods = agreement_periods(place) if periods is None else periods
    if any(p.contains(start, end) for p in periods):
        return None
    if not periods:
        return (
            f"Aucune convention signée ne couvre « {place} » : enregistrez la convention, "
            "ses engagements (art. 1.2) et ses signatures avant de planifier une permanence."
        )
    listed = " ; ".join(p.display for p in periods)
    if end is None and all(p.end is not None for p in periods):
        return (
            "Indiquez une date de fin : la permanence doit s'arrêter avec la convention qui "
            f"couvre ce lieu ({listed})."
        )
    return (
        "Les dates de la permanence doivent être comprises dans la période d'une convention "
        f"signée couvrant « {place} » ({listed})."
    )
