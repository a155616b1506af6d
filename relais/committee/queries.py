"""Reads of the committee: the 12-month meeting alert, the index page."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .enums import ActionStatus
from .models import ActionItem, CommitteeMember, Meeting

# Art. 3.4: the committee meets « au minimum une fois par an ».
MEETING_INTERVAL_MONTHS = 12


@dataclass(frozen=True)
class MeetingAlert:
    last_meeting: date | None
    due_since: date | None  # when the next meeting became overdue (None: never met)


def meeting_alert(today: date | None = None) -> MeetingAlert | None:
    """An alert when no meeting was held in the last 12 months (``None``: all is well).

    Meetings dated in the future (convened, not held yet) do not count.
    """
    today = today or timezone.localdate()
    last = (
        Meeting.objects.filter(date__lte=today).order_by("-date").values_list("date", flat=True)
    ).first()
    if last is None:
        return MeetingAlert(last_meeting=None, due_since=None)
    due = last + relativedelta(months=MEETING_INTERVAL_MONTHS)
    return MeetingAlert(last_meeting=last, due_since=due) if due <= today else None


def committee_overview(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "alert": meeting_alert(today),
        "upcoming": list(Meeting.objects.filter(date__gt=today).order_by("date")),
        "meetings": list(Meeting.objects.filter(date__lte=today).order_by("-date")[:20]),
        "open_actions": list(
            ActionItem.objects.filter(status=ActionStatus.OPEN)
            .select_related("owner_member", "partner", "meeting")
            .order_by("due_on")
        ),
        "member_count": CommitteeMember.objects.active().count(),
        "today": today,
    }
