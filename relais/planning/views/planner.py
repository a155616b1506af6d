"""The planner page (« Planificateur »): run a solve, follow its progress, pin, apply."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.dates import monday_of
from relais.core.french import plural
from relais.core.params import parse_id
from relais.core.perms import require

from .. import perms, planner
from ..models import PlanRun
from ..planner import runs

TIME_LIMITS = (5, 10, 30, 60, 120, 300)


def _context(run: PlanRun | None) -> dict:
    context = {
        "run": run,
        "time_limits": TIME_LIMITS,
        "next_monday": runs.next_monday(),
        "current_monday": monday_of(timezone.localdate()),
        "min_break": settings.RELAIS_PLANNER_MIN_BREAK_MINUTES,
        "split_days": settings.RELAIS_PLANNER_SPLIT_DAYS,
    }
    if run and run.result:
        result = run.result
        context.update(
            grid=week_grid(result),
            loads=advisor_loads(result),
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
    require(perms.can_manage_planning(request.user))
    run = PlanRun.objects.filter(created_by=request.user).first()
    return render(request, "planning/planner.html", _context(run))


@login_required
@require_POST
def planner_run(request):
    require(perms.can_manage_planning(request.user))
    try:
        week = runs.parse_week(request.POST.get("semaine"))
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
    run = runs.plan_run_start(
        week_start=week,
        user=request.user,
        pins=parse_pins(request.POST.getlist("choix")),
        outside_hours=request.POST.get("hors_horaires") == "1",
        split_days=request.POST.get("fractionner") == "1",
        time_limit=limit,
    )
    return redirect("planning:planner_detail", pk=run.pk)


@login_required
def planner_detail(request, pk: int):
    require(perms.can_manage_planning(request.user))
    run = get_object_or_404(PlanRun, pk=pk)
    return render(request, "planning/planner.html", _context(run))


@login_required
def planner_status(request, pk: int):
    """Polled by htmx every second while the run is not finished."""
    require(perms.can_manage_planning(request.user))
    run = get_object_or_404(PlanRun, pk=pk)
    response = render(request, "planning/planner_status.html", {"run": run})
    if run.is_finished:
        # Reload the whole page to show the result (htmx follows HX-Refresh).
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def planner_apply(request, pk: int):
    require(perms.can_manage_planning(request.user))
    run = get_object_or_404(PlanRun, pk=pk)
    # A partial plan keeps every hard rule and may be applied: the places short are listed.
    if not run.result or not run.result.get("assignments"):
        messages.error(request, "Ce calcul n'a pas produit de planning à appliquer.")
        return redirect("planning:planner_detail", pk=run.pk)
    if request.POST.get("confirmation") != "1":
        messages.error(request, "Cochez la case de confirmation pour créer les permanences.")
        return redirect("planning:planner_detail", pk=run.pk)
    created, skipped = runs.plan_apply(
        result=run.result, valid_from=run.week_start, user=request.user
    )
    messages.success(request, f"{plural(len(created), 'permanence créée', 'permanences créées')}.")
    for message in skipped[:10]:
        messages.warning(request, message)
    return redirect("planning:slot_list")


# --- Presentation ---------------------------------------------------------------------------


def week_grid(payload: dict) -> dict:
    """Rows (places) × columns (weekday, half) of advisers, for the page and the command."""
    assignments = payload.get("assignments", [])
    used_days = sorted({a["weekday"] for a in assignments} | set(range(5)))
    columns = [(d, h) for d in used_days for h in planner.HALVES]
    cells = defaultdict(list)
    for item in assignments:
        cells[(item["place_id"], item["weekday"], item["half"])].append(item)
    rows = []
    for place_id, place in sorted(payload.get("places", {}).items(), key=lambda i: i[1]["name"]):
        pid = int(place_id)
        row_cells = []
        for d, h in columns:
            items = [
                {
                    **item,
                    "advisor": payload["advisors"][str(item["advisor_id"])]["name"],
                    "pin_value": f"{item['advisor_id']}-{pid}-{d}-{h}",
                }
                for item in cells.get((pid, d, h), [])
            ]
            row_cells.append(
                {"weekday": d, "half": h, "label": planner.window_label((d, h)), "items": items}
            )
        rows.append(
            {
                "id": pid,
                "name": place["name"],
                "demand": place["demand"],
                "commitments": place["commitments"],
                "missing": payload.get("shortfalls", {}).get(place_id, 0),
                "cells": row_cells,
            }
        )
    return {
        "columns": [
            {"weekday": d, "half": h, "label": planner.window_label((d, h))} for d, h in columns
        ],
        "days": [{"weekday": d, "label": planner.DAY_LABELS[d]} for d in used_days],
        "rows": rows,
    }


def advisor_loads(payload: dict) -> list[dict]:
    """Advisers with at least one half-day, heaviest first, with their travel."""
    travel = defaultdict(int)
    for item in payload.get("assignments", []):
        travel[item["advisor_id"]] += item["travel_minutes"]
    rows = []
    for advisor_id, load in payload.get("loads", {}).items():
        if not load:
            continue
        advisor = payload["advisors"][str(advisor_id)]
        rows.append(
            {
                "name": advisor["name"],
                "home": advisor["home"],
                "load": load,
                "capacity": advisor["capacity"],
                "travel_minutes": travel[int(advisor_id)],
                "working_minutes": payload.get("working_minutes", {}).get(str(advisor_id)),
                "weekly_minutes": advisor.get("weekly_minutes"),
            }
        )
    return sorted(rows, key=lambda r: (-r["load"], r["name"]))


def parse_pins(values) -> list[dict]:
    """``"advisor-place-weekday-half"`` strings from the page's checkboxes, as pin dicts."""
    pins = []
    for value in values:
        parts = str(value).split("-")
        if len(parts) != 4 or parts[3] not in planner.HALVES:
            continue
        advisor_id, place_id = parse_id(parts[0]), parse_id(parts[1])
        weekday = "0123456".find(parts[2]) if len(parts[2]) == 1 else -1
        if advisor_id and place_id and weekday >= 0:
            pins.append(
                {
                    "advisor_id": advisor_id,
                    "place_id": place_id,
                    "weekday": weekday,
                    "half": parts[3],
                }
            )
    return pins
