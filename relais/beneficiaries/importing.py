"""XLSX import of beneficiaries: read, check every line, preview, then import all or nothing.

The first row holds the headers (French, any case, accents optional); the order of the columns
does not matter and unknown columns are reported. Every error names its spreadsheet line
(« Ligne 4 : … ») so the adviser can fix the file and upload it again. Between the preview and
the confirmation the checked rows travel back to the browser in a signed field, so nothing is
kept on the server before the adviser confirms. The signed field carries a random key too:
the confirmation stores it (``BeneficiaryImport``, unique), so a preview is imported once only.

The file is sized up before it is parsed (``relais.core.spreadsheets.check_upload``: at most
RELAIS_IMPORT_MAX_ROWS lines, a bounded amount of XML, no DTD), then read by calamine, whose
cost is then bounded too; openpyxl took seconds on a few megabytes of shared strings.
"""

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from python_calamine import CalamineError, CalamineWorkbook

from relais.core.models import Commune
from relais.core.spreadsheets import (
    SpreadsheetTooLarge,
    SpreadsheetUnreadable,
    check_upload,
    import_max_rows,
)
from relais.core.validators import is_ascii_digits

from .enums import Gender, SocialStatus
from .models import Beneficiary
from .normalise import fold, name_key
from .queries import beneficiary_duplicates

SIGNING_SALT = "relais.beneficiaries.import"
SIGNATURE_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation

# Column header (folded) → field name; the labels are what the page lists.
COLUMNS = {
    "prenom": ("first_name", "Prénom"),
    "nom": ("last_name", "Nom"),
    "annee de naissance": ("birth_year", "Année de naissance"),
    "genre": ("gender", "Genre (Femme, Homme ou vide)"),
    "statut": ("social_status", "Statut (Scolarisé, Sans emploi, En emploi, Retraité ou vide)"),
    "commune": ("commune", "Commune de résidence"),
    "telephone": ("phone", "Téléphone"),
    "e mail": ("email", "E-mail"),
    "consentement le": ("consent_given_on", "Consentement le (date)"),
    "version de la mention": ("consent_text_version", "Version de la mention d'information"),
}
ALIASES = {
    "email": "e mail",
    "courriel": "e mail",
    "tel": "telephone",
    "naissance": "annee de naissance",
}

GENDERS = {
    "femme": Gender.FEMALE,
    "f": Gender.FEMALE,
    "homme": Gender.MALE,
    "h": Gender.MALE,
    "m": Gender.MALE,
}
STATUSES = {fold(label): value for value, label in SocialStatus.choices} | {
    "scolarise": SocialStatus.IN_SCHOOL,
    "scolarisee": SocialStatus.IN_SCHOOL,
    "retraite": SocialStatus.RETIRED,
    "retraitee": SocialStatus.RETIRED,
    "sans emploi": SocialStatus.UNEMPLOYED,
    "en emploi": SocialStatus.EMPLOYED,
}


