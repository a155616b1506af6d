"""Pure parser of text pasted from a deliberation and/or the convention annexed to it.

No database access here: :func:`parse_text` returns what the text says; matching the names with
places and communes is :mod:`.matching`'s job.
"""

import re

from ..enums import Attendance
from ..validation import Member, deliberation_problems
from . import patterns
from .compare import compare_tables
from .results import (
    ImportResult,
    ParsedAgreement,
    ParsedDeliberation,
    ParsedMember,
    ParsedParty,
    ParsedRow,
    ParsedSignatory,
)
from .rows import build_row, header_columns, parse_duration, parse_frequency, parse_modality
from .text import (
    fold,
    lines_of,
    parse_french_date,
    parse_number,
    sentence_case,
    squash,
    strip_markup,
)

# --- Tables --------------------------------------------------------------------------------------


def split_cells(line: str) -> list[str]:
    line = line.strip().strip("|")
    return [c.strip() for c in re.split(patterns.CELL_SEPARATOR, line) if c.strip()]


def _looks_like_row(cells: list[str], line: str) -> bool:
    """Whether a line inside a table is a row (readable or not) rather than the prose after it.

    A row typed with single spaces must read entirely; a row in cells must have at least one
    cell after the place that looks like a duration, a frequency or a modality.
    """
    if re.match(patterns.LOOSE_ROW, fold(squash(line))):
        return True
    return len(cells) >= 2 and any(
        re.match(r"^\d", cell)
        or parse_duration(cell)
        or parse_frequency(cell)
        or parse_modality(cell)
        for cell in cells[1:]
    )


def _row_from_line(
    line_number: int, line: str, columns: list[str]
) -> tuple[ParsedRow | None, str | None]:
    cells = split_cells(line)
    if len(cells) == len(columns):
        values = dict(zip(columns, cells, strict=True))
    else:
        match = re.match(patterns.LOOSE_ROW, fold(squash(line)))
        if match is None:
            return None, (
                f"Ligne {line_number} : ligne « {squash(line)} » illisible "
                "(attendu : lieu, durée, fréquence, modalités)."
            )
        original = squash(line)
        values = {name: original[match.start(name) : match.end(name)] for name in patterns.COLUMNS}
    return build_row(
        line_number,
        values.get("label", ""),
        values.get("duration", ""),
        values.get("frequency", ""),
        values.get("modality"),
    )


def parse_tables(lines: list[str], start: int, end: int, result: ImportResult) -> list[ParsedRow]:
    """Rows of every table between two line indexes; unreadable rows go to ``result.errors``.

    A table starts at a header line (Lieux / Durée / Fréquences / Modalités) and ends at the
    first line of prose; blank lines between rows are allowed.
    """
    rows: list[ParsedRow] = []
    columns = None
    for index in range(start, end):
        line = strip_markup(lines[index])
        if not line:
            continue
        cells = split_cells(line)
        header = header_columns(cells)
        if header:
            columns = header
            continue
        if columns is None:
            continue
        if not _looks_like_row(cells, line):
            columns = None
            continue
        row, error = _row_from_line(index + 1, line, columns)
        if error:
            result.errors.append(error)
        else:
            rows.append(row)
    return rows


# --- Where each document starts ------------------------------------------------------------------


def _is_mostly_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.7


def find_convention_start(lines: list[str]) -> int | None:
    """Index of the convention's heading line ("CONVENTION D'OBJECTIFS…"), if any."""
    for index, raw in enumerate(lines):
        line = strip_markup(raw)
        if not re.match(patterns.CONVENTION_HEADING, fold(line)):
            continue
        following = [fold(strip_markup(x)) for x in lines[index + 1 : index + 10]]
        if _is_mostly_capitals(line) or any(re.fullmatch(r"\s*entre\s*", f) for f in following):
            return index
    return None


# --- Deliberation --------------------------------------------------------------------------------


def _search(pattern: str, folded: str, original: str, flags=0) -> str:
    match = re.search(pattern, folded, flags)
    if not match:
        return ""
    return original[match.start(1) : match.end(1)].strip()


def _names(raw: str) -> list[str]:
    raw = squash(raw).rstrip(". ")
    names = []
    for part in re.split(r",|\s+et\s+", raw):
        name = re.sub(r"^(?:M\.|Mme|Mr|Monsieur|Madame)\s+", "", part.strip())
        if name:
            names.append(name)
    return names


