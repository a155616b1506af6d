"""Exports of the activities (one row per activity) and of the statistics: CSV, XLSX, ODS.

Never a beneficiary's name, contact or private note: activity rows are read with
``values_list`` over an explicit column list (``ACTIVITY_COLUMNS``) — the beneficiary appears
only as « suivie : oui/non » — and the adviser's name only for the Département's team.

Memory (constant whatever the number of rows):

* **CSV** is streamed: rows are read by keyset pages of ``CHUNK`` activities (plus one query for
  their themes) and written as they come (``StreamingHttpResponse``). UTF-8; ``;`` separator on
  request (French spreadsheets), with an optional BOM so Excel detects UTF-8.
* **XLSX** is written by openpyxl in ``write_only`` mode into a temporary file, then streamed
  (``FileResponse``); the download starts once the file is complete.
* **ODS** is streamed too (stream-write-ods: the zip and its ``content.xml`` are written as the
  rows come). Past ``ODS_ZIP32_MAX_ROWS`` activities the file may pass 4 GiB uncompressed, so
  it is written as Zip64 (LibreOffice 7.6 or later); below, as a plain zip every version reads.

In every format a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe (``relais.core.spreadsheets``): a workshop title or a place
name never runs as a formula in the spreadsheet of whoever opens the export.

Columns follow the Coop's activity export (date, type, lieu, durée, thématiques with the Coop's
codes, matériel, autonomie, orientation, atelier, participants and their breakdowns).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlencode

from django.db.models.functions import Coalesce
from django.utils import timezone

from relais.activities.enums import (
    BREAKDOWNS,
    COOP_CODES,
    ActivityKind,
    Autonomy,
    Equipment,
    Level,
    LocationKind,
    Referral,
    Theme,
    count_field,
)
from relais.activities.models import EQUIPMENT_FIELDS, ActivityTheme
from relais.jobs.exports import (
    Export,
    ExportKind,
    canonical_params,
    form_refused,
    register,
    spreadsheet_blocks,
)

from . import disclosure, perms, stats
from .disclosure import cell_value
from .filters import StatsFilterForm
from .models import DURATION_BUCKETS
from .stats import Dashboard, StatsFilters, _live_queryset

CHUNK = 2000
# An activity row of ODS XML is about 4.5 KB (45 cells); 250,000 rows stay far below the 4 GiB
# of a plain zip entry even with long workshop titles.
ODS_ZIP32_MAX_ROWS = 250_000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}

_COUNT_COLUMNS = [
    (count_field(prefix, value), f"{label_prefix} : {label}")
    for prefix, label_prefix in (("gender", "Genre"), ("age", "Âge"), ("status", "Statut"))
    for value, label in BREAKDOWNS[prefix].choices
]
# (header, values_list field); the fields are the whole of what is read from the database.
ACTIVITY_COLUMNS = [
    ("Identifiant", "pk"),
    ("Date", "date"),
    ("Type", "kind"),
    ("Durée (min)", "duration_minutes"),
    ("Lieu d'accompagnement", "location_kind"),
    ("Lieu d'activité", "place__name"),
    ("Commune", "commune_name"),
    ("Structure", "place__partner__name"),
    ("Autonomie", "autonomy"),
    ("Orientation", "referral"),
    ("Titre de l'atelier", "title"),
    ("Niveau", "level"),
    ("Participants", "participants_count"),
    ("Personne suivie", "beneficiary_id"),
    *[(f"Matériel : {label}", EQUIPMENT_FIELDS[value]) for value, label in Equipment.choices],
    *[(header, name) for name, header in _COUNT_COLUMNS],
]
ADVISOR_COLUMNS = [("Conseiller", "advisor__user__first_name"), ("", "advisor__user__last_name")]
LABELS = {
    "kind": dict(ActivityKind.choices),
    "location_kind": dict(LocationKind.choices),
    "autonomy": dict(Autonomy.choices),
    "referral": dict(Referral.choices),
    "level": dict(Level.choices),
}
THEME_LABELS = dict(Theme.choices)


def activity_header(*, with_advisor: bool) -> list[str]:
    header = [h for h, _ in ACTIVITY_COLUMNS[:4]]
    if with_advisor:
        header.append("Conseiller")
    header += [h for h, _ in ACTIVITY_COLUMNS[4:]]
    return [*header, "Thématiques", "Thématiques (codes Coop)"]


def activity_count(filters: StatsFilters) -> int:
    return _live_queryset(filters, by_theme=False).count()


def activity_rows(filters: StatsFilters, *, with_advisor: bool) -> Iterator[list]:
    """The activities of ``filters`` (scoped beforehand), oldest record first, as lists of
    cells in the order of :func:`activity_header`. Keyset pages of ``CHUNK`` rows."""
    fields = [f for _, f in ACTIVITY_COLUMNS]
    if with_advisor:
        fields += [f for _, f in ADVISOR_COLUMNS]
    qs = (
        _live_queryset(filters, by_theme=False)
        .annotate(commune_name=Coalesce("place__commune__name", "beneficiary__commune__name"))
        .order_by("pk")
        .values_list(*fields)
    )
    positions = {name: i for i, name in enumerate(fields)}
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        themes = defaultdict(list)
        for activity_id, theme in (
            ActivityTheme.objects.filter(activity_id__in=[r[0] for r in chunk])
            .order_by("activity_id", "theme")
            .values_list("activity_id", "theme")
        ):
            themes[activity_id].append(theme)
        for row in chunk:
            cells = []
            for _, name in ACTIVITY_COLUMNS:
                value = row[positions[name]]
                if name in LABELS:
                    value = LABELS[name].get(value, "")
                elif name == "beneficiary_id":
                    value = "oui" if value else "non"  # the id itself never leaves
                elif isinstance(value, bool):
                    value = "oui" if value else "non"
                elif value is None:
                    value = ""
                cells.append(value)
            if with_advisor:
                name = f"{row[positions['advisor__user__first_name']]} "
                name += row[positions["advisor__user__last_name"]]
                cells.insert(4, name.strip())
            own = themes.get(row[0], [])
            cells.append(", ".join(THEME_LABELS[t] for t in own))
            cells.append(", ".join(COOP_CODES[Theme(t)] for t in own))
            yield cells
        last = chunk[-1][0]


def stats_tables(result: Dashboard) -> list[tuple[str, list[str], list[list]]]:
    """The dashboard as (sheet title, header, rows) tables. A figure under statistical
    disclosure control (``disclosure.protect``) reads « secret statistique »."""
    tables = _stats_tables(result)
    return [
        (title, header, [[cell_value(value) for value in row] for row in table_rows])
        for title, header, table_rows in tables
    ]


def _stats_tables(result: Dashboard) -> list[tuple[str, list[str], list[list]]]:
    t = result.totals
    indicators = [
        ["Activités", t.activities],
        ["Accompagnements individuels", t.individual],
        ["Ateliers collectifs", t.collective],
        ["Accompagnements (personnes × séances)", t.accompaniments],
        ["Participants aux ateliers", t.workshop_participants],
        ["Nouveaux bénéficiaires suivis", t.new_beneficiaries],
        ["Accompagnements de bénéficiaires déjà venus", t.returning_visits],
        ["Accompagnements individuels anonymes", t.anonymous_individual],
        ["Heures d'accompagnement", t.hours],
    ]
    tables = [("Indicateurs", ["Indicateur", "Valeur"], indicators)]
    for item in result.breakdowns.values():
        tables.append(
            (
                item.title,
                [item.title, "Activités", "Accompagnements"],
                [
                    [
                        r.label,
                        "" if r.activities is None else r.activities,
                        "" if r.accompaniments is None else r.accompaniments,
                    ]
                    for r in item.rows
                ],
            )
        )
    tables.append(
        (
            "Série mensuelle",
            ["Mois", "Activités", "Accompagnements", "Nouveaux bénéficiaires", "Revenus"],
            [
                [
                    f"{p.month:%Y-%m}",
                    p.activities,
                    p.accompaniments,
                    p.new_beneficiaries,
                    p.returning_visits,
                ]
                for p in result.series
            ],
        )
    )
    return tables


def stats_long_rows(tables) -> tuple[list[str], Iterator[list]]:
    """The tables as one tidy table for CSV: (tableau, libellé, mesure, valeur)."""

    def generate():
        for title, header, table_rows in tables:
            for row in table_rows:
                for measure, value in zip(header[1:], row[1:], strict=True):
                    if value != "":
                        yield [title, row[0], measure if len(header) > 2 else "", value]

    return ["Tableau", "Libellé", "Mesure", "Valeur"], generate()


__all__ = ["DURATION_BUCKETS"]


# --- The export kinds (relais.jobs.exports): one writer for the immediate file and the job ------

# The filter form's fields, and the CSV options (« ; » for French spreadsheets, a BOM for Excel).
FILTER_KEYS = ("partner", "place", "advisor", "commune", "theme", "kind")
CSV_KEYS = ("sep", "bom")


def _filters(user, query):
    """The scoped filters of ``query`` and their canonical query string, with the period
    written out: a job built tomorrow still exports the months asked today."""
    form = StatsFilterForm(query or None, user=user)
    if form.is_bound and not form.is_valid():
        raise form_refused(form)
    filters = stats.scoped_filters(user, form.filters())
    params = canonical_params(query, (*FILTER_KEYS, *CSV_KEYS))
    period = urlencode({"start": f"{filters.start:%Y-%m}", "end": f"{filters.end:%Y-%m}"})
    return filters, f"{period}&{params}" if params else period


def _csv_options(query) -> dict:
    return {"delimiter": ";" if query.get("sep") in {"semicolon", ";"} else ",",
            "bom": query.get("bom") == "1"}  # fmt: skip


def _filename(stem: str, fmt: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def activities_export(user, query, fmt: str) -> Export:
    """One row per activity (never a beneficiary's name), for whoever may export them."""
    filters, params = _filters(user, query)
    with_advisor = perms.sees_advisor_names(user)
    size = activity_count(filters)

    def write(counted):
        header = activity_header(with_advisor=with_advisor)
        rows = counted(activity_rows(filters, with_advisor=with_advisor))
        yield from spreadsheet_blocks(
            fmt, [("Activités", header, rows)], zip64=size > ODS_ZIP32_MAX_ROWS,
            **_csv_options(query),
        )  # fmt: skip

    return Export(filename=_filename("activites", fmt), size=size, params=params, write=write)


def published(user, filters):
    """The dashboard's figures: exact for the controller's staff, under statistical disclosure
    control for everybody else."""
    result = stats.dashboard(filters)
    if perms.sees_exact_figures(user):
        return disclosure.exact(result)
    return disclosure.protect(result)


def statistics_export(user, query, fmt: str) -> Export:
    """The dashboard's tables; its cost grows with the activities it reads (its size here)."""
    filters, params = _filters(user, query)

    def write(counted):
        tables = [
            (title, header, counted(rows))
            for title, header, rows in stats_tables(published(user, filters))
        ]
        yield from spreadsheet_blocks(
            fmt, tables, csv_table=stats_long_rows(tables) if fmt == "csv" else None,
            **_csv_options(query),
        )  # fmt: skip

    return Export(
        filename=_filename("statistiques", fmt), size=activity_count(filters), params=params,
        write=write,
    )  # fmt: skip


def _can_export_activities(user) -> bool:
    return perms.can_view_statistics(user) and perms.can_export_activities(user)


register(ExportKind(name="activities", label="Activités", formats=tuple(FORMATS),
                    allowed=_can_export_activities, build=activities_export))  # fmt: skip
register(ExportKind(name="statistics", label="Statistiques", formats=tuple(FORMATS),
                    allowed=perms.can_view_statistics, build=statistics_export))  # fmt: skip
