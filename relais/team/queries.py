"""Team reads: profiles with their skills, leave lists."""

from datetime import date

from django.utils import timezone

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