def parse_deliberation(text: str, result: ImportResult) -> ParsedDeliberation:
    """Figures, dates, members and certification of a deliberation extract."""
    folded = fold(text)
    found = {
        name: _search(pattern, folded, text, re.I)
        for name, pattern in patterns.DELIBERATION_FIELDS.items()
    }
    deliberation = ParsedDeliberation(
        organisation_name=squash(found["organisation_name"]),
        council=found["council"][:1].upper() + found["council"][1:].lower(),
        order_number=found["order_number"].rstrip(".-"),
        actes_classification=squash(found["actes_classification"]),
        subject=squash(found["subject"]),
        president=squash(found["president"]).rstrip("."),
        secretary=squash(found["secretary"]).rstrip("."),
    )
    for name in ("session_date", "convocation_date"):
        setattr(deliberation, name, parse_french_date(found[name]) if found[name] else None)
    for name in (
        "members_in_office",
        "present_count",
        "voters",
        "votes_for",
        "votes_against",
        "abstentions",
    ):
        setattr(deliberation, name, parse_number(found[name]) if found[name] else None)

    lists = {
        name: _search(pattern, folded, text, re.I)
        for name, pattern in patterns.MEMBER_LISTS.items()
    }
    members = [ParsedMember(n, Attendance.PRESENT) for n in _names(lists["present"])]
    for part in _names(lists["proxies"]):
        match = re.match(patterns.PROXY, fold(part))
        if match:
            giver = part[match.start("giver") : match.end("giver")].strip()
            holder = part[match.start("holder") : match.end("holder")].strip()
            members.append(ParsedMember(giver, Attendance.PROXY, holder))
        else:
            result.warnings.append(f"Délibération : procuration « {part} » non comprise.")
    members += [ParsedMember(n, Attendance.EXCUSED) for n in _names(lists["excused"])]
    members += [ParsedMember(n, Attendance.ABSENT) for n in _names(lists["absent"])]
    deliberation.members = _unique_members(members, result)

    certified = _search(patterns.CERTIFICATION, folded, text, re.I)
    deliberation.certified_on = parse_french_date(certified) if certified else None
    deliberation.certified_by = _search(patterns.CERTIFIED_BY, folded, text, re.I).rstrip(". ")
    start = re.search(patterns.DECISION_START, folded)
    end = re.search(patterns.DECISION_END, folded)
    if start and end and end.start() > start.end():
        deliberation.decision_text = text[start.end() : end.start()].strip()
    _check_deliberation(deliberation, result)
    return deliberation


def _unique_members(members: list[ParsedMember], result: ImportResult) -> list[ParsedMember]:
    seen, unique = set(), []
    for member in members:
        if member.name in seen:
            result.warnings.append(f"Délibération : « {member.name} » figure deux fois.")
            continue
        seen.add(member.name)
        unique.append(member)
    return unique


REQUIRED_DELIBERATION_FIELDS = {
    "session_date": "date de la séance",
    "order_number": "numéro d'ordre",
    "subject": "objet",
    "president": "président de séance",
    "members_in_office": "nombre de conseillers en exercice",
    "present_count": "nombre de présents",
    "voters": "nombre de votants",
    "votes_for": "nombre de voix pour",
}


def _check_deliberation(d: ParsedDeliberation, result: ImportResult) -> None:
    if not d.council:
        d.council = "Conseil"
        result.warnings.append("Délibération : assemblée non reconnue, « Conseil » par défaut.")
    for name, label in REQUIRED_DELIBERATION_FIELDS.items():
        if getattr(d, name) in (None, ""):
            result.errors.append(f"Délibération : {label} introuvable.")
    # The figures must obey the rules of a deliberation; a document that breaks them is
    # refused rather than imported with figures nobody can trust.
    result.errors.extend(
        f"Délibération : {problem}"
        for problem in deliberation_problems(
            members_in_office=d.members_in_office,
            present_count=d.present_count,
            voters=d.voters,
            votes_for=d.votes_for,
            votes_against=d.votes_against,
            abstentions=d.abstentions,
            members=[Member(m.name, m.attendance, m.proxy_holder) for m in d.members],
        )
    )


# --- Convention ----------------------------------------------------------------------------------


