"""Matching the names found in a document with the database (reads only).

Labels are compared by their name key (no case, accents, hyphens or extra spaces) and without
their kind ("Médiathèque de", "Commune de"…), which is kept to choose among a commune's places.
Nothing is guessed: an unknown or ambiguous name is reported with the candidates found.
"""

import difflib
import re
from collections import defaultdict

from django.conf import settings

from relais.core.models import Commune, Organisation
from relais.places.models import Place

from . import patterns
from .compare import compare_tables
from .results import ImportResult, MatchStatus, ParsedRow
from .text import fold, name_key


class _Index:
    """Communes and places of the département, indexed by name key."""

    def __init__(self, department_code: str):
        self.communes = defaultdict(list)
        for commune in Commune.objects.for_department(department_code):
            self.communes[name_key(commune.name)].append(commune)
        self.places_by_name = defaultdict(list)
        self.places_by_commune = defaultdict(list)
        places = Place.objects.filter(commune__department_code=department_code).select_related(
            "commune"
        )
        for place in places:
            self.places_by_name[name_key(place.name)].append(place)
            if place.is_active:
                self.places_by_commune[place.commune_id].append(place)

    def commune_candidates(self, keys: list[str]) -> list[Commune]:
        for key in keys:
            if self.communes.get(key):
                return self.communes[key]
        return []

    def close_communes(self, key: str) -> list[str]:
        """Names of communes a reader may have meant: same beginning, or a close spelling."""
        starts = [k for k in self.communes if k.startswith(key + " ")]
        close = difflib.get_close_matches(
            key, list(self.communes), n=3, cutoff=patterns.COMMUNE_SIMILARITY
        )
        keys = list(dict.fromkeys(starts[:5] + close))
        return [c.name for k in keys for c in self.communes[k]]


def _match_row(row: ParsedRow, index: _Index) -> None:
    row.place_id = row.commune_id = None
    row.place_name = row.commune_name = ""
    row.candidates = []
    same_name = index.places_by_name.get(name_key(row.label), [])
    if len(same_name) == 1:
        place = same_name[0]
        row.place_id, row.place_name = place.pk, place.name
        row.commune_id, row.commune_name = place.commune_id, place.commune.name
        row.match_status = MatchStatus.MATCHED
        return
    communes = index.commune_candidates(row.commune_keys)
    if not communes:
        row.match_status = MatchStatus.UNKNOWN
        row.candidates = index.close_communes(row.commune_keys[-1])
        return
    if len(communes) > 1:
        row.match_status = MatchStatus.AMBIGUOUS
        row.candidates = [str(c) for c in communes]
        return
    commune = communes[0]
    row.commune_id, row.commune_name = commune.pk, commune.name
    pool = index.places_by_commune.get(commune.pk, [])
    if row.kind:
        pool = [p for p in pool if p.kind == row.kind]
    if len(pool) == 1:
        row.place_id, row.place_name = pool[0].pk, pool[0].name
        row.match_status = MatchStatus.MATCHED
    elif pool:
        row.match_status = MatchStatus.AMBIGUOUS
        row.candidates = sorted(p.name for p in pool)
    else:
        row.match_status = MatchStatus.TO_CREATE


def _problem(row: ParsedRow) -> str:
    where = f"Ligne {row.line_number} : lieu « {row.label} »"
    if row.match_status == MatchStatus.AMBIGUOUS:
        return f"{where} ambigu, plusieurs correspondances : {', '.join(row.candidates)}."
    text = f"{where} : commune « {row.commune_label} » inconnue dans le département"
    if row.candidates:
        text += f" (vouliez-vous dire : {', '.join(row.candidates)} ?)"
    return text + "."


