"""Statistics dashboard and exports. Thin: the figures come from ``stats``, the files from
``exports``; ``perms`` decides who sees what."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from relais.core.spreadsheets import csv_stream, ods_stream, xlsx_file
from relais.jobs.services import export_request

from . import charts, disclosure, exports, perms, stats
from .filters import StatsFilterForm


def _filters(request):
    if not perms.can_view_statistics(request.user):
        raise PermissionDenied
    form = StatsFilterForm(request.GET or None, user=request.user)
    return form, stats.scoped_filters(request.user, form.filters())


def _published(request, filters) -> disclosure.Published:
    """Exact figures for the controller's staff, statistical disclosure control for others."""
    result = stats.dashboard(filters)
    if perms.sees_exact_figures(request.user):
        return disclosure.exact(result)
    return disclosure.protect(result)


def _filename(stem: str, fmt: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"


@login_required
def dashboard(request):
    form, filters = _filters(request)
    result = _published(request, filters)
    breakdowns = [
        {
            "title": item.title,
            "chart": charts.data_uri(charts.breakdown_chart(disclosure.chartable(item))),
            "columns": ["Activités", "Accompagnements"],
            "rows": [
                (row.label, [_cell(row.activities), _cell(row.accompaniments)]) for row in item.rows
            ],
        }
        for item in result.breakdowns.values()
    ]
    series = {
        "title": "Activités et accompagnements sur 12 mois",
        "chart": charts.data_uri(charts.series_chart(result.series)),
        "columns": ["Activités", "Accompagnements", "Nouveaux bénéficiaires", "Revenus"],
        "rows": [
            (
                f"{p.month:%m/%Y}",
                [
                    _cell(value)
                    for value in (
                        p.activities,
                        p.accompaniments,
                        p.new_beneficiaries,
                        p.returning_visits,
                    )
                ],
            )
            for p in result.series
        ],
    }
    query = request.GET.urlencode()
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "result": result,
            "breakdowns": breakdowns,
            "series": series,
            "query": query,
            "can_export_activities": perms.can_export_activities(request.user),
            "is_partner_staff": request.user.is_partner_staff,
        },
    )


def _cell(value):
    return "—" if value is None else disclosure.cell_value(value)


def _delimiter(request) -> tuple[str, bool]:
    semicolon = request.GET.get("sep") in {"semicolon", ";"}
    return (";" if semicolon else ","), request.GET.get("bom") == "1"


@login_required
def export_activities(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    _, filters = _filters(request)
    if not perms.can_export_activities(request.user):
        raise PermissionDenied
    name = _filename("activites", fmt)
    if exports.activity_count(filters) > settings.RELAIS_EXPORT_JOB_ROWS:
        # Too long to wait for: a worker writes it, the page shows its progress.
        job = export_request(
            user=request.user, label="Activités", fmt=fmt, filename=name,
            builder="relais.reporting.exports.activity_export_job",
            params=request.GET.urlencode(),
        )  # fmt: skip
        return redirect("jobs:export", job.pk)
    with_advisor = perms.sees_advisor_names(request.user)
    header = exports.activity_header(with_advisor=with_advisor)
    rows = exports.activity_rows(filters, with_advisor=with_advisor)
    if fmt == "csv":
        delimiter, bom = _delimiter(request)
        response = StreamingHttpResponse(
            csv_stream(header, rows, delimiter=delimiter, bom=bom),
            content_type=exports.FORMATS[fmt],
        )
    elif fmt == "xlsx":
        handle = xlsx_file([("Activités", header, rows)])
        response = FileResponse(handle, content_type=exports.FORMATS[fmt])
    else:
        zip64 = exports.activity_count(filters) > exports.ODS_ZIP32_MAX_ROWS
        response = StreamingHttpResponse(
            ods_stream([("Activités", header, rows)], zip64=zip64),
            content_type=exports.FORMATS[fmt],
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_statistics(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    _, filters = _filters(request)
    tables = exports.stats_tables(_published(request, filters))
    name = _filename("statistiques", fmt)
    if fmt == "csv":
        delimiter, bom = _delimiter(request)
        header, rows = exports.stats_long_rows(tables)
        response = StreamingHttpResponse(
            csv_stream(header, rows, delimiter=delimiter, bom=bom),
            content_type=exports.FORMATS[fmt],
        )
    elif fmt == "xlsx":
        response = FileResponse(xlsx_file(tables), content_type=exports.FORMATS[fmt])
    else:
        response = StreamingHttpResponse(ods_stream(tables), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