def _title(lines: list[str], start: int) -> tuple[str, int]:
    parts, index = [], start
    while index < len(lines):
        line = strip_markup(lines[index])
        if not line or re.fullmatch(r"\s*entre\s*", fold(line)):
            break
        parts.append(line)
        index += 1
    return sentence_case(" ".join(parts)), index


def _party(clause: str, role: str, result: ImportResult) -> ParsedParty:
    clause = squash(clause)
    folded = fold(clause)
    party = ParsedParty(role=role)
    match = re.match(patterns.PARTY, folded)
    if match is None:
        party.name = re.sub(r"^(?:Le|La|Les|L')\s*", "", clause.split(",")[0]).strip()
        result.warnings.append(
            f"Convention : représentant, adresse ou délibération de « {party.name} » non reconnus."
        )
        return party

    def cut(name: str) -> str:
        return clause[match.start(name) : match.end(name)].strip(" ,")

    party.name = cut("name")
    party.representative_title = cut("title")[:1].upper() + cut("title")[1:]
    party.representative_name = cut("rep")
    party.address = cut("address")
    address = re.match(patterns.POSTAL_ADDRESS, party.address)
    if address:
        party.street = address["street"].strip(" ,")
        party.postal_code = address["postal_code"]
        party.city = address["city"].strip()
    tail = cut("deliberation")
    reference = re.match(patterns.PARTY_DELIBERATION, fold(tail))
    if reference:
        party.deliberation_body = tail[reference.start("body") : reference.end("body")].strip()
        party.deliberation_number = reference["number"] or ""
        if reference["date"]:
            party.deliberation_date = parse_french_date(reference["date"])
    return party


def _parties(text: str, result: ImportResult) -> tuple[ParsedParty | None, ParsedParty | None]:
    """The two parties of "ENTRE … ci-après désigné « le Département » ET … « le Bénéficiaire »"."""
    folded = fold(text)
    start = re.search(patterns.PARTIES_START, folded)
    if not start:
        return None, None
    clauses = []
    position = start.end()
    for _ in range(2):
        end = re.search(patterns.PARTY_END, folded[position:])
        if not end:
            break
        clause_end = position + end.start()
        line_end = folded.find("\n", clause_end)
        designation = folded[clause_end : line_end if line_end >= 0 else len(folded)]
        clauses.append((text[position:clause_end], designation))
        separator = re.search(patterns.PARTIES_SEPARATOR, folded[clause_end:])
        if not separator:
            break
        position = clause_end + separator.end()
    department = partner = None
    for clause, designation in clauses:
        if "departement" in designation and department is None:
            department = _party(clause, "department", result)
        elif partner is None:
            partner = _party(clause, "partner", result)
    return department, partner


def _signatories(lines: list[str]) -> list[ParsedSignatory]:
    """The signature blocks after "Fait en 2 exemplaires" / "A Perpignan, le"."""
    start = None
    for index, line in enumerate(lines):
        if re.search(patterns.SIGNATURES_START, fold(strip_markup(line))):
            start = index + 1
    if start is None:
        return []
    fragments = []
    for line in lines[start:]:
        fragments += [squash(f) for f in strip_markup(line).split("\t") if f.strip()]
    signatories: list[ParsedSignatory] = []
    pending: list[list[str]] = []  # titles still waiting for their signatory's name
    for fragment in fragments:
        if re.match(patterns.SIGNATORY_TITLE, fold(fragment)):
            pending.append([fragment])
        elif re.fullmatch(patterns.PERSON_NAME + r"\.?", fragment) and pending:
            title = " ".join(pending.pop(0))
            signatories.append(_signatory(title, fragment.rstrip(".")))
        elif pending:
            pending[-1].append(fragment)
    return signatories


def _signatory(title: str, name: str) -> ParsedSignatory:
    folded = fold(title)
    signatory = ParsedSignatory(title=title, name=name)
    mayor = re.search(patterns.MAYOR_COMMUNE, folded)
    if mayor:
        signatory.commune_label = title[mayor.start(1) : mayor.end(1)].strip()
    elif "president" in folded and "departement" in folded:
        signatory.role = "department"
    elif "president" in folded:
        signatory.role = "partner"
    return signatory


