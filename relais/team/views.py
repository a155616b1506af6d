from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render

from relais.accounts.perms import can_reset_two_factor

from . import perms
from .enums import AdvisorKind
from .models import Advisor


@login_required
def advisor_list(request):
    if not perms.can_view_team(request.user):
        raise PermissionDenied
    advisors = Advisor.objects.active().with_user()
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
        },
    )
