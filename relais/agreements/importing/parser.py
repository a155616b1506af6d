"""Pure parser of text pasted from a deliberation and/or the convention annexed to it.

No database access here: :func:`parse_text` returns what the text says; matching the names with
places and communes is :mod:`.matching`'s job.
"""

import itertools
import re

from ..enums import Attendance
from ..validation import Member, deliberation_problems
from . import patterns
from .checks import cross_check
from .compare import compare_tables
from .normalise import normalise
from .results import (
    ImportResult,
    ParsedAgreement,
    ParsedDeliberation,
    ParsedMember,
    ParsedParty,
    ParsedRow,
    ParsedSignatory,
)
from .rows import (
    build_row,
    column_of,
    header_columns,
    parse_duration,
    parse_frequency,
    parse_modality,
)
from .text import (
    fold,
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


# A Markdown separator row ("|---|:---:|") or a rule of dashes: not a row, not the end.
SEPARATOR_ROW = re.compile(r"^[\s|:+=_-]*-{3,}[\s|:+=_-]*$")


def _stacked_header(lines: list[str], index: int, end: int) -> tuple[list[str], int] | None:
    """A header written one cell per line ("LIEU" / "DURÉE" / …): (columns, next index)."""
    columns, position = [], index
    while position < end:
        line = strip_markup(lines[position])
        if not line:
            position += 1
            continue
        cells = split_cells(line)
        column = column_of(cells[0]) if len(cells) == 1 else None
        if column is None or column in columns:
            break
        columns.append(column)
        position += 1
    if {"label", "duration"} <= set(columns) and len(columns) >= 3:
        return columns, position
    return None


def _next_cells(lines: list[str], index: int, end: int, count: int) -> tuple[list, int]:
    """The next ``count`` non-blank lines, each one cell: [(index, text)], next index."""
    found, position = [], index
    while position < end and len(found) < count:
        line = strip_markup(lines[position])
        if line:
            if SEPARATOR_ROW.match(line) or len(split_cells(line)) != 1:
                break
            found.append((position, line))
        position += 1
    return found, position


def _cells_look_like_row(values: dict) -> bool:
    return bool(
        parse_duration(values.get("duration", ""))
        or parse_frequency(values.get("frequency", ""))
        or parse_modality(values.get("modality", "") or "")
    )


def _next_row_like(lines: list[str], start: int, end: int) -> int | None:
    """Index of the next non-blank line if it reads as a row of a table of places."""
    for index in range(start, min(end, start + 4)):
        line = strip_markup(lines[index])
        if not line:
            continue
        cells = split_cells(line)
        if header_columns(cells):
            return None
        return index if len(cells) >= 3 and _looks_like_row(cells, line) else None
    return None


def parse_tables(
    lines: list[str], start: int, end: int, result: ImportResult, headers: list | None = None
) -> list[ParsedRow]:
    """Rows of every table between two line indexes; unreadable rows go to ``result.errors``.

    A table starts at a header (Lieux / Durée / Fréquences / Modalités, on one line or one cell
    per line) and ends at the first line of prose; blank lines and Markdown separator rows
    between rows are skipped. A row is on one line (cells separated by tabs, pipes, two
    spaces or more, or single spaces when every cell reads) or one cell per line. The index
    of each header found is appended to ``headers``.
    """
    rows: list[ParsedRow] = []
    columns = None
    index = start
    while index < end:
        line = strip_markup(lines[index])
        if not line or SEPARATOR_ROW.match(line):
            index += 1
            continue
        cells = split_cells(line)
        header = header_columns(cells)
        if header is None and len(cells) == 1:
            stacked = _stacked_header(lines, index, end)
            if stacked:
                header, after = stacked
                columns = header
                if headers is not None:
                    headers.append(index)
                index = after
                continue
        if header:
            columns = header
            if headers is not None:
                headers.append(index)
            index += 1
            continue
        if columns is None:
            index += 1
            continue
        if len(cells) == 1 and not re.match(patterns.LOOSE_ROW, fold(squash(line))):
            # One cell per line: the row is the next as many lines as there are columns.
            found, after = _next_cells(lines, index, end, len(columns))
            values = dict(zip(columns, [text for _, text in found], strict=False))
            if len(found) == len(columns) and _cells_look_like_row(values):
                row, error = build_row(
                    result.line_number(index),
                    values.get("label", ""),
                    values.get("duration", ""),
                    values.get("frequency", ""),
                    values.get("modality"),
                )
                if error:
                    result.errors.append(error)
                else:
                    rows.append(row)
                index = after
                continue
            columns = None
            index += 1
            continue
        if not _looks_like_row(cells, line):
            following = _next_row_like(lines, index + 1, end)
            if following is not None and rows:
                # Rows go on after this line: it cuts the table (a page header left by a
                # conversion, a note): the rows after it would be lost without a word.
                result.errors.append(
                    f"Ligne {result.line_number(index)} : « {squash(line)[:80]} » coupe le "
                    f"tableau des lieux (des lignes du tableau suivent, ligne "
                    f"{result.line_number(following)}) : supprimez-la ou complétez le tableau."
                )
            columns = None
            index += 1
            continue
        row, error = _row_from_line(result.line_number(index), line, columns)
        if error:
            result.errors.append(error)
        else:
            rows.append(row)
        index += 1
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
    by_name = {_member_key(m.name): m for m in deliberation.members}
    for name in _names(lists["not_voting"]):
        member = by_name.get(_member_key(name))
        if member is None or member.attendance not in (Attendance.PRESENT, Attendance.PROXY):
            result.errors.append(
                f"Délibération : « {name} » ne prend pas part au vote mais ne figure ni parmi "
                "les présents ni parmi les représentés."
            )
        else:
            member.not_voting = True
    deliberation.second_convocation = bool(re.search(patterns.SECOND_CONVOCATION, folded))
    unanimity = re.search(patterns.UNANIMITY, folded)
    deliberation.unanimous = bool(unanimity)
    _unanimity(deliberation, unanimity, result)

    certified = _search(patterns.CERTIFICATION, folded, text, re.I)
    deliberation.certified_on = parse_french_date(certified) if certified else None
    deliberation.certified_by = _search(patterns.CERTIFIED_BY, folded, text, re.I).rstrip(". ")
    start = re.search(patterns.DECISION_START, folded)
    end = re.search(patterns.DECISION_END, folded)
    if start and end and end.start() > start.end():
        deliberation.decision_text = text[start.end() : end.start()].strip()
    _check_deliberation(deliberation, result)
    return deliberation


def _member_key(name: str) -> str:
    return " ".join(fold(name).split())


def _unanimity(d: ParsedDeliberation, unanimity, result: ImportResult) -> None:
    """ "à l'unanimité" against the figures, or in their place.

    An extract may say "à l'unanimité" and give no figures: every voter voted for, and the
    voters are the present and represented members less those who did not take part.
    Figures that contradict it are an error: one of the two is wrong.
    """
    if unanimity is None:
        return
    cast_only = bool(unanimity["cast"])
    if d.votes_for is None and d.votes_against is None and d.abstentions is None:
        voters = d.voters
        if voters is None and d.members:
            voters = sum(
                1
                for m in d.members
                if m.attendance in (Attendance.PRESENT, Attendance.PROXY) and not m.not_voting
            )
        if voters is not None and not cast_only:
            d.voters, d.votes_for, d.votes_against, d.abstentions = voters, voters, 0, 0
            d.figures_deduced = True
            result.warnings.append(
                f"Délibération : adoptée à l'unanimité sans décompte des voix : {voters} voix "
                "pour (présents et représentés prenant part au vote)."
            )
        return
    if d.votes_against:
        result.errors.append(
            f"Délibération : « à l'unanimité », mais {d.votes_against} voix contre."
        )
    if d.abstentions and not cast_only:
        result.errors.append(
            f"Délibération : « à l'unanimité », mais {d.abstentions} abstention(s) (il faudrait "
            "« à l'unanimité des suffrages exprimés »)."
        )


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
            members=[Member(m.name, m.attendance, m.proxy_holder, m.not_voting) for m in d.members],
            quorum_required=not d.second_convocation,
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


def _split_fragment(fragment: str) -> list[str]:
    """One fragment holding two titles or two names (a PDF read without its columns) split:
    "Le Maire de … PRADES Le Maire de … VINÇA" → two titles; "Yves DELCOR Bruno GUERIN" →
    two names."""
    folded = fold(fragment)
    cuts = [m.end() for m in re.finditer(patterns.SIGNATORY_TITLE_INSIDE, folded) if m.start()]
    if cuts:
        bounds = [0, *cuts, len(fragment)]
        return [fragment[a:b].strip() for a, b in itertools.pairwise(bounds)]
    names = re.findall(patterns.PERSON_NAME, fragment)
    if len(names) > 1 and re.fullmatch(r"\s*".join(map(re.escape, names)) + r"\.?", fragment):
        return names
    return [fragment]


def _signatories(lines: list[str], first: int, result: ImportResult) -> list[ParsedSignatory]:
    """The signature blocks after "Fait en 2 exemplaires" / "A Perpignan, le".

    Each title ("Le Maire de la Commune De PRADES", on one line or more) is followed by its
    signatory's name, in the same column when the blocks sit side by side. A title with no
    name, a second title before the name, or a name with no title means the block is not
    understood: an error, never names paired with the wrong titles.
    """
    start = None
    for index in range(first, len(lines)):
        if re.search(patterns.SIGNATURES_START, fold(strip_markup(lines[index]))):
            start = index + 1
    if start is None:
        return []
    # A mayor's block before "Fait en … exemplaires" (a PDF read in the wrong order) would be
    # dropped without a word: say so instead.
    for index in range(first, start):
        for fragment in strip_markup(lines[index]).split("\t"):
            if re.match(r"^(?:le|la) maire de la commune\b", fold(squash(fragment))):
                result.errors.append(
                    f"Ligne {result.line_number(index)} : « {squash(fragment)} » avant le bloc "
                    "des signatures (« Fait en … exemplaires ») : bloc des signatures incompris."
                )
    signatories: list[ParsedSignatory] = []
    pending: dict[int, tuple[list[str], int]] = {}  # column → (title parts, line index)

    def where(index: int) -> str:
        return f"Ligne {result.line_number(index)}"

    for index in range(start, len(lines)):
        raw = [squash(f) for f in strip_markup(lines[index]).split("\t") if f.strip()]
        fragments = [part for fragment in raw for part in _split_fragment(fragment)]
        for column, fragment in enumerate(fragments):
            if re.match(patterns.SIGNATORY_TITLE, fold(fragment)):
                if column in pending:
                    title = " ".join(pending[column][0])
                    result.errors.append(
                        f"{where(pending[column][1])} : signataire « {title} » sans nom "
                        f"(« {fragment} » suit) : bloc des signatures incompris."
                    )
                pending[column] = ([fragment], index)
                continue
            is_name = re.fullmatch(patterns.PERSON_NAME + r"\.?", fragment)
            owner = _pending_column(pending, column, index)
            if is_name:
                if owner is None:
                    result.errors.append(
                        f"{where(index)} : « {fragment} » ne suit aucune qualité de signataire "
                        "(« Le Maire de … », « Le Président … ») : bloc des signatures incompris."
                    )
                    continue
                parts, _ = pending.pop(owner)
                signatories.append(_signatory(" ".join(parts), fragment.rstrip(".")))
            elif owner is not None:
                pending[owner][0].append(fragment)
    for parts, index in pending.values():
        result.errors.append(
            f"{where(index)} : signataire « {' '.join(parts)} » sans nom : bloc des signatures "
            "incompris."
        )
    return signatories


def _pending_column(pending: dict, column: int, index: int) -> int | None:
    """The title a fragment belongs to: the one in its column, else the nearest one on its
    left on the same line ("<p>title</p> <p>name</p>"), else the only one waiting."""
    if column in pending:
        return column
    same_line = [c for c, (_, line) in pending.items() if line == index and c < column]
    if same_line:
        return max(same_line)
    if len(pending) == 1:
        return next(iter(pending))
    return None


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
    # The clauses read across the line breaks of a paragraph (a PDF's hard wraps): one
    # newline becomes a space, same length, so offsets still cut the original.
    flat = re.sub(r"(?<=[^\n])\n(?=[^\n])", " ", folded)
    agreement = ParsedAgreement(title=title)
    agreement.department, agreement.partner = _parties(text, result)

    duration = re.search(patterns.DURATION, flat)
    if duration:
        count = parse_number(duration["count"]) or 0
        agreement.duration_months = count * (1 if duration["unit"] == "mois" else 12)
    if re.search(patterns.NO_RENEWAL, flat):
        agreement.tacit_renewal = False
    elif re.search(patterns.TACIT_RENEWAL, flat):
        agreement.tacit_renewal = True
    for name, pattern in (
        ("opposition_notice_months", patterns.OPPOSITION_NOTICE),
        ("original_copies", patterns.ORIGINAL_COPIES),
    ):
        raw = _search(pattern, flat, text)
        setattr(agreement, name, parse_number(raw) if raw else None)
    _notice_periods(agreement, text, folded, flat, after_title, result)
    hard_end = _search(patterns.HARD_END, flat, text)
    agreement.hard_end_date = parse_french_date(hard_end) if hard_end else None
    agreement.communication_mention = squash(
        _search(patterns.COMMUNICATION_MENTION, flat, text, re.S)
    )
    agreement.jurisdiction = squash(_search(patterns.JURISDICTION, flat, text))
    agreement.signed_at = _search(patterns.SIGNED_AT, folded, text)
    agreement.signatories = _signatories(lines, after_title, result)
    _announced_clauses(agreement, folded, flat, after_title, result)
    _check_agreement(agreement, result)
    return agreement


def _notice_periods(
    agreement: ParsedAgreement,
    text: str,
    folded: str,
    flat: str,
    first: int,
    result: ImportResult,
) -> None:
    """The two notice periods of Art. 7, each read in its own clause.

    7.1 (fault: after the formal notice is received) and 7.2 (force majeure: after the
    notification) may differ; one delay read for both would end a convention on the wrong
    day. A clause that is there without its delay is an error.
    """
    fault = re.search(patterns.FAULT_CLAUSE, folded)
    force = re.search(patterns.FORCE_MAJEURE_CLAUSE, folded)
    if not (fault and force and force.start() > fault.start()):
        raw = _search(patterns.NOTICE_DAYS, flat, text)
        agreement.notice_days = parse_number(raw) if raw else None
        raw = _search(patterns.FORCE_MAJEURE_DAYS, flat, text)
        agreement.force_majeure_notice_days = parse_number(raw) if raw else None
        return
    after = re.compile(patterns.CLAUSE_AFTER_7).search(folded, force.end())
    sections = (
        ("notice_days", fault.start(), force.start(), (patterns.NOTICE_DAYS,), "7.1"),
        (
            "force_majeure_notice_days",
            force.start(),
            after.start() if after else len(folded),
            (patterns.FORCE_MAJEURE_DAYS, patterns.NOTICE_DAYS),
            "7.2",
        ),
    )
    for name, start, end, candidates, clause in sections:
        value = None
        for pattern in candidates:
            match = re.search(pattern, flat[start:end])
            if match:
                value = parse_number(match.group(1))
                break
        setattr(agreement, name, value)
        if value is None:
            line = first + folded[:start].count("\n")
            result.errors.append(
                f"Ligne {result.line_number(line)} : article {clause} : délai de résiliation "
                "introuvable (attendu : « … trente (30) jours … »)."
            )


# What Art. 6 announces, and the value it must then give (a default would be a guess).
ANNOUNCED_CLAUSES = (
    (
        r"prend(?:ra)? fin au plus tard",
        "hard_end_date",
        "date de fin (« prendra fin au plus tard le … »)",
    ),
    (r"conclue? pour une duree", "duration_months", "durée (« conclue pour une durée de … »)"),
    (r"reconduit|reconduction|renouvel", "tacit_renewal", "reconduction (tacite ou non)"),
    (
        r"avant (?:sa|la) date anniversaire",
        "opposition_notice_months",
        "préavis d'opposition (« … mois avant sa date anniversaire »)",
    ),
)


def _announced_clauses(
    agreement: ParsedAgreement, folded: str, flat: str, first: int, result: ImportResult
) -> None:
    """A clause the text states but whose value was not read is an error, with its line: an
    impossible date ("31 juin") would otherwise leave a convention that never ends."""
    for trigger, name, label in ANNOUNCED_CLAUSES:
        match = re.search(trigger, flat)
        if match and getattr(agreement, name) is None:
            line = first + folded.count("\n", 0, match.start())
            result.errors.append(
                f"Ligne {result.line_number(line)} : {label} annoncée mais illisible."
            )


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
        "notice_days": ("délai de résiliation pour faute", "30 jours"),
        "force_majeure_notice_days": ("délai de résiliation pour force majeure", "30 jours"),
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


def parse_text(text: str, *, source: str = "texte") -> ImportResult:
    """Parse text pasted from a deliberation, a convention, both, or just a table of places.

    The text is normalised first (:mod:`.normalise`); line numbers in messages are those of
    the original. Tables found before the convention belong to the deliberation when the text
    has one, otherwise to the convention (a table pasted alone is the convention's Art. 1.2
    table). What the text announces must be found and the document must agree with itself
    (:mod:`.checks`), else the result has errors and nothing can be imported.
    """
    result = ImportResult(source=source)
    normalised = normalise(text)
    result.text, result.line_numbers = normalised.text, normalised.line_numbers
    result.warnings += normalised.notes
    lines = normalised.lines
    convention_start = find_convention_start(lines)
    first_part_end = convention_start if convention_start is not None else len(lines)
    first_part = "\n".join(lines[:first_part_end])
    has_deliberation = any(
        re.search(marker, fold(first_part)) for marker in patterns.DELIBERATION_MARKERS
    )
    first_headers: list[int] = []
    errors_before = len(result.errors)
    first_rows = parse_tables(lines, 0, first_part_end, result, first_headers)
    if len(result.errors) > errors_before:
        first_headers = []  # rows were there, and each unreadable one has its own error
    if has_deliberation:
        result.deliberation = parse_deliberation(first_part, result)
        result.deliberation_rows = first_rows
    else:
        result.convention_rows = first_rows
    _empty_tables(first_headers, first_rows, result)
    if convention_start is not None:
        result.agreement = parse_convention(lines, convention_start, result)
        headers: list[int] = []
        errors_before = len(result.errors)
        rows = parse_tables(lines, convention_start, len(lines), result, headers)
        if len(result.errors) == errors_before:
            _empty_tables(headers, rows, result)
        result.convention_rows += rows
        if not result.convention_rows and not headers:
            result.errors.append(
                f"Ligne {result.line_number(convention_start)} : la convention n'a pas de "
                "tableau des lieux (article 1.2 : lieu, durée, fréquence, modalités) lisible : "
                "sans lui, aucun engagement ne peut être enregistré."
            )
    if not (result.deliberation or result.agreement or result.convention_rows or result.errors):
        result.errors.append(
            "Aucune délibération, aucune convention ni aucun tableau de lieux reconnu "
            "dans le texte."
        )
    cross_check(result)
    if result.deliberation_rows and result.convention_rows:
        result.discrepancies = compare_tables(result.deliberation_rows, result.convention_rows)
    return result


def _empty_tables(headers: list[int], rows: list[ParsedRow], result: ImportResult) -> None:
    """A table header with no row after it: the table was there, it was not read."""
    if headers and not rows:
        result.errors.append(
            f"Ligne {result.line_number(headers[0])} : tableau des lieux sans aucune ligne "
            "lisible (une ligne par lieu : lieu, durée, fréquence, modalités)."
        )
