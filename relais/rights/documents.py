"""The PDF copy of everything held about a person (art. 15), in the record of processing's style."""

from pathlib import Path

from django.apps import apps
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher


def export_pdf(data: dict) -> bytes:
    directory = Path(apps.get_app_config("privacy").path) / "templates" / "privacy" / "pdf"
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    html = render_to_string("rights/pdf/rights_export.html", {"data": data})
    stylesheet = CSS(filename=str(directory / "record.css"), url_fetcher=fetcher)
    return HTML(string=html, base_url=str(directory), url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )
