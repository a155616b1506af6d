from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from relais.accounts.perms import can_reset_two_factor
from relais.core.forms import add_errors
from relais.core.params import parse_id
from relais.core.perms import require

from . import perms, queries, services
from .enums import AdvisorKind
from .forms import AdvisorProfileForm, LeaveForm
from .models import Advisor, Leave


@login_required
def advisor_list(request):
    require(perms.can_view_team(request.user))
    advisors = queries.advisors_for_list()
    kind = request.GET.get("statut", "")
    if kind in AdvisorKind.values:
        advisors = advisors.filter(kind=kind)
    counts = Advisor.objects.active().aggregate(
        ambassador=Count("pk", filter=Q(kind=AdvisorKind.AMBASSADOR)),
        cnfs=Count("pk", filter=Q(kind=AdvisorKind.CNFS)),
    )
    return render(
        request,
        "team/advisor_list.html",
        {
            "advisors": advisors,
            "kind": kind,
            "counts": counts,
            "can_reset_two_factor": can_reset_two_factor(request.user, None),
            "can_manage_leave": perms.can_manage_leave(request.user),
        },
    )


@login_required
def advisor_detail(request, pk: int):
    require(perms.can_view_team(request.user))
    advisor = get_object_or_404(Advisor.objects.with_user().prefetch_related("skills"), pk=pk)
    can_view_leave = perms.can_view_leave_of(request.user, advisor)
    return render(
        request,
        "team/advisor_detail.html",
        {
            "advisor": advisor,
            "leaves": queries.leave_for_list(advisor=advisor) if can_view_leave else None,
            "can_change": perms.can_change_advisor(request.user, advisor),
            "can_manage_leave": perms.can_manage_leave(request.user),
        },
    )


@login_required
def advisor_edit(request, pk: int):
    advisor = get_object_or_404(Advisor.objects.with_user(), pk=pk)
    require(perms.can_change_advisor(request.user, advisor))
    # The form writes to its instance while validating: give it a copy.
    form = AdvisorProfileForm(request.POST or None, instance=Advisor.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        skills = data.pop("skills")
        try:
            services.advisor_update_profile(advisor=advisor, skills=skills, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Le profil du conseiller est enregistré.")
            return redirect("team:detail", pk=advisor.pk)
    return render(request, "team/advisor_form.html", {"advisor": advisor, "form": form})


@login_required
def leave_list(request):
    """Coordinators: everybody's current and future leave; an adviser: their own."""
    require(perms.can_view_leave_list(request.user))
    own = None
    if not perms.can_manage_leave(request.user):
        own = queries.advisor_for_user(request.user)
        if own is None:
            raise PermissionDenied
    return render(
        request,
        "team/leave_list.html",
        {
            "leaves": queries.leave_for_list(advisor=own),
            "own": own,
            "can_manage_leave": perms.can_manage_leave(request.user),
        },
    )


@login_required
def leave_create(request):
    require(perms.can_manage_leave(request.user))
    initial = {}
    if advisor_id := parse_id(request.GET.get("conseiller")):
        initial["advisor"] = advisor_id
    form = LeaveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Absence enregistrée : {leave}.")
            if impacts := queries.leave_impacts_message(leave):
                messages.warning(request, impacts)
            return redirect("team:leave_list")
    return render(request, "team/leave_form.html", {"form": form, "leave": None})


@login_required
def leave_edit(request, pk: int):
    require(perms.can_manage_leave(request.user))
    leave = get_object_or_404(Leave.objects.select_related("advisor__user"), pk=pk)
    form = LeaveForm(request.POST or None, instance=Leave.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_update(leave=leave, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "L'absence est modifiée.")
            if impacts := queries.leave_impacts_message(leave):
                messages.warning(request, impacts)
            return redirect("team:leave_list")
    return render(request, "team/leave_form.html", {"form": form, "leave": leave})


@login_required
@require_POST
def leave_delete(request, pk: int):
    require(perms.can_manage_leave(request.user))
    leave = get_object_or_404(Leave, pk=pk)
    services.leave_delete(leave=leave)
    messages.success(request, "L'absence est supprimée.")
    return redirect(reverse("team:leave_list"))
