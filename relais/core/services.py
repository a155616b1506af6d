"""Reference-data writes: importing communes, creating organisations."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from .models import Commune, Organisation
from .validators import INSEE_CODE_PATTERN, is_ascii_digits

COMMUNE_COLUMNS = ("nom", "code_postal", "latitude", "longitude")
# Optional: the official geographic code, published in the open data (``code_insee``).
INSEE_COLUMN = "code_insee"


@dataclass
class CommuneImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_decimal(raw: str, label: str, low: int, high: int) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise ValueError(f"{label} « {raw} » n'est pas un nombre") from None
    if not value.is_finite() or not low <= value <= high:
        raise ValueError(f"{label} {raw} hors de l'intervalle [{low} ; {high}]")
    return value.quantize(Decimal("0.00001"))


def _read_commune_rows(text: str, department_code: str) -> tuple[list[Commune], list[str]]:
    """Parse and validate every row; returns the communes and line-numbered French errors."""
    # The export may come from a spreadsheet in French locale: accept ";" as well as ",".
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COMMUNE_COLUMNS if c not in header]
    if missing:
        return [], [
            f"Ligne 1 : colonne(s) manquante(s) : {', '.join(missing)} "
            f"(attendu : {', '.join(COMMUNE_COLUMNS)})."
        ]
    reader.fieldnames = header
    communes, errors, seen = [], [], {}
    name_length = Commune._meta.get_field("name").max_length
    for line, row in enumerate(reader, start=2):
        problems = []
        if any("\x00" in (value or "") for value in row.values() if isinstance(value, str)):
            # PostgreSQL cannot store it; the rest of the line would be read wrong anyway.
            errors.append(f"Ligne {line} : caractère nul (\\x00) : la ligne est illisible.")
            continue
        name = (row.get("nom") or "").strip()
        postal_code = (row.get("code_postal") or "").strip()
        if not name:
            problems.append("le nom est vide")
        elif len(name) > name_length:
            problems.append(f"le nom dépasse {name_length} caractères ({len(name)})")
        elif name.lower() in seen:
            problems.append(f"la commune « {name} » figure déjà ligne {seen[name.lower()]}")
        if len(postal_code) != 5 or not is_ascii_digits(postal_code):
            problems.append(f"code postal « {postal_code[:20]} » invalide (5 chiffres attendus)")
        insee_code = (row.get(INSEE_COLUMN) or "").strip().upper()
        if insee_code and not INSEE_CODE_PATTERN.fullmatch(insee_code):
            problems.append(f"code INSEE « {insee_code[:20]} » invalide (ex. : 66149)")
        coordinates = {}
        for column, label, low, high in (
            ("latitude", "latitude", -90, 90),
            ("longitude", "longitude", -180, 180),
        ):
            try:
                coordinates[column] = _parse_decimal(row.get(column) or "", label, low, high)
            except ValueError as error:
                problems.append(str(error))
        if problems:
            errors.append(f"Ligne {line} : " + " ; ".join(problems) + ".")
            continue
        seen[name.lower()] = line
        communes.append(
            Commune(
                name=name,
                postal_code=postal_code,
                insee_code=insee_code,
                department_code=department_code,
                **coordinates,
            )
        )
    if not communes and not errors:
        errors.append("Le fichier ne contient aucune commune.")
    return communes, errors


@transaction.atomic
def communes_import(*, text: str, department_code: str) -> CommuneImportReport:
    """Create or update the communes of a département from a CSV text.

    Columns: ``nom,code_postal,latitude,longitude`` (the format of the bundled
    ``communes-66.csv``), and optionally ``code_insee``. All or nothing: when any row is
    invalid, nothing is written and the report lists every error with its line number.
    Re-importing the same file changes nothing.
    """
    report = CommuneImportReport()
    communes, report.errors = _read_commune_rows(text, department_code)
    if report.errors:
        return report
    existing = {c.name.lower(): c for c in Commune.objects.for_department(department_code)}
    for commune in communes:
        current = existing.get(commune.name.lower())
        if current is None:
            commune.full_clean()
            commune.save()
            report.created += 1
            continue
        changed = False
        # A file without the INSEE code keeps the one a previous import recorded.
        attrs = ["name", "postal_code", "latitude", "longitude"]
        if commune.insee_code:
            attrs.append("insee_code")
        for attr in attrs:
            if getattr(current, attr) != getattr(commune, attr):
                setattr(current, attr, getattr(commune, attr))
                changed = True
        if changed:
            current.full_clean()
            current.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def organisation_create(*, kind: str, name: str, **fields) -> Organisation:
    """Create an organisation (the Département or a partner) after full validation."""
    organisation = Organisation(kind=kind, name=name, **fields)
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_upsert(*, name: str, defaults: dict) -> tuple[Organisation, bool]:
    """Create the organisation called ``name`` or bring it up to date with ``defaults``."""
    organisation = Organisation.objects.filter(name=name).first()
    created = organisation is None
    if created:
        organisation = Organisation(name=name)
    for attr, value in defaults.items():
        setattr(organisation, attr, value)
    organisation.full_clean()
    organisation.save()
    return organisation, created
