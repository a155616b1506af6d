"""The schedule pages: slots (with checks before saving), dated occurrences, checks, my week."""

import hashlib
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.forms import add_errors
from relais.core.params import parse_date
from relais.core.perms import require
from relais.core.validators import error_text
from relais.places.models import Place
from relais.team.queries import advisor_for_user, leave_for_list

from .. import checks, perms, queries, services
from ..forms import CancelForm, ReplaceForm, SlotForm, period_from
from ..models import Slot
from ..occurrences import find_occurrence, occurrences_between, replacement_candidates

UPCOMING_WEEKS = 8


@login_required
def slot_list(request):
    require(perms.can_manage_planning(request.user))
    places = Place.objects.active().order_by("name")
    place = places.filter(slug=request.GET.get("lieu", "")).first()
    slots = queries.slots_for_list(places=[place] if place else None)
    return render(
        request,
        "planning/slot_list.html",
        {"slots": slots, "places": places, "place": place, "today": timezone.localdate()},
    )


@login_required
def slot_detail(request, pk: int):
    require(perms.can_manage_planning(request.user))
    slot = get_object_or_404(Slot.objects.with_related(), pk=pk)
    start, end = checks.slot_horizon(slot)
    return render(
        request,
        "planning/slot_detail.html",
        {
            "slot": slot,
            "findings": checks.slot_findings(slot, slot.advisors.all()),
            "occurrences": occurrences_between(start, end, slots=[slot]),
            "exceptions": slot.exceptions.filter(date__gte=timezone.localdate()),
        },
    )


def _fingerprint(findings) -> str:
    text = "\n".join(f.message for f in findings)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _slot_form(request, slot: Slot | None):
    """Create or edit a slot. Checks are shown before saving: a first « Enregistrer » with
    findings shows them; saving again with the same findings confirms."""
    instance = Slot.objects.get(pk=slot.pk) if slot else Slot()
    form = SlotForm(request.POST or None, instance=instance)
    findings, fingerprint = None, ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        advisors = list(data.pop("advisors"))
        findings = checks.slot_findings(form.instance, advisors)
        fingerprint = _fingerprint(findings)
        wants_save = request.POST.get("action") == "save"
        confirmed = not findings or request.POST.get("checked") == fingerprint
        if wants_save and confirmed:
            try:
                if slot is None:
                    saved = services.slot_create(advisors=advisors, created_by=request.user, **data)
                else:
                    saved = services.slot_update(slot=slot, advisors=advisors, **data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "La permanence est enregistrée.")
                return redirect(saved)
        elif wants_save:
            messages.warning(
                request,
                "Vérifiez les contrôles ci-dessous, puis enregistrez à nouveau pour confirmer.",
            )
    return render(
        request,
        "planning/slot_form.html",
        {"form": form, "slot": slot, "findings": findings, "fingerprint": fingerprint},
    )


@login_required
def slot_create(request):
    require(perms.can_manage_planning(request.user))
    return _slot_form(request, None)


@login_required
def slot_edit(request, pk: int):
    require(perms.can_manage_planning(request.user))
    return _slot_form(request, get_object_or_404(Slot, pk=pk))


@login_required
@require_POST
def slot_delete(request, pk: int):
    require(perms.can_manage_planning(request.user))
    slot = get_object_or_404(Slot, pk=pk)
    services.slot_delete(slot=slot)
    messages.success(request, "La permanence est supprimée.")
    return redirect("planning:slot_list")


def _parse_day(day: str) -> date:
    parsed = parse_date(day)  # year 9999 would overflow the week computed around it
    if parsed is None:
        raise Http404
    return parsed


@login_required
def occurrence(request, pk: int, day: str):
    """One dated occurrence: who is there, replacement candidates, cancel or replace."""
    require(perms.can_manage_planning(request.user))
    slot = get_object_or_404(Slot.objects.with_related(), pk=pk)
    the_day = _parse_day(day)
    found = find_occurrence(slot, the_day)
    if found is None:
        raise Http404
    cancel_form = CancelForm(prefix="annulation")
    replace_form = ReplaceForm(prefix="remplacement")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                cancel_form = CancelForm(request.POST, prefix="annulation")
                if cancel_form.is_valid():
                    services.occurrence_cancel(
                        slot=slot, day=the_day, created_by=request.user, **cancel_form.cleaned_data
                    )
                    messages.success(request, "La séance est annulée.")
                    return redirect(request.path)
            elif action == "replace":
                replace_form = ReplaceForm(request.POST, prefix="remplacement")
                if replace_form.is_valid():
                    services.occurrence_replace(
                        slot=slot,
                        day=the_day,
                        created_by=request.user,
                        **replace_form.cleaned_data,
                    )
                    messages.success(request, "Le remplacement est enregistré.")
                    return redirect(request.path)
            elif action == "restore":
                services.occurrence_restore(slot=slot, day=the_day)
                messages.success(request, "La séance retrouve ses conseillers habituels.")
                return redirect(request.path)
        except ValidationError as error:
            messages.error(request, error_text(error))
    candidates = replacement_candidates(found) if found.status != "cancelled" else []
    return render(
        request,
        "planning/occurrence.html",
        {
            "slot": slot,
            "occurrence": found,
            "candidates": candidates,
            "cancel_form": cancel_form,
            "replace_form": replace_form,
        },
    )


@login_required
def planning_checks(request):
    require(perms.can_manage_planning(request.user))
    form, start, weeks = period_from(request, default_weeks=4)
    end = start + timedelta(weeks=weeks, days=-1)
    findings = checks.planning_findings(start, end)
    return render(
        request,
        "planning/checks.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "errors": [f for f in findings if f.is_error],
            "warnings": [f for f in findings if not f.is_error],
        },
    )


@login_required
def my_week(request):
    """« Ma semaine »: the adviser's next two weeks in one timeline (permanences, workshops,
    appointments, leave, meetings), upcoming leave and what changed since last time."""
    require(perms.can_view_my_week(request.user))
    advisor = advisor_for_user(request.user)
    if advisor is None:
        raise PermissionDenied
    now = timezone.now()
    today = timezone.localdate()
    previous = services.week_visit_record(advisor=advisor, at=now)
    return render(
        request,
        "planning/my_week.html",
        {
            "advisor": advisor,
            "agenda": queries.advisor_agenda(advisor, today, days=14),
            "leaves": leave_for_list(advisor=advisor, since=today)[:10],
            "changes": queries.changes_since(advisor, previous),
            "previous_visit": previous,
        },
    )
