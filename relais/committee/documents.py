"""Printable documents of a meeting (WeasyPrint, A4): its minutes and its attendance sheet.

Local resources only: generating a document never touches the network.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Meeting
from .queries import meeting_invitees

PDF_DIR = Path(__file__).resolve().parent / "templates" / "committee" / "pdf"


def _render(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    html = render_to_string(
        template,
        {
            **context,
            "department_name": settings.RELAIS_DEPARTMENT_NAME,
            "generated_on": timezone.localdate(),
        },
    )
    stylesheet = CSS(filename=str(PDF_DIR / "meeting.css"), url_fetcher=fetcher)
    return HTML(string=html, base_url=str(PDF_DIR), url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )


def render_minutes_pdf(meeting: Meeting) -> bytes:
    return _render(
        "committee/pdf/minutes.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.select_related("organisation").order_by("full_name"),
            "actions": meeting.action_items.select_related("owner_member", "partner"),
        },
    )


def render_attendance_sheet_pdf(meeting: Meeting) -> bytes:
    """One line per member sitting on the meeting's day, with room to sign, and blank lines for
    guests."""
    members = meeting_invitees(meeting).select_related("organisation").order_by("full_name")
    return _render(
        "committee/pdf/attendance.html",
        {"meeting": meeting, "members": members, "blank_lines": range(4)},
    )
