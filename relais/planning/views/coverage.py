"""The coverage page (planned against committed half-days per place and week) and its exports."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from relais.core.perms import require
from relais.jobs.exports import export_response

from .. import perms
from ..coverage import coverage_table
from ..forms import period_from


def _coverage(request):
    require(perms.can_view_planning(request.user))
    form, start, weeks = period_from(request, default_weeks=4)
    return form, coverage_table(start, weeks)


@login_required
def coverage(request):
    form, table = _coverage(request)
    return render(
        request,
        "planning/coverage.html",
        {"form": form, "table": table, "query": request.GET.urlencode()},
    )


@login_required
def coverage_xlsx(request):
    """The file at once when small, else a job a worker writes (relais.jobs.exports)."""
    require(perms.can_view_planning(request.user))
    return export_response(request, "coverage", "xlsx")


@login_required
def coverage_csv(request):
    require(perms.can_view_planning(request.user))
    return export_response(request, "coverage", "csv")