@dataclass
class ImportPreview:
    rows: list[dict] = field(default_factory=list)  # JSON-safe values, with their "line"
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_row(line: int, raw: dict, communes: dict, errors: list[str]) -> dict | None:
    row = {"line": line}
    problems = []
    for name in ("first_name", "last_name", "phone", "email", "consent_text_version"):
        row[name] = _text(raw.get(name))
    year = _text(raw.get("birth_year"))
    row["birth_year"] = None
    if year:
        if is_ascii_digits(year) and len(year) <= 4:  # int() refuses 5,000 digits (500)
            row["birth_year"] = int(year)
        else:
            problems.append(f"année de naissance « {year} » : un nombre à 4 chiffres est attendu")
    gender = fold(_text(raw.get("gender")))
    row["gender"] = GENDERS.get(gender, Gender.UNKNOWN if not gender else None)
    if row["gender"] is None:
        problems.append(f"genre « {_text(raw.get('gender'))} » inconnu (Femme, Homme ou vide)")
    status = fold(_text(raw.get("social_status")))
    row["social_status"] = STATUSES.get(status, SocialStatus.UNKNOWN if not status else None)
    if row["social_status"] is None:
        problems.append(f"statut « {_text(raw.get('social_status'))} » inconnu")
    commune = _text(raw.get("commune"))
    row["commune"] = None
    if commune:
        row["commune"] = communes.get(fold(commune))
        if row["commune"] is None:
            problems.append(f"commune « {commune} » introuvable dans le département")
    consent = raw.get("consent_given_on")
    row["consent_given_on"] = None
    if isinstance(consent, datetime | date):
        row["consent_given_on"] = (
            consent.date() if isinstance(consent, datetime) else consent
        ).isoformat()
    elif _text(consent):
        try:
            row["consent_given_on"] = (
                datetime.strptime(_text(consent), "%d/%m/%Y").date().isoformat()
            )
        except ValueError:
            problems.append(f"date de consentement « {_text(consent)} » : JJ/MM/AAAA attendu")
    if not (row["first_name"] or row["last_name"]):
        problems.append("nom ou prénom obligatoire")
    if not problems:
        try:
            build_beneficiary(row, created_by=None).full_clean(exclude=["created_by"])
        except ValidationError as error:
            problems += [
                f"{_label(name)} : {' '.join(messages)}"
                for name, messages in error.message_dict.items()
            ]
    for problem in problems:
        errors.append(f"Ligne {line} : {problem}.")
    return None if problems else row


def _label(field_name: str) -> str:
    if field_name == "__all__":
        return "ligne"
    return str(Beneficiary._meta.get_field(field_name).verbose_name)


def build_beneficiary(row: dict, *, created_by) -> Beneficiary:
    values = {k: v for k, v in row.items() if k not in {"line", "commune"}}
    if values.get("consent_given_on"):
        values["consent_given_on"] = date.fromisoformat(values["consent_given_on"])
    return Beneficiary(**values, commune_id=row.get("commune"), created_by=created_by)


UNREADABLE = "Fichier illisible : enregistrez-le au format Excel .xlsx."


class _UnreadableFile(Exception):
    pass


def _sheet_rows(content: bytes) -> list[list]:
    """The first sheet's rows from A1 (so that positions are the spreadsheet's lines)."""
    check_upload(content, "xlsx")  # refuses before calamine reads anything
    try:
        sheet = CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0)
        return sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError) as error:
        raise _UnreadableFile from error


def read_workbook(file) -> ImportPreview:
    """Check every line of an uploaded workbook; ``preview.ok`` when it can be imported."""
    return read_content(file.read())


Progress = Callable[[int, int | None], None]
PROGRESS_LINES = 200  # a job's progress is written every this many lines


def read_content(content: bytes, *, progress: Progress | None = None) -> ImportPreview:
    """Check every line of a workbook's bytes: the page's preview and the import job's check.

    A file that cannot be read gives one « Fichier illisible » error and no row; a file past
    the limits, one error saying which limit, before any line is read. ``progress(done,
    total)`` is called every :data:`PROGRESS_LINES` lines (an import job shows it)."""
    try:
        sheet = _sheet_rows(content)
    except SpreadsheetTooLarge as error:
        return ImportPreview(errors=[str(error)])
    except (_UnreadableFile, SpreadsheetUnreadable):
        return ImportPreview(errors=[UNREADABLE])
    total = max(len(sheet) - 1, 0)
    return _check_rows(iter(sheet), progress=progress, total=total)


def refused_before_reading(content: bytes) -> ImportPreview | None:
    """The preview of a file refused on its size alone (cheap: no line is parsed), else None.

    The page calls it before handing a large file to a worker, so that a file past the limits
    is refused at once, as on the immediate path."""
    try:
        check_upload(content, "xlsx")
    except SpreadsheetTooLarge as error:
        return ImportPreview(errors=[str(error)])
    except SpreadsheetUnreadable:
        return ImportPreview(errors=[UNREADABLE])
    return None


