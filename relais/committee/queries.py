"""Reads of the committee: the 12-month meeting alert, the index page, a meeting's convocations."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from .enums import ActionStatus, InvitationStatus
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


def meeting_invitees(meeting: Meeting):
    """Members sitting on the meeting's date (joined by then, not left before)."""
    return CommitteeMember.objects.filter(joined_on__lte=meeting.date).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=meeting.date)
    )


def meeting_invitation_state(meeting: Meeting, invitations: list) -> tuple[int, bool]:
    """The sequence members were last convened for, and whether the meeting changed since.

    ``invitations``: all the meeting's invitations (callers read them once and reuse them).
    ``(-1, True)`` when no convocation was ever sent.
    """
    if not invitations:
        return -1, True
    last = max(invitation.sequence for invitation in invitations)
    sent = next(i.details for i in invitations if i.sequence == last)
    return last, sent != meeting.convened_details


def meeting_convocation(meeting: Meeting, today: date | None = None) -> dict:
    """The convocation panel of a meeting: each sitting member and their latest convocation.

    ``convocation_to_send`` counts the members the button would e-mail now (none once the
    meeting is past).
    """
    today = today or timezone.localdate()
    invitations = list(meeting.invitations.order_by("sequence"))
    last, changed = meeting_invitation_state(meeting, invitations)
    current = last + 1 if changed else last
    latest = {invitation.member_id: invitation for invitation in invitations}
    rows, to_send = [], 0
    for member in meeting_invitees(meeting).select_related("organisation").order_by("full_name"):
        invitation = latest.get(member.pk)
        up_to_date = (
            invitation is not None
            and invitation.sequence == current
            and invitation.status != InvitationStatus.FAILED
        )
        if member.email and not up_to_date:
            to_send += 1
        rows.append({"member": member, "invitation": invitation, "up_to_date": up_to_date})
    is_open = meeting.date >= today
    return {
        "convocation_rows": rows,
        "convocation_sent_before": last >= 0,
        "convocation_changed": last >= 0 and changed,
        "convocation_open": is_open,
        "convocation_to_send": to_send if is_open else 0,
    }
