"""What the importer finds: plain dataclasses, JSON-serialisable through :meth:`as_dict`."""

import dataclasses
import json
import re
from dataclasses import dataclass, field
from datetime import date

from relais.places.enums import PlaceKind

from ..enums import CommitmentFrequency, Modality, unit_count


class MatchStatus:
    """Outcome of matching a table label with the places and communes in the database."""

    PENDING = ""  # not matched yet (pure parse)
    MATCHED = "matched"
    TO_CREATE = "to_create"
    NOT_CREATED = "not_created"  # a deliberation row whose place the convention does not create
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"

    LABELS = {
        PENDING: "non vérifié",
        MATCHED: "lieu existant",
        TO_CREATE: "lieu à créer",
        NOT_CREATED: "lieu absent de Relais (non créé : hors convention)",
        UNKNOWN: "inconnu",
        AMBIGUOUS: "ambigu",
    }


@dataclass
class ParsedRow:
    """One line of a table of places: "Médiathèque de Prades | 2 journées | Par semaine | …"."""

    line_number: int
    label: str
    count: int
    unit: str
    frequency: str
    modality: str
    kind: str = ""  # deduced from the label ("" when the label is a bare commune name)
    kind_word: str = ""  # "Médiathèque", "Commune"… used to name a place to create
    commune_label: str = ""  # the label without its kind: "PRADES", "Villefranche de conflent"
    commune_keys: list[str] = field(default_factory=list)
    place_id: int | None = None
    place_name: str = ""
    commune_id: int | None = None
    commune_name: str = ""
    match_status: str = MatchStatus.PENDING
    candidates: list[str] = field(default_factory=list)

    @property
    def duration_label(self) -> str:
        return unit_count(self.unit, self.count)

    @property
    def frequency_label(self) -> str:
        return CommitmentFrequency(self.frequency).label

    @property
    def modality_label(self) -> str:
        return Modality(self.modality).label

    @property
    def kind_label(self) -> str:
        return PlaceKind(self.kind).label if self.kind else ""

    @property
    def match_label(self) -> str:
        return MatchStatus.LABELS[self.match_status]

    @property
    def summary(self) -> str:
        """ "1 demi-journée par semaine" (", à distance" when remote)."""
        text = f"{self.duration_label} {self.frequency_label.lower()}"
        if self.modality == Modality.REMOTE:
            text += ", à distance"
        return text

    @property
    def place_to_create(self) -> str:
        """Name of the place the import creates for this row (when its status says so)."""
        if self.match_status != MatchStatus.TO_CREATE:
            return ""
        return f"{self.kind_word or 'Commune'} {_of_commune(self.commune_name)}"


def _of_commune(name: str) -> str:
    """ "de Prades", "d'Ille-sur-Têt"."""
    return f"d'{name}" if name[:1].lower() in "aeiouyhéèêàâîôû" else f"de {name}"


@dataclass
class ParsedMember:
    name: str
    attendance: str  # Attendance value
    proxy_holder: str = ""
    not_voting: bool = False


@dataclass
class ParsedDeliberation:
    """The deliberation that authorises the partner to sign (e.g. n° 37-24 of 15 Feb 2024)."""

    organisation_name: str = ""
    council: str = ""
    session_date: date | None = None
    convocation_date: date | None = None
    order_number: str = ""
    actes_classification: str = ""
    subject: str = ""
    president: str = ""
    secretary: str = ""
    members_in_office: int | None = None
    present_count: int | None = None
    voters: int | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    members: list[ParsedMember] = field(default_factory=list)
    certified_on: date | None = None
    certified_by: str = ""
    decision_text: str = ""
    second_convocation: bool = False  # CGCT L2121-17: no quorum needed
    unanimous: bool = False
    figures_deduced: bool = False  # a unanimous extract without figures

    def names(self, attendance: str) -> list[str]:
        return [m.name for m in self.members if m.attendance == attendance]

    @property
    def present(self) -> list[str]:
        return self.names("present")

    @property
    def proxies(self) -> list[ParsedMember]:
        return [m for m in self.members if m.attendance == "proxy"]

    @property
    def excused(self) -> list[str]:
        return self.names("excused")


@dataclass
class ParsedParty:
    """A party as the convention names it ("ENTRE … ET …")."""

    role: str
    name: str = ""
    representative_name: str = ""
    representative_title: str = ""
    address: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    deliberation_body: str = ""
    deliberation_number: str = ""
    deliberation_date: date | None = None
    organisation_id: int | None = None  # filled by matching
    organisation_status: str = ""  # "existante", "à créer"


@dataclass
class ParsedSignatory:
    title: str
    name: str
    role: str = ""  # "department", "partner" or "" (e.g. a mayor)
    commune_label: str = ""
    commune_id: int | None = None
    commune_name: str = ""

    @property
    def display_title(self) -> str:
        """ "Le Maire de la Commune De PRADES" → "Le Maire de la Commune de Prades" once the
        commune is matched; the title as written otherwise."""
        if not self.commune_name:
            return self.title
        return re.sub(
            r"(?i)(commune)\s+(?:de|d')\s*.+$",
            lambda m: f"{m.group(1)} {_of_commune(self.commune_name)}",
            self.title,
        )


@dataclass
class ParsedAgreement:
    title: str = ""
    department: ParsedParty | None = None
    partner: ParsedParty | None = None
    duration_months: int | None = None
    tacit_renewal: bool | None = None
    opposition_notice_months: int | None = None
    hard_end_date: date | None = None
    notice_days: int | None = None  # Art. 7.1, termination for fault
    force_majeure_notice_days: int | None = None  # Art. 7.2
    communication_mention: str = ""
    jurisdiction: str = ""
    signed_at: str = ""
    original_copies: int | None = None
    signatories: list[ParsedSignatory] = field(default_factory=list)


@dataclass
class ImportResult:
    """Everything found in one document, and what stops it from being imported."""

    source: str = "texte"  # "texte", "csv", "xlsx", "ods"
    deliberation: ParsedDeliberation | None = None
    agreement: ParsedAgreement | None = None
    deliberation_rows: list[ParsedRow] = field(default_factory=list)
    convention_rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    discrepancies: list[str] = field(default_factory=list)
    matched: bool = False
    # The text the parser read (normalised) and, for each of its lines, the line of the
    # original it starts on.
    text: str = field(default="", repr=False)
    line_numbers: list[int] = field(default_factory=list, repr=False)
    placeholders: list[str] = field(default_factory=list)

    def line_number(self, index: int) -> int:
        """The original line number of the parsed text's line ``index`` (0-based)."""
        if 0 <= index < len(self.line_numbers):
            return self.line_numbers[index]
        return index + 1

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        """Plain data (dates as ISO strings), with the French labels a reader needs."""

        def row(r: ParsedRow) -> dict:
            return {
                **dataclasses.asdict(r),
                "summary": r.summary,
                "match_label": r.match_label,
                "place_to_create": r.place_to_create,
            }

        return _jsonable(
            {
                "source": self.source,
                "ok": self.ok,
                "deliberation": dataclasses.asdict(self.deliberation)
                if self.deliberation
                else None,
                "agreement": dataclasses.asdict(self.agreement) if self.agreement else None,
                "deliberation_rows": [row(r) for r in self.deliberation_rows],
                "convention_rows": [row(r) for r in self.convention_rows],
                "errors": self.errors,
                "warnings": self.warnings,
                "discrepancies": self.discrepancies,
                "placeholders": self.placeholders,
            }
        )

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, **kwargs)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