class JobSteps:
    """The import job's two steps (relais.jobs ImportJob, for files past
    RELAIS_IMPORT_JOB_BYTES): the page's check and the page's confirmation, unchanged."""

    PREVIEW_COLUMNS = (("last_name", "Nom"), ("first_name", "Prénom"), ("birth_year", "Année"))

    @staticmethod
    def check(*, job, content: bytes, progress: Progress) -> ImportPreview:
        return read_content(content, progress=progress)

    @staticmethod
    def write(*, job, rows: list[dict]) -> tuple[int, int]:
        from .services import beneficiaries_import  # services imports this module

        created = beneficiaries_import(
            rows=rows, created_by=job.requested_by, key=f"import-job-{job.pk}"
        )
        return len(created), 0


JOB_STEPS = "relais.beneficiaries.importing.JobSteps"


def _check_rows(
    lines: Iterator[list], *, progress: Progress | None = None, total: int | None = None
) -> ImportPreview:
    preview = ImportPreview()
    headers = next(lines, None)
    if not headers:
        preview.errors.append("Ligne 1 : en-têtes absents.")
        return preview
    columns = {}
    for index, header in enumerate(headers):
        key = fold(_text(header))
        key = ALIASES.get(key, key)
        if not key:
            continue
        if key not in COLUMNS:
            preview.errors.append(f"Ligne 1 : colonne « {_text(header)} » inconnue.")
        else:
            columns[index] = COLUMNS[key][0]
    if "last_name" not in columns.values() and "first_name" not in columns.values():
        preview.errors.append("Ligne 1 : il faut au moins une colonne « Nom » ou « Prénom ».")
    if preview.errors:
        return preview
    communes = {
        fold(name): pk
        for pk, name in Commune.objects.for_department(settings.RELAIS_DEPARTMENT_CODE).values_list(
            "pk", "name"
        )
    }
    seen = {}
    for line, values in enumerate(lines, start=2):
        done = line - 2  # lines checked before this one
        if progress is not None and done and done % PROGRESS_LINES == 0:
            progress(done, total)
        if all(_text(v) == "" for v in values):
            continue
        if line > import_max_rows():  # check_upload refused such a file already
            preview.errors.append(f"Ligne {line} : plus de {import_max_rows()} lignes.")
            break
        raw = {columns[i]: v for i, v in enumerate(values) if i in columns}
        row = _parse_row(line, raw, communes, preview.errors)
        if row is None:
            continue
        identity = (name_key(row["last_name"], row["first_name"]), row["birth_year"])
        if identity in seen:
            preview.warnings.append(
                f"Ligne {line} : même personne qu'à la ligne {seen[identity]} ?"
            )
        seen.setdefault(identity, line)
        if beneficiary_duplicates(
            **{k: row[k] for k in ("first_name", "last_name", "birth_year", "phone", "email")}
        ):
            preview.warnings.append(f"Ligne {line} : une fiche existe peut-être déjà.")
        preview.rows.append(row)
    if not preview.rows and not preview.errors:
        preview.errors.append("Le fichier ne contient aucune ligne à importer.")
    if progress is not None:
        progress(total or 0, total)
    return preview


@dataclass(frozen=True)
class SignedPreview:
    key: str  # random, stored at confirmation (BeneficiaryImport.key): one import per preview
    rows: list[dict]


def sign_rows(rows: list[dict]) -> str:
    payload = {"key": secrets.token_urlsafe(24), "rows": rows}
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def unsign_rows(token: str) -> SignedPreview:
    """Raises ``signing.BadSignature`` (or ``SignatureExpired``) on a tampered/old token."""
    payload = signing.loads(token, salt=SIGNING_SALT, max_age=SIGNATURE_MAX_AGE)
    if not isinstance(payload, dict) or not isinstance(payload.get("key"), str):
        raise signing.BadSignature("Preview token without a key")
    return SignedPreview(key=payload["key"], rows=payload["rows"])