def find_organisation(names: list[str], *, exclude_departments: bool = True):
    """(organisation, exact) for the first name matching an organisation, else (None, False).

    Names are compared by key; failing that, one organisation whose name is very close
    (``ORGANISATION_SIMILARITY``) is returned with ``exact=False`` so that the caller says so.
    """
    organisations = Organisation.objects.all()
    if exclude_departments:
        organisations = organisations.partners()
    by_key = {name_key(o.name): o for o in organisations}
    by_key.update({name_key(o.short_name): o for o in organisations if o.short_name})
    names = [n for n in names if n]
    for name in names:
        if name_key(name) in by_key:
            return by_key[name_key(name)], True
    for name in names:
        scored = [
            (difflib.SequenceMatcher(None, name_key(name), key).ratio(), organisation)
            for key, organisation in by_key.items()
        ]
        close = [o for score, o in scored if score >= patterns.ORGANISATION_SIMILARITY]
        if len({o.pk for o in close}) == 1:
            return close[0], False
    return None, False


def organisation_kind_for(name: str) -> str:
    folded = fold(name)
    for pattern, kind in patterns.ORGANISATION_KINDS:
        if re.search(pattern, folded):
            return kind
    return "other"


def match_result(result: ImportResult, *, department_code: str | None = None) -> ImportResult:
    """Match every label, party and signatory of ``result`` with the database, in place.

    Unknown or ambiguous places of the convention's table are errors (a commitment needs a
    place); in the deliberation's table they are warnings (its rows keep their label).
    Discrepancies are computed again with the matched places.
    """
    index = _Index(department_code or settings.RELAIS_DEPARTMENT_CODE)
    # Matching twice must not report twice.
    result.errors = [e for e in result.errors if not e.startswith("Ligne ") or "lieu «" not in e]
    for rows, problems in (
        (result.convention_rows, result.errors),
        (result.deliberation_rows, result.warnings),
    ):
        for row in rows:
            _match_row(row, index)
            if row.match_status in (MatchStatus.UNKNOWN, MatchStatus.AMBIGUOUS):
                message = _problem(row)
                if message not in problems:
                    problems.append(message)
    for row in result.deliberation_rows:
        # Only the convention's rows create places: say so for the deliberation's other rows.
        if row.match_status == MatchStatus.TO_CREATE and not any(
            c.match_status == MatchStatus.TO_CREATE
            and c.commune_id == row.commune_id
            and (not row.kind or not c.kind or row.kind == c.kind)
            for c in result.convention_rows
        ):
            row.match_status = MatchStatus.NOT_CREATED
    if result.agreement:
        _match_parties(result, index)
    if result.deliberation_rows and result.convention_rows:
        result.discrepancies = compare_tables(result.deliberation_rows, result.convention_rows)
    result.matched = True
    return result


def _match_parties(result: ImportResult, index: _Index) -> None:
    agreement = result.agreement
    partner = agreement.partner
    if partner and partner.name:
        names = [partner.name]
        if result.deliberation:
            names.append(result.deliberation.organisation_name)
        organisation, exact = find_organisation(names)
        partner.organisation_id = organisation.pk if organisation else None
        if organisation is None:
            partner.organisation_status = "à créer"
        elif exact:
            partner.organisation_status = f"existante : {organisation.name}"
        else:
            partner.organisation_status = f"rapprochée de : {organisation.name}"
            message = (
                f"Convention : le bénéficiaire « {partner.name} » est rapproché de la structure "
                f"existante « {organisation.name} »."
            )
            if message not in result.warnings:
                result.warnings.append(message)
    department = agreement.department
    if department and department.name:
        key = name_key(department.name)
        found = [d for d in Organisation.objects.departments() if name_key(d.name) == key]
        department.organisation_id = found[0].pk if found else None
        department.organisation_status = (
            f"existante : {found[0].name}" if found else "différent du Département de Relais"
        )
    for signatory in agreement.signatories:
        signatory.commune_id, signatory.commune_name = None, ""
        if not signatory.commune_label:
            continue
        communes = index.commune_candidates([name_key(signatory.commune_label)])
        if len(communes) == 1:
            signatory.commune_id, signatory.commune_name = communes[0].pk, communes[0].name
        else:
            message = (
                f"Convention : commune « {signatory.commune_label} » du signataire "
                f"{signatory.name} non reconnue."
            )
            if message not in result.warnings:
                result.warnings.append(message)