def parse_convention(lines: list[str], start: int, result: ImportResult) -> ParsedAgreement:
    """Heading, parties, clauses of Art. 5 to 8 and signatories of a convention."""
    title, after_title = _title(lines, start)
    text = "\n".join(strip_markup(x) if "<" in x else x for x in lines[after_title:])
    folded = fold(text)
    agreement = ParsedAgreement(title=title)
    agreement.department, agreement.partner = _parties(text, result)

    duration = re.search(patterns.DURATION, folded)
    if duration:
        count = parse_number(duration["count"]) or 0
        agreement.duration_months = count * (1 if duration["unit"] == "mois" else 12)
    if re.search(patterns.NO_RENEWAL, folded):
        agreement.tacit_renewal = False
    elif re.search(patterns.TACIT_RENEWAL, folded):
        agreement.tacit_renewal = True
    for name, pattern in (
        ("opposition_notice_months", patterns.OPPOSITION_NOTICE),
        ("notice_days", patterns.NOTICE_DAYS),
        ("original_copies", patterns.ORIGINAL_COPIES),
    ):
        raw = _search(pattern, folded, text)
        setattr(agreement, name, parse_number(raw) if raw else None)
    hard_end = _search(patterns.HARD_END, folded, text)
    agreement.hard_end_date = parse_french_date(hard_end) if hard_end else None
    agreement.communication_mention = squash(
        _search(patterns.COMMUNICATION_MENTION, folded, text, re.S)
    )
    agreement.jurisdiction = squash(_search(patterns.JURISDICTION, folded, text))
    agreement.signed_at = _search(patterns.SIGNED_AT, folded, text)
    agreement.signatories = _signatories(lines[after_title:])
    _check_agreement(agreement, result)
    return agreement


def _check_agreement(a: ParsedAgreement, result: ImportResult) -> None:
    if not a.title:
        result.errors.append("Convention : intitulé introuvable.")
    if a.partner is None or not a.partner.name:
        result.errors.append("Convention : bénéficiaire introuvable (paragraphe « ET … »).")
    if a.department is None or not a.department.name:
        result.errors.append("Convention : Département introuvable (paragraphe « ENTRE … »).")
    defaults = {
        "duration_months": ("durée", "12 mois"),
        "tacit_renewal": ("reconduction tacite", "oui"),
        "opposition_notice_months": ("préavis d'opposition", "2 mois"),
        "notice_days": ("délai de résiliation", "30 jours"),
    }
    for name, (label, default) in defaults.items():
        if getattr(a, name) is None:
            result.warnings.append(
                f"Convention : {label} introuvable, valeur par défaut ({default})."
            )
    if (
        a.partner
        and a.partner.name
        and not (a.partner.deliberation_number and a.partner.deliberation_date)
    ):
        result.warnings.append(
            "Convention : numéro et date de la délibération du bénéficiaire laissés en blanc "
            "(à compléter)."
        )


# --- Entry point ---------------------------------------------------------------------------------


def parse_text(text: str) -> ImportResult:
    """Parse text pasted from a deliberation, a convention, both, or just a table of places.

    Tables found before the convention belong to the deliberation when the text has one,
    otherwise to the convention (a table pasted alone is the convention's Art. 1.2 table).
    """
    result = ImportResult(source="texte")
    lines = lines_of(text)
    convention_start = find_convention_start(lines)
    first_part_end = convention_start if convention_start is not None else len(lines)
    first_part = "\n".join(lines[:first_part_end])
    has_deliberation = any(
        re.search(marker, fold(first_part)) for marker in patterns.DELIBERATION_MARKERS
    )
    first_rows = parse_tables(lines, 0, first_part_end, result)
    if has_deliberation:
        result.deliberation = parse_deliberation(first_part, result)
        result.deliberation_rows = first_rows
    else:
        result.convention_rows = first_rows
    if convention_start is not None:
        result.agreement = parse_convention(lines, convention_start, result)
        result.convention_rows += parse_tables(lines, convention_start, len(lines), result)
        if not result.convention_rows:
            result.warnings.append("Convention : tableau des lieux (article 1.2) introuvable.")
    if not (result.deliberation or result.agreement or result.convention_rows or result.errors):
        result.errors.append(
            "Aucune délibération, aucune convention ni aucun tableau de lieux reconnu "
            "dans le texte."
        )
    if result.deliberation_rows and result.convention_rows:
        result.discrepancies = compare_tables(result.deliberation_rows, result.convention_rows)
    return result
