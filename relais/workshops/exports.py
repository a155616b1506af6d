"""The programme of workshops (« annexe 2 » of the agreement) as PDF (WeasyPrint) and XLSX.

Like the agreements' documents, the PDF only reads local resources (file and data URLs).
"""

from datetime import date
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from relais.core import french
from relais.core.spreadsheets import xlsx_row
from relais.jobs.exports import Export, ExportKind, form_refused, identity, register
from relais.places.models import Place

from . import perms, queries
from .forms import EXPORT_FORMATS, ProgrammeForm

PDF_CSS = Path(__file__).resolve().parent / "templates" / "workshops" / "pdf" / "programme.css"
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
HEADERS = [
    "Lieu",
    "Commune",
    "Date",
    "Début",
    "Fin",
    "Atelier",
    "Niveau",
    "Animé par",
    "Places",
    "Inscrits",
    "Statut",
]


def _row(session) -> list:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return [
        session.place.name,
        session.place.commune.name,
        start.date(),
        french.french_time(start),
        french.french_time(end),
        session.topic.title,
        session.topic.get_level_display(),
        ", ".join(str(a) for a in session.advisors.all()),
        session.capacity,
        session.capacity - session.seats_left,
        session.get_status_display(),
    ]


def programme_rows(sessions) -> list[dict]:
    rows = []
    for session in sessions:
        start = timezone.localtime(session.starts_at)
        rows.append(
            {
                "session": session,
                "weekday": WEEKDAYS[start.weekday()],
                "cells": _row(session),
            }
        )
    return rows


def programme_title(place, first: date, last: date) -> str:
    where = place.name if place else "tous les lieux"
    return f"Programmation des ateliers — {where} — du {first:%d/%m/%Y} au {last:%d/%m/%Y}"


def programme_filename(place, first: date, last: date, extension: str) -> str:
    where = place.slug if place else "tous-les-lieux"
    return slugify(f"programme-ateliers-{where}-{first:%Y%m%d}-{last:%Y%m%d}") + f".{extension}"


def render_programme_pdf(sessions, *, place, first: date, last: date) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "workshops/pdf/programme.html",
        {
            "title": programme_title(place, first, last),
            "place": place,
            "rows": programme_rows(sessions),
            "department_name": settings.RELAIS_DEPARTMENT_NAME,
            "generated_on": timezone.localdate(),
        },
    )
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    stylesheet = CSS(filename=str(PDF_CSS), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher, base_url=str(PDF_CSS.parent)).write_pdf(
        stylesheets=[stylesheet]
    )


def render_programme_xlsx(sessions, *, place, first: date, last: date, counted=identity) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Annexe 2"
    # Every row through xlsx_row: titles, places and advisers' names are typed by people and
    # must never run as formulas (relais.core.spreadsheets).
    sheet.append(xlsx_row(sheet, [programme_title(place, first, last)]))
    sheet["A1"].font = Font(bold=True, size=13)
    department = f"{settings.RELAIS_DEPARTMENT_NAME} — état au {timezone.localdate():%d/%m/%Y}"
    sheet.append(xlsx_row(sheet, [department]))
    sheet.append([])
    sheet.append(xlsx_row(sheet, HEADERS))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in counted(programme_rows(sessions)):
        sheet.append(xlsx_row(sheet, row["cells"]))
        sheet.cell(row=sheet.max_row, column=3).number_format = "DD/MM/YYYY"
    widths = [30, 20, 12, 8, 8, 45, 14, 30, 8, 8, 12]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A5"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The export kind (relais.jobs.exports): the same writers for the immediate file and the job -
PROGRAMME_KEYS = ("place", "first", "last")


def programme_export(user, query, fmt: str) -> Export:
    """The programme of a place (or of every place the person sees) between two dates."""
    form = ProgrammeForm({**query.dict(), "format": fmt}, user=user)
    if not form.is_valid():
        raise form_refused(form)
    place, first, last = (form.cleaned_data[key] for key in PROGRAMME_KEYS)
    if place is not None and not perms.can_export_programme(user, place):
        raise PermissionDenied
    places = [place] if place else Place.objects.visible_to(user)
    params = {"first": first.isoformat(), "last": last.isoformat()}
    if place is not None:
        params["place"] = place.pk

    def write(counted):
        sessions = queries.programme(places=places, first=first, last=last)
        if fmt == "xlsx":
            yield render_programme_xlsx(
                sessions, place=place, first=first, last=last, counted=counted
            )
        else:
            yield render_programme_pdf(list(counted(sessions)), place=place, first=first, last=last)

    return Export(
        filename=programme_filename(place, first, last, fmt),
        size=queries.programme_count(places=places, first=first, last=last),
        params=urlencode(params), write=write, streamed=False, inline=fmt == "pdf",
    )  # fmt: skip


register(ExportKind(name="programme", label="Programme des ateliers",
                    formats=tuple(value for value, _ in EXPORT_FORMATS),
                    allowed=perms.can_export_programme, build=programme_export))  # fmt: skip
