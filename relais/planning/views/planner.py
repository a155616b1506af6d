"""The planner page (« Planificateur »): run a solve, follow its progress, pin, apply."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.french import plural

from .. import perms, planner, planner_db
from ..models import PlanRun, monday_of

TIME_LIMITS = (5, 10, 30, 60, 120, 300)


def _require_manager(user) -> None:
    if not perms.can_manage_planning(user):
        raise PermissionDenied


def _context(run: PlanRun | None) -> dict:
    context = {
        "run": run,
        "time_limits": TIME_LIMITS,
        "next_monday": planner_db.next_monday(),
        "current_monday": monday_of(timezone.localdate()),
        "min_break": settings.RELAIS_PLANNER_MIN_BREAK_MINUTES,
        "split_days": settings.RELAIS_PLANNER_SPLIT_DAYS,
    }
    if run and run.result:
        result = run.result
        context.update(
            grid=planner_db.week_grid(result),
            loads=planner_db.advisor_loads(result),
            status_label=planner.STATUS_LABELS[result["status"]],
            is_plan=result["status"] in (planner.OPTIMAL, planner.FEASIBLE),
            can_apply=bool(result.get("assignments")),
            pinned={
                f"{p['advisor_id']}-{p['place_id']}-{p['weekday']}-{p['half']}" for p in run.pins
            },
            gap_percent=(result["gap"] or 0) * 100 if result.get("gap") is not None else None,
        )
    return context


@login_required
def planner_page(request):
    _require_manager(request.user)
    run = PlanRun.objects.filter(created_by=request.user).first()
    return render(request, "planning/planner.html", _context(run))


@login_required
@require_POST
def planner_run(request):
    _require_manager(request.user)
    try:
        week = planner_db.parse_week(request.POST.get("semaine"))
    except ValueError as error:
        if "passée" in str(error):
            messages.error(
                request,
                "Cette semaine est passée : choisissez la semaine en cours ou une semaine à venir.",
            )
        else:
            messages.error(request, "Semaine invalide : format attendu JJ/MM/AAAA.")
        return redirect("planning:planner")
    try:
        limit = int(request.POST.get("duree", 10))
    except ValueError:
        limit = 0
    if limit not in TIME_LIMITS:
        messages.error(request, "Durée de calcul invalide.")
        return redirect("planning:planner")
    run = planner_db.plan_run_start(
        week_start=week,
        user=request.user,
        pins=planner_db.parse_pins(request.POST.getlist("choix")),
        outside_hours=request.POST.get("hors_horaires") == "1",
        time_limit=limit,
    )
    return redirect("planning:planner_detail", pk=run.pk)


@login_required
def planner_detail(request, pk: int):
    _require_manager(request.user)
    run = get_object_or_404(PlanRun, pk=pk)
    return render(request, "planning/planner.html", _context(run))


@login_required
def planner_status(request, pk: int):
    """Polled by htmx every second while the run is not finished."""
    _require_manager(request.user)
    run = get_object_or_404(PlanRun, pk=pk)
    response = render(request, "planning/planner_status.html", {"run": run})
    if run.is_finished:
        # Reload the whole page to show the result (htmx follows HX-Refresh).
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def planner_apply(request, pk: int):
    _require_manager(request.user)
    run = get_object_or_404(PlanRun, pk=pk)
    # A partial plan keeps every hard rule and may be applied: the places short are listed.
    if not run.result or not run.result.get("assignments"):
        messages.error(request, "Ce calcul n'a pas produit de planning à appliquer.")
        return redirect("planning:planner_detail", pk=run.pk)
    if request.POST.get("confirmation") != "1":
        messages.error(request, "Cochez la case de confirmation pour créer les permanences.")
        return redirect("planning:planner_detail", pk=run.pk)
    created, skipped = planner_db.plan_apply(
        result=run.result, valid_from=run.week_start, user=request.user
    )
    messages.success(request, f"{plural(len(created), 'permanence créée', 'permanences créées')}.")
    for message in skipped[:10]:
        messages.warning(request, message)
    return redirect("planning:slot_list")
