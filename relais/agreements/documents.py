"""PDF documents: the agreement (the Département's standard model) and a deliberation's extract.

Both are HTML templates under ``agreements/pdf/`` turned into A4 PDFs by WeasyPrint. Resources
are read from the static files only: the URL fetcher refuses every protocol but ``file`` and
``data``, so generating a document never touches the network.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import ngettext

from relais.core.french import MONTHS, french_date

from . import consolidation, queries
from .enums import Attendance, PartyRole
from .models import Agreement, AgreementParty, Deliberation

# What the seed prints where a number or a date is still to be written in by hand.
BLANK = "….."

PDF_TEMPLATES = Path(__file__).resolve().parent / "templates" / "agreements" / "pdf"

_UNITS = (
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
)
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


# --- French wording ---------------------------------------------------------------------------


def _below_100(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens == 7:
        return "soixante et onze" if unit == 1 else f"soixante-{_UNITS[10 + unit]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    if tens == 9:
        return f"quatre-vingt-{_UNITS[10 + unit]}"
    if unit == 0:
        return _TENS[tens]
    if unit == 1:
        return f"{_TENS[tens]} et un"
    return f"{_TENS[tens]}-{_UNITS[unit]}"


def _below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_100(rest)
    head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
    if not rest:
        return head + ("s" if hundreds > 1 else "")  # « deux cents »: spelling, not a count
    return f"{head} {_below_100(rest)}"


def number_in_words(n: int) -> str:
    """A number from 0 to 999 999 in French words (« trente », « deux mille vingt-quatre »)."""
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands)} mille")
    if rest or not thousands:
        parts.append(_below_1000(rest))
    return " ".join(parts)


def date_or_blank(day: date | None) -> str:
    """« 1er mars 2025 »; the dotted blank of the seed when there is no date."""
    return BLANK if day is None else french_date(day)


def session_sentence_date(day: date) -> str:
    """« L'an deux mille vingt-quatre, le quinze février » (how a register dates a session)."""
    day_words = "premier" if day.day == 1 else number_in_words(day.day)
    return f"L'an {number_in_words(day.year)}, le {day_words} {MONTHS[day.month - 1]}"


def duration_phrase(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)s an", "%(count)s ans", years) % {"count": years}
    return f"{months} mois"


# Grammatical gender of a title, to write "sa Présidente, Madame …" as the model does. Unknown
# titles fall back to the neutral "son … en exercice" without a civility.
_FEMININE_ENDINGS = ("ente", "rice", "ère", "esse")
_MASCULINE_ENDINGS = ("ent", "eur", "ier", "teur")


def _title_gender(title: str) -> tuple[str, str]:
    """(gender, title without its article): gender is "f", "m" or ""."""
    lowered = title.lower()
    for article, gender in (("la ", "f"), ("le ", "m")):
        if lowered.startswith(article):
            return gender, title[len(article) :]
    first = lowered.split(" ", 1)[0] if lowered else ""
    if first.endswith(_FEMININE_ENDINGS):
        return "f", title
    if first.endswith(_MASCULINE_ENDINGS):
        return "m", title
    return "", title


def representative_phrase(title: str, name: str) -> tuple[str, str]:
    """(« sa Présidente en exercice, Madame Hermeline MALHERBE », agreement ending « e » or "")."""
    if not name:
        return BLANK, ""
    gender, bare_title = _title_gender(title.strip())
    civility = {"f": "Madame", "m": "Monsieur"}.get(gender, "")
    if name.lower().startswith(("madame", "monsieur", "mme", "m.")):
        civility = ""
    person = f"{civility} {name}".strip()
    if not bare_title:
        return person, ""
    # "en exercice" reads well after a bare function ("Présidente"), not after a complement.
    in_office = " en exercice" if " " not in bare_title else ""
    possessive = "sa" if gender == "f" else "son"
    return f"{possessive} {bare_title}{in_office}, {person}", ("e" if gender == "f" else "")


# --- Agreement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyClause:
    """How one party is named at the head of the agreement (ENTRE … ET …)."""

    role: str
    name: str
    representative: str
    agreement_ending: str  # "e" when the representative is a woman: « dûment autorisée »
    address: str
    authorisation: str
    designation: str


