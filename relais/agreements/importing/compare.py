"""Consistency check: the places voted in the deliberation against the convention's table."""

from .results import ParsedRow


def _same_place(a: ParsedRow, b: ParsedRow) -> bool:
    """Whether two rows name the same place.

    Matched ids win; otherwise the commune part of the labels is compared ("Los Masos" and
    "COMMUNE DE LOS MASOS"), and a kind stated on both sides must agree.
    """
    if a.place_id and b.place_id:
        return a.place_id == b.place_id
    if a.kind and b.kind and a.kind != b.kind:
        return False
    if a.commune_id and b.commune_id:
        return a.commune_id == b.commune_id
    return bool(set(a.commune_keys) & set(b.commune_keys))


def _differences(a: ParsedRow, b: ParsedRow) -> bool:
    return (a.count, a.unit, a.frequency, a.modality) != (b.count, b.unit, b.frequency, b.modality)


def compare_tables(
    deliberation_rows: list[ParsedRow], convention_rows: list[ParsedRow]
) -> list[str]:
    """Discrepancies between the deliberation's table and the convention's, in French.

    Each place is paired with the same place in the other table; a place missing on one side
    or with a different duration, frequency or modality gives one sentence.
    """
    discrepancies = []
    unpaired = list(convention_rows)
    for row in deliberation_rows:
        other = next((c for c in unpaired if _same_place(row, c)), None)
        if other is None:
            discrepancies.append(
                f"{row.label} ({row.summary}) figure dans la délibération mais pas dans la "
                "convention."
            )
            continue
        unpaired.remove(other)
        if _differences(row, other):
            discrepancies.append(
                f"{other.label} : {row.summary} ({row.modality_label.lower()}) dans la "
                f"délibération, {other.summary} ({other.modality_label.lower()}) dans la "
                "convention."
            )
    for row in unpaired:
        discrepancies.append(
            f"{row.label} ({row.summary}) figure dans la convention mais pas dans la délibération."
        )
    return discrepancies


def _row_from(obj, label: str) -> ParsedRow:
    place = obj.place
    return ParsedRow(
        line_number=0,
        label=label,
        count=obj.count,
        unit=obj.unit,
        frequency=obj.frequency,
        modality=obj.modality,
        kind=place.kind if place else "",
        place_id=place.pk if place else None,
        commune_id=place.commune_id if place else None,
    )


def agreement_discrepancies(agreement) -> list[str]:
    """Discrepancies between the partner's deliberation and the agreement's original table.

    Empty when the partner's party has no recorded deliberation or the deliberation no table.
    Commitments added by amendments are not compared: the deliberation voted the original.
    """
    from ..enums import PartyRole
    from ..models import Commitment
    from .rows import analyse_label

    party = (
        agreement.parties.filter(role=PartyRole.PARTNER, deliberation__isnull=False)
        .select_related("deliberation")
        .first()
    )
    if party is None:
        return []
    deliberation_rows = []
    for schedule_row in party.deliberation.schedule_rows.select_related("place"):
        row = _row_from(schedule_row, schedule_row.label)
        if schedule_row.place is None:
            row.kind, _, _, row.commune_keys = analyse_label(schedule_row.label)
        deliberation_rows.append(row)
    if not deliberation_rows:
        return []
    commitments = Commitment.objects.filter(
        agreement=agreement, introduced_by__isnull=True
    ).select_related("place__commune")
    convention_rows = []
    for commitment in commitments:
        row = _row_from(commitment, commitment.place.name)
        row.commune_keys = analyse_label(commitment.place.commune.name)[3]
        convention_rows.append(row)
    # A deliberation row without a place is paired by its label with the commune's name.
    return compare_tables(deliberation_rows, convention_rows)
