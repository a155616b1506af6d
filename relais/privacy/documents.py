"""The record of processing as an A4 PDF (WeasyPrint), from the same data as the page."""

from pathlib import Path

from django.template.loader import render_to_string

from . import queries

PDF_STYLESHEET = Path(__file__).resolve().parent / "templates" / "privacy" / "pdf" / "record.css"


def render_processing_record_pdf() -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # Local resources only: generating the document never touches the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    html = render_to_string("privacy/pdf/record.html", queries.processing_record())
    stylesheet = CSS(filename=str(PDF_STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, base_url=str(PDF_STYLESHEET.parent), url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])
