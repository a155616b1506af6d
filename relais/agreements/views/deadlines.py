"""The coordinators' page of agreement deadlines (thin: the list comes from deadlines.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from relais.core.perms import require

from .. import perms
from ..deadlines import SOON_DAYS, group_by_severity, upcoming_deadlines

HORIZON_DAYS = 120


@login_required
def deadlines(request):
    # Deadlines span every partner: only those who run the programme (coordinators and
    # administrators, the agreement managers) see them.
    require(perms.can_manage_agreement(request.user))
    today = timezone.localdate()
    items = upcoming_deadlines(today, horizon_days=HORIZON_DAYS)
    context = {
        "today": today,
        "groups": group_by_severity(items),
        "count": len(items),
        "horizon_days": HORIZON_DAYS,
        "soon_days": SOON_DAYS,
    }
    return render(request, "agreements/deadlines.html", context)