def _authorisation(party: AgreementParty | None) -> str:
    """« délibération du Conseil Départemental n°15 du 11 mai 2023 », blanks dotted."""
    body = f" du {party.deliberation_body}" if party and party.deliberation_body else ""
    number = (party.deliberation_number if party else "") or BLANK
    when = date_or_blank(party.deliberation_date if party else None)
    return f"délibération{body} n°{number} du {when}"


def _party_clause(agreement: Agreement, role: str, party: AgreementParty | None) -> PartyClause:
    organisation = (
        party.organisation
        if party
        else (agreement.department if role == PartyRole.DEPARTMENT else agreement.partner)
    )
    title = party.representative_title if party else organisation.representative_title
    name = party.representative_name if party else organisation.representative_name
    representative, ending = representative_phrase(title, name)
    address = (party.address if party else "") or organisation.postal_address or BLANK
    if role == PartyRole.DEPARTMENT:
        display = organisation.name
        if display.lower().startswith("département"):
            display = f"Le {display}"
        designation = "ci-après désigné « le Département »"
    else:
        display = organisation.name
        designation = "ci-après désigné(e) « le Bénéficiaire »"
    return PartyClause(
        role=role,
        name=display,
        representative=representative,
        agreement_ending=ending,
        address=address,
        authorisation=_authorisation(party),
        designation=designation,
    )


def _pairs(items: list) -> list[list]:
    return [items[i : i + 2] for i in range(0, len(items), 2)]


def agreement_context(agreement: Agreement, on: date | None = None) -> dict:
    """Everything the agreement template prints, worded and computed from the models.

    The commitments are those valid on ``on`` (today by default), so a document printed after
    a signed amendment shows the table as amended.
    """
    on = on or timezone.localdate()
    parties = {p.role: p for p in agreement.parties.select_related("organisation", "deliberation")}
    department = _party_clause(agreement, PartyRole.DEPARTMENT, parties.get(PartyRole.DEPARTMENT))
    partner = _party_clause(agreement, PartyRole.PARTNER, parties.get(PartyRole.PARTNER))
    department_party = parties.get(PartyRole.DEPARTMENT)
    signatories = list(agreement.signatories.all())
    signature_dates = [s.signed_on for s in signatories]
    all_signed = bool(signatories) and all(signature_dates)
    return {
        "agreement": agreement,
        "document_date": on,
        "department_name": agreement.department.name,
        "department": department,
        "partner": partner,
        # The programme's own deliberation (the Département's), quoted in the preamble.
        "programme_deliberation_date": (
            date_or_blank(department_party.deliberation_date)
            if department_party and department_party.deliberation_date
            else ""
        ),
        "document_date_text": date_or_blank(on),
        "commitments": list(queries.commitments_valid_on(agreement, on)),
        # Signed amendments already in effect: the table printed is the amended one.
        "amendments_applied": [
            a for a in agreement.amendments.all() if a.is_signed and a.effective_from <= on
        ],
        "annexes": list(agreement.annexes.all()),
        "duration": duration_phrase(agreement.duration_months),
        "hard_end": date_or_blank(agreement.hard_end_date) if agreement.hard_end_date else "",
        "notice_words": number_in_words(agreement.notice_days),
        "signed_at": agreement.signed_at or BLANK,
        "signed_on": date_or_blank(max(signature_dates)) if all_signed else BLANK,
        "signatory_rows": _pairs(
            [
                {
                    "title": s.title,
                    "name": s.name,
                    "signed_on": date_or_blank(s.signed_on) if s.signed_on else "",
                }
                for s in signatories
            ]
        ),
    }


# --- Deliberation -----------------------------------------------------------------------------


