"""Team reads: profiles with their skills, leave lists."""

from datetime import date

from django.utils import timezone

from relais.core.french import plural

from .busy import busy_intervals
from .enums import BusyKind
from .models import Advisor, Leave


def advisors_for_list():
    """Active advisers with what the team list shows."""
    return Advisor.objects.active().with_user().prefetch_related("skills")


def leave_for_list(*, advisor: Advisor | None = None, since: date | None = None):
    """Leave that has not ended before ``since`` (default today), soonest first."""
    since = since or timezone.localdate()
    leaves = Leave.objects.filter(end_date__gte=since).select_related(
        "advisor__user", "advisor__home_commune"
    )
    if advisor is not None:
        leaves = leaves.filter(advisor=advisor)
    return leaves.order_by("start_date", "start_half", "advisor__user__last_name")


def advisor_for_user(user) -> Advisor | None:
    """The adviser profile of a logged-in user, if any."""
    if not user.is_authenticated:
        return None
    return Advisor.objects.with_user().filter(user=user).first()


# What a leave takes the adviser away from (the leave itself and drives are not listed;
# closures are the place's, not the adviser's).
IMPACT_KINDS = (BusyKind.PERMANENCE, BusyKind.WORKSHOP, BusyKind.APPOINTMENT, BusyKind.MEETING)


def leave_impacts(leave: Leave) -> list:
    """The permanences, workshops, appointments and committee meetings of the adviser that
    ``leave`` falls on (``relais.team.busy``), soonest first. The leave is recorded anyway:
    the coordinator then replaces, moves or cancels them."""
    start = timezone.make_aware(leave.starts_at)
    end = timezone.make_aware(leave.ends_at)
    return [
        item
        for item in busy_intervals(
            [leave.advisor_id], start, end, kinds=IMPACT_KINDS, with_travel=False
        )
        if item.overlaps(start, end)
    ]


def leave_impacts_message(leave: Leave, limit: int = 8) -> str:
    """French, for the coordinator after saving a leave: what it affects, or ""."""
    found = leave_impacts(leave)
    if not found:
        return ""
    lines = " ; ".join(item.describe() for item in found[:limit])
    extra = len(found) - limit
    more = f" ; et {plural(extra, 'autre', 'autres')}" if extra > 0 else ""
    return (
        f"Cette absence touche {plural(len(found), 'engagement', 'engagements')} de "
        f"{leave.advisor} : {lines}{more}. "
        "Prévoyez un remplacement, déplacez ou annulez-les."
    )
