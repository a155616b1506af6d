"""The annual review (« bilan de la mise en œuvre du dispositif », Art. 3.4), per partner or for
the whole département, as an HTML page and an A4 PDF (WeasyPrint) built from the same data.

Sources: key figures, themes, profiles and the monthly series from ``relais.reporting.stats``
(computed live: a review is produced a few times a year and must match the activities exactly),
charts from ``relais.reporting.charts``, permanences (coverage of the Art. 1.2 commitments),
departmental workshops and attendance from ``relais.monthly.figures.period_figures``, the
monthly reports' status, and the committee's meetings and action items of the year.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from relais.monthly.enums import ReportStatus
from relais.monthly.figures import partner_places, period_figures
from relais.monthly.models import MonthlyReport
from relais.reporting import charts, disclosure, stats

from .figures import HeadlineFigures, headline_figures, whole_half_days
from .models import ActionItem, Meeting

PDF_CSS = Path(__file__).resolve().parent / "templates" / "committee" / "pdf" / "review.css"


@dataclass
class Review:
    year: int
    partner: object | None
    totals: object
    figures: dict
    themes: object
    ages: object
    series: list
    charts: dict[str, str]  # name → SVG document
    reports: dict
    meetings: list
    actions: list
    headline: HeadlineFigures | None = None
    today: date | None = None
    # Statistical disclosure control (relais.reporting.disclosure): the figures as published.
    published: disclosure.Published | None = None

    @property
    def has_secrets(self) -> bool:
        """Some figure is « secret statistique » (the headline then reads without plurals)."""
        return bool(self.published and self.published.secret)

    @property
    def scope_label(self) -> str:
        return str(self.partner) if self.partner else settings.RELAIS_DEPARTMENT_NAME

    @property
    def provisional(self) -> bool:
        """The year is not over: the figures still move."""
        return self.today is not None and self.today < date(self.year, 12, 31)

    @property
    def period_end(self) -> date:
        return (
            min(self.today, date(self.year, 12, 31))
            if self.provisional
            else date(self.year, 12, 31)
        )

    @property
    def title(self) -> str:
        suffix = f" (provisoire, au {self.today:%d/%m/%Y})" if self.provisional else ""
        return f"Bilan {self.year} — {self.scope_label}{suffix}"

    @property
    def named_holders(self) -> bool:
        """Some action is carried by a member, named (the footer must say so)."""
        return any(item.owner_member_id for item in self.actions)


def _report_status(year: int, partner) -> dict:
    reports = MonthlyReport.objects.filter(month__year=year).current()
    if partner is not None:
        reports = reports.filter(partner=partner)
    counts = {status: 0 for status in ReportStatus.values}
    for status in reports.values_list("status", flat=True):
        counts[status] += 1
    return {"validated": counts[ReportStatus.VALIDATED], "total": sum(counts.values()), **counts}


def _protected(filters, totals, themes, ages, series, headline: HeadlineFigures):
    """The review's statistics and headline under statistical disclosure control: a review
    leaves the application (committee, partners, printed)."""
    published = disclosure.protect(
        stats.Dashboard(filters, totals, {"theme": themes, "age": ages}, series, timezone.now()),
        extra={
            "headline.people": headline.people,
            "headline.without_record": headline.accompaniments_without_record,
        },
        relations=[
            # Without a record: the workshops' participants and the anonymous individuals.
            disclosure.sum_equation(
                "headline.without_record",
                ["totals.workshop_participants", "totals.anonymous_individual"],
            )
        ],
    )
    t, extra = published.totals, published.extra
    headline = replace(
        headline,
        activities=t.activities,
        individual=t.individual,
        collective=t.collective,
        accompaniments=t.accompaniments,
        accompaniments_without_record=extra["headline.without_record"],
        people=extra["headline.people"],
        hours=disclosure.SECRET if t.activities is disclosure.SECRET else headline.hours,
    )
    return published, headline


def annual_review(
    *, year: int, partner=None, today: date | None = None, exact: bool = False
) -> Review:
    """``exact``: the figures as they are, for the controller's staff
    (``reporting.perms.sees_exact_figures``); else under statistical disclosure control."""
    today = today or timezone.localdate()
    first, last = date(year, 1, 1), date(year, 12, 31)
    filters = stats.StatsFilters(
        start=first, end=last, partners=(partner.pk,) if partner is not None else ()
    )
    totals = stats.totals(filters, source="live")
    themes = stats.breakdown(filters, "theme", source="live")
    ages = stats.breakdown(filters, "age", source="live", result=totals)
    series = stats.monthly_series(filters, months=12, source="live")
    places = partner_places(partner) if partner is not None else None
    figures = period_figures(places, first, last, today)
    meetings = list(Meeting.objects.filter(date__year=year).order_by("date"))
    actions = ActionItem.objects.filter(meeting__date__year=year).select_related(
        "owner_member", "partner", "meeting"
    )
    if partner is not None:
        actions = actions.filter(partner=partner)
    headline = headline_figures(
        first=first,
        last=last,
        partner=partner,
        committed_by_place={
            row["place_id"]: Decimal(str(row["committed"]))
            for row in figures["permanences"]["places"]
        },
    )
    # Per place: committed in whole half-days, held as actually held (activities).
    for row in figures["permanences"]["places"]:
        row["committed"] = whole_half_days(row["committed"])
        row["held"] = headline.held_by_place.get(row["place_id"], 0)
    published = None
    if not exact:
        published, headline = _protected(filters, totals, themes, ages, series, headline)
        totals, series = published.totals, published.series
        themes, ages = published.breakdowns["theme"], published.breakdowns["age"]
    coverage_rows = [(row["place"], int(row["held"])) for row in figures["permanences"]["places"]]
    review_charts = {
        "series": charts.series_chart(series, title=f"Activités et accompagnements en {year}"),
        "themes": charts.breakdown_chart(disclosure.chartable(themes)),
        "ages": charts.breakdown_chart(disclosure.chartable(ages)),
    }
    if coverage_rows:
        review_charts["held"] = charts.bar_chart(
            "Demi-journées de permanence tenues par lieu", coverage_rows, unit="demi-journées"
        )
    return Review(
        year=year,
        partner=partner,
        totals=totals,
        figures=figures,
        themes=themes,
        ages=ages,
        series=series,
        charts=review_charts,
        reports=_report_status(year, partner),
        meetings=meetings,
        actions=list(actions.order_by("due_on", "pk")),
        headline=headline,
        today=today,
        published=published,
    )


def render_review_pdf(review: Review) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "committee/pdf/review.html",
        {
            "review": review,
            "figures": review.figures,
            # WeasyPrint draws inline SVG; the HTML page uses <img> (CSP, see charts.py).
            "charts": {name: mark_safe(svg) for name, svg in review.charts.items()},
            "department_name": settings.RELAIS_DEPARTMENT_NAME,
            "generated_on": timezone.localdate(),
        },
    )
    # Local resources only: generating the document never touches the network.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    stylesheet = CSS(filename=str(PDF_CSS), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher, base_url=str(PDF_CSS.parent)).write_pdf(
        stylesheets=[stylesheet]
    )