def _split_decision(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs before and after the table of places.

    Registers announce the table with a paragraph ending in a colon (« … comme suit : »); the
    table goes there, or after the whole text when no paragraph announces it.
    """
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]
    for index, paragraph in enumerate(paragraphs):
        if paragraph.endswith(":"):
            return paragraphs[: index + 1], paragraphs[index + 1 :]
    return paragraphs, []


def deliberation_context(deliberation: Deliberation) -> dict:
    members = list(deliberation.members.all())
    before, after = _split_decision(deliberation.decision_text)
    return {
        "deliberation": deliberation,
        "session_date": date_or_blank(deliberation.session_date),
        "session_sentence": session_sentence_date(deliberation.session_date),
        "convocation_date": (
            date_or_blank(deliberation.convocation_date) if deliberation.convocation_date else ""
        ),
        "present": [m for m in members if m.attendance == Attendance.PRESENT],
        "proxies": [m for m in members if m.attendance == Attendance.PROXY],
        "excused": [m for m in members if m.attendance == Attendance.EXCUSED],
        "absent": [m for m in members if m.attendance == Attendance.ABSENT],
        "rows": list(deliberation.schedule_rows.all()),
        "decision_before": before,
        "decision_after": after,
        "certified_on": date_or_blank(deliberation.certified_on),
        "certified_by": deliberation.certified_by or deliberation.president,
    }


# --- Rendering --------------------------------------------------------------------------------


def _static_base_url() -> str:
    """The core app's static directory, so that relative resources resolve without a server."""
    return Path(apps.get_app_config("core").path, "static").as_uri() + "/"


def html_to_pdf(html: str) -> bytes:
    """An A4 PDF from HTML, styled by ``pdf/document.css``, with local resources only."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    base_url = _static_base_url()
    stylesheet = CSS(filename=str(PDF_TEMPLATES / "document.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


def _items(lines: list[str]) -> list[dict]:
    """What to print for lines of the signed text, word for word: paragraphs, tables (cells
    separated by tabs, pipes or wide spaces, as imported) and signature blocks."""
    items: list[dict] = []
    for line in lines:
        plain = line.replace("**", "").strip()
        if not plain:
            continue
        if "<p>" in plain:
            cells = re.findall(r"<p>(.*?)</p>", plain)
            row = [{"title": t, "name": n} for t, n in zip(cells[::2], cells[1::2], strict=False)]
            if items and items[-1]["kind"] == "signatures":
                items[-1]["rows"].append(row)
            else:
                items.append({"kind": "signatures", "rows": [row]})
            continue
        if "\t" in plain:
            cells = [c.strip() for c in plain.split("\t") if c.strip()]
            if items and items[-1]["kind"] == "table":
                items[-1]["rows"].append(cells)
            else:
                items.append({"kind": "table", "header": cells, "rows": []})
            continue
        items.append({"kind": "p", "text": plain})
    return items


def agreement_text_context(agreement: Agreement, on: date | None = None) -> dict:
    """The signed text, as amended on ``on`` by the signed amendments in effect."""
    on = on or timezone.localdate()
    blocks = consolidation.consolidated(agreement, on)
    head = blocks[0].lines
    # The title: the first lines up to the first blank line.
    title_lines, rest = [], list(head)
    while rest and not rest[0].strip():
        rest.pop(0)
    while rest and rest[0].strip():
        title_lines.append(rest.pop(0).replace("**", "").strip())
    sections = []
    for index, block in enumerate(blocks):
        sections.append(
            {
                "heading": block.heading.replace("**", "").strip(),
                "level": 2 if "." not in block.number else 3,
                "items": _items(rest if index == 0 else block.lines),
                "notes": [consolidation.amendment_note(block, a) for a in block.amended_by],
            }
        )
    return {
        "agreement": agreement,
        "department_name": agreement.department.name,
        "title_lines": title_lines,
        "sections": sections,
        "document_date_text": date_or_blank(on),
        "amendments_applied": [
            a for a in agreement.amendments.all() if a.is_signed and a.effective_from <= on
        ],
    }


def render_agreement_pdf(agreement: Agreement, on: date | None = None) -> bytes:
    """The agreement's PDF: the text as signed when Relais holds it (imported or drafted from
    the previous agreement), else the Département's model filled in from the records."""
    if agreement.text.strip():
        html = render_to_string(
            "agreements/pdf/agreement_text.html", agreement_text_context(agreement, on)
        )
    else:
        html = render_to_string("agreements/pdf/agreement.html", agreement_context(agreement, on))
    return html_to_pdf(html)


def render_deliberation_pdf(deliberation: Deliberation) -> bytes:
    html = render_to_string("agreements/pdf/deliberation.html", deliberation_context(deliberation))
    return html_to_pdf(html)


def agreement_filename(agreement: Agreement) -> str:
    stem = slugify(f"convention {agreement.reference or agreement.pk} {agreement.partner}")
    return f"{stem[:100]}.pdf"


def deliberation_filename(deliberation: Deliberation) -> str:
    stem = slugify(
        f"deliberation {deliberation.order_number} {deliberation.organisation} "
        f"{deliberation.session_date:%Y-%m-%d}"
    )
    return f"{stem[:100]}.pdf"
