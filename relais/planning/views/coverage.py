"""The coverage page (planned against committed half-days per place and week) and its exports."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from .. import exports, perms
from ..coverage import coverage_table
from ..forms import period_from

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _coverage(request):
    if not perms.can_view_planning(request.user):
        raise PermissionDenied
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


def _filename(table, extension: str) -> str:
    return f"couverture-{table.weeks[0]:%Y-%m-%d}-{len(table.weeks)}-semaines.{extension}"


@login_required
def coverage_xlsx(request):
    _, table = _coverage(request)
    response = HttpResponse(exports.to_xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response


@login_required
def coverage_csv(request):
    _, table = _coverage(request)
    delimiter = ";" if request.GET.get("separateur") == "point-virgule" else ","
    response = HttpResponse(
        exports.to_csv(table, delimiter=delimiter), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    return response
