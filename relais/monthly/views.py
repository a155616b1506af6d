"""Pages of the monthly partner reports (Art. 3.4): list, detail, and the workflow's POSTs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.models import Organisation
from relais.core.params import parse_id, parse_month
from relais.core.perms import require
from relais.core.validators import error_text

from . import perms, services
from .disclosure import figures_for
from .enums import ReportStatus
from .figures import month_label, monthly_figures, previous_month
from .forms import MonthlyCommentForm, MonthlyReturnForm
from .models import MonthlyReport


def _report(request, pk: int) -> MonthlyReport:
    report = get_object_or_404(MonthlyReport.objects.select_related("partner"), pk=pk)
    require(perms.can_view(request.user, report))
    return report


@login_required
def report_list(request):
    """Department staff: every partner for a month. Partner staff: their structure's reports."""
    require(perms.can_list(request.user))
    month = parse_month(request.GET.get("mois", "")) or previous_month(timezone.localdate())
    reports = MonthlyReport.objects.visible_to(request.user).current().select_related("partner")
    context = {"month": month, "month_label": month_label(month), "can_prepare": False}
    if request.user.is_partner_staff:
        context["reports"] = reports.order_by("-month")
        context["to_validate"] = [r for r in context["reports"] if r.status == "submitted"]
        return render(request, "monthly/list_partner.html", context)
    by_partner = {r.partner_id: r for r in reports.filter(month=month)}
    context["rows"] = [
        (partner, by_partner.get(partner.pk))
        for partner in Organisation.objects.partners().order_by("name")
    ]
    context["can_prepare"] = perms.can_prepare(request.user)
    context["previous"] = previous_month(month)
    return render(request, "monthly/list.html", context)


@login_required
@require_POST
def report_create(request):
    require(perms.can_prepare(request.user))
    partner = get_object_or_404(
        Organisation.objects.partners(), pk=parse_id(request.POST.get("partner"))
    )
    month = parse_month(request.POST.get("mois", ""))
    if month is None:
        messages.error(request, "Mois invalide.")
        return redirect("monthly:list")
    try:
        report = services.monthly_report_create(partner=partner, month=month, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("monthly:list")
    return redirect(report)


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    user = request.user
    editable = report.status in services.EDITABLE
    # A draft shows today's figures; from submission on, the frozen snapshot.
    figures = (
        monthly_figures(partner=report.partner, month=report.month) if editable else report.figures
    )
    # The partner's staff read it under statistical disclosure control (disclosure.py).
    figures = figures_for(user, figures)
    versions = MonthlyReport.objects.filter(partner=report.partner, month=report.month).order_by(
        "-version"
    )
    return render(
        request,
        "monthly/detail.html",
        {
            "report": report,
            "figures": figures,
            "live_figures": editable,
            "versions": versions,
            "is_current": versions[0].pk == report.pk,
            "can_edit": editable and perms.can_prepare(user),
            "can_validate": report.status == ReportStatus.SUBMITTED
            and perms.can_validate(user, report),
            "can_correct": report.is_locked
            and perms.can_prepare(user)
            and versions[0].pk == report.pk,
            "comment_form": MonthlyCommentForm(initial={"adviser_comment": report.adviser_comment}),
            "return_form": MonthlyReturnForm(),
        },
    )


def _prepare(user, report) -> bool:
    return perms.can_prepare(user)


def _act(request, pk: int, action, success: str, *, allowed, **extra):
    """``action`` on the report through its service, once ``allowed(user, report)`` (the view
    checks; the service checks the same rule again)."""
    report = _report(request, pk)
    require(allowed(request.user, report))
    try:
        report = action(report=report, user=request.user, **extra)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("monthly:detail", pk=pk)
    messages.success(request, success)
    return redirect(report)


@login_required
@require_POST
def report_update(request, pk: int):
    form = MonthlyCommentForm(request.POST)
    comment = form.cleaned_data["adviser_comment"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        services.monthly_report_update,
        "Le commentaire est enregistré.",
        allowed=_prepare,
        adviser_comment=comment,
    )


@login_required
@require_POST
def report_submit(request, pk: int):
    form = MonthlyCommentForm(request.POST)
    comment = form.cleaned_data["adviser_comment"] if form.is_valid() else None
    return _act(
        request,
        pk,
        services.monthly_report_submit,
        "Le compte rendu est transmis à la structure pour validation.",
        allowed=_prepare,
        adviser_comment=comment,
    )


@login_required
@require_POST
def report_validate(request, pk: int):
    return _act(
        request,
        pk,
        services.monthly_report_validate,
        "Le compte rendu est validé. Il ne peut plus être modifié.",
        allowed=perms.can_validate,
    )


@login_required
@require_POST
def report_return(request, pk: int):
    form = MonthlyReturnForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        services.monthly_report_return,
        "Le compte rendu est renvoyé au conseiller avec votre commentaire.",
        allowed=perms.can_validate,
        comment=comment,
    )


@login_required
@require_POST
def report_correct(request, pk: int):
    return _act(
        request,
        pk,
        services.monthly_report_correct,
        "Une nouvelle version du compte rendu est ouverte ; la version validée reste archivée.",
        allowed=_prepare,
    )
