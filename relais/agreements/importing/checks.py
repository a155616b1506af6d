"""Cross-checks of what a document says against itself (pure: no database).

Each rule is an error: a document that contradicts itself is not imported, whatever part is
right. The rules, in French, are what the preview shows.

Convocation delay (« jours francs »: neither the day the convocation is sent nor the day of
the session count), the rule applied:

- a municipal council: 3 clear days at least (CGCT L2121-11, communes below 3,500
  inhabitants). Relais does not know a commune's population, so 3 or 4 clear days is a
  warning reminding that communes of 3,500 inhabitants and more need 5 (L2121-12);
- an EPCI (conseil communautaire, comité syndical): 5 clear days (L5211-1 applies the rules
  of communes of 3,500 inhabitants and more to an EPCI that includes one such commune, which
  is the case of the communautés the programme works with; a smaller one is flagged by a
  refusal a coordinator can discuss, not by a silent acceptance);
- a departmental or regional council: 12 days (L3121-19, L4132-18);
- a second convocation after a session without quorum: 3 days (L2121-17);
- urgency stated in the text: 1 clear day (L2121-12, al. 3).
"""

import re
from datetime import date

from . import patterns
from .results import ImportResult, ParsedRow
from .text import fold


def _line(result: ImportResult, offset: int) -> int:
    return result.line_number(result.text.count("\n", 0, offset))


def impossible_dates(result: ImportResult) -> None:
    """ "31 juin 2026", "29 février 2025", "12/13/2024": an error naming the line."""
    folded = fold(result.text)
    for pattern in (patterns.ANY_DATE_WORDS, patterns.ANY_DATE_NUMERIC):
        for match in re.finditer(pattern, folded):
            day, year = int(match["day"]), int(match["year"])
            month = patterns.MONTHS.get(match["month"]) or int(match["month"])
            try:
                date(year, month, day)
            except ValueError:
                written = result.text[match.start() : match.end()]
                result.errors.append(
                    f"Ligne {_line(result, match.start())} : la date « {written} » n'existe pas."
                )


def duplicated_document(result: ImportResult) -> None:
    """The whole text pasted twice: two order numbers, two convention headings."""
    folded = fold(result.text)
    numbers = list(re.finditer(patterns.DELIBERATION_FIELDS["order_number"], folded))
    if len(numbers) > 1:
        result.errors.append(
            f"Ligne {_line(result, numbers[1].start())} : la délibération apparaît une seconde "
            f"fois (déjà ligne {_line(result, numbers[0].start())}) : collez-la une seule fois."
        )
    starts = list(re.finditer(patterns.PARTIES_START, folded))
    if len(starts) > 1:
        result.errors.append(
            f"Ligne {_line(result, starts[1].start())} : la convention apparaît une seconde fois "
            f"(« ENTRE » déjà ligne {_line(result, starts[0].start())}) : collez-la une seule "
            "fois."
        )


def _place_key(row: ParsedRow) -> tuple:
    return (row.kind, tuple(sorted(row.commune_keys)))


def duplicate_places(result: ImportResult) -> None:
    """The same place twice in one table: which commitment is the real one?"""
    for rows, where in (
        (result.deliberation_rows, "de la délibération"),
        (result.convention_rows, "de la convention"),
    ):
        seen: dict[tuple, ParsedRow] = {}
        for row in rows:
            key = _place_key(row)
            if key in seen:
                first = seen[key]
                result.errors.append(
                    f"Ligne {row.line_number} : « {row.label} » figure deux fois dans le tableau "
                    f"{where} (déjà ligne {first.line_number})."
                )
            else:
                seen[key] = row


def announced_counts(result: ImportResult) -> None:
    """ "10 signataires" announced against the signature blocks read."""
    agreement = result.agreement
    if agreement is None:
        return
    from .text import parse_number

    folded = fold(result.text)
    for match in re.finditer(patterns.ANNOUNCED_SIGNATORIES, folded):
        announced = parse_number(match.group(1))
        if announced is not None and announced != len(agreement.signatories):
            result.errors.append(
                f"Ligne {_line(result, match.start())} : {announced} signataires annoncés, "
                f"{len(agreement.signatories)} blocs de signature lus."
            )


