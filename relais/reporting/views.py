"""Statistics dashboard and exports. Thin: the figures come from ``stats``, the files from
``exports``; ``perms`` decides who sees what."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from relais.core.perms import require
from relais.jobs.exports import export_response

from . import charts, disclosure, exports, perms, stats
from .filters import StatsFilterForm


def _filters(request):
    require(perms.can_view_statistics(request.user))
    form = StatsFilterForm(request.GET or None, user=request.user)
    return form, stats.scoped_filters(request.user, form.filters())


def _published(request, filters) -> disclosure.Published:
    """Exact figures for the controller's staff, statistical disclosure control for others."""
    return exports.published(request.user, filters)


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


@login_required
def export_activities(request, fmt: str):
    """The file at once when small, else a job a worker writes (relais.jobs.exports)."""
    require(perms.can_view_statistics(request.user))
    return export_response(request, "activities", fmt)


@login_required
def export_statistics(request, fmt: str):
    require(perms.can_view_statistics(request.user))
    return export_response(request, "statistics", fmt)