def _clear_days_required(result: ImportResult) -> tuple[int, str, bool]:
    """(clear days, the rule in French, whether it is certain) for the deliberating body; a
    municipal council's 3 days may be 5 (population unknown): a warning says so."""
    deliberation = result.deliberation
    folded = fold(result.text)
    council = fold(deliberation.council)
    body = fold(f"{deliberation.council} {deliberation.organisation_name}")
    if re.search(patterns.URGENCY, folded):
        return 1, "urgence : un jour franc au moins (CGCT L2121-12)", True
    if deliberation.second_convocation:
        return 3, "seconde convocation : trois jours au moins (CGCT L2121-17)", True
    if "departemental" in council or "regional" in council:
        return 12, "conseil départemental ou régional : douze jours (CGCT L3121-19)", True
    if re.search(patterns.EPCI_NAME, body) or "communautaire" in council or "comite" in council:
        return (
            5,
            "EPCI : cinq jours francs (CGCT L5211-1 et L2121-12, communes de 3 500 habitants "
            "et plus)",
            True,
        )
    return 3, "conseil municipal : trois jours francs (CGCT L2121-11)", False


def dates_in_order(result: ImportResult) -> None:
    """Convocation before the session and early enough; the end after the session and the
    authorisations; the certification after the session."""
    deliberation, agreement = result.deliberation, result.agreement
    session = deliberation.session_date if deliberation else None
    if deliberation and session:
        convocation = deliberation.convocation_date
        if convocation and convocation > session:
            result.errors.append(
                f"Délibération : convocation du {convocation:%d/%m/%Y} postérieure à la séance "
                f"du {session:%d/%m/%Y}."
            )
        elif convocation:
            clear_days = (session - convocation).days - 1
            required, rule, strict = _clear_days_required(result)
            if clear_days < required:
                message = (
                    f"Délibération : convocation du {convocation:%d/%m/%Y} pour la séance du "
                    f"{session:%d/%m/%Y}, soit {max(clear_days, 0)} jour(s) franc(s) ; "
                    f"délai légal : {rule}."
                )
                result.errors.append(message)
            elif not strict and clear_days < 5:
                result.warnings.append(
                    f"Délibération : {clear_days} jours francs entre la convocation et la "
                    "séance : suffisant sous 3 500 habitants, cinq jours francs au-delà "
                    "(CGCT L2121-12) — à vérifier."
                )
        if deliberation.certified_on and deliberation.certified_on < session:
            result.errors.append(
                f"Délibération : extrait certifié le {deliberation.certified_on:%d/%m/%Y}, "
                f"avant la séance du {session:%d/%m/%Y}."
            )
    if agreement and agreement.hard_end_date:
        end = agreement.hard_end_date
        starts = [("la séance qui autorise la signature", session)]
        for party in (agreement.department, agreement.partner):
            if party and party.deliberation_date:
                starts.append(
                    (f"la délibération n°{party.deliberation_number}", party.deliberation_date)
                )
        for label, start in starts:
            if start and end <= start:
                result.errors.append(
                    f"Convention : fin au plus tard le {end:%d/%m/%Y}, avant {label} du "
                    f"{start:%d/%m/%Y} : la convention finirait avant de commencer."
                )


def placeholders(result: ImportResult) -> None:
    """Blanks left in the text ("[localisation du point d'accueil]"): to-dos, not errors."""
    found = []
    for match in re.finditer(patterns.PLACEHOLDER, result.text):
        found.append(f"Ligne {_line(result, match.start())} : {match.group(0)}")
    result.placeholders = found


def cross_check(result: ImportResult) -> None:
    impossible_dates(result)
    duplicated_document(result)
    duplicate_places(result)
    announced_counts(result)
    dates_in_order(result)
    placeholders(result)
