"""Committee meetings as a source of an adviser's busy time (``relais.team.busy``),
registered by ``CommitteeConfig.ready()``: the committee sits above the team and the bookings,
so it registers its own source rather than be imported by them.

Members are records, not accounts, so an adviser sits on the committee when an active member
has the e-mail address of their account (case-insensitively) on the meeting's day. A meeting
without a start time takes the working day (09:00–17:00); without an end time, two hours.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from relais.team.busy import Busy, register_source
from relais.team.enums import BusyKind
from relais.team.models import Advisor

from .models import CommitteeMember, Meeting

MEETING_DEFAULT_START = time(9, 0)
MEETING_DEFAULT_END = time(17, 0)
MEETING_DEFAULT_HOURS = 2


def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive)


def _local(moment: datetime):
    return timezone.localtime(moment).date()


def _meeting_bounds(meeting: Meeting) -> tuple[datetime, datetime]:
    begins = meeting.start_time or MEETING_DEFAULT_START
    if meeting.end_time:
        ends = datetime.combine(meeting.date, meeting.end_time)
    elif meeting.start_time:
        ends = datetime.combine(meeting.date, begins) + timedelta(hours=MEETING_DEFAULT_HOURS)
    else:
        ends = datetime.combine(meeting.date, MEETING_DEFAULT_END)
    return _aware(datetime.combine(meeting.date, begins)), _aware(ends)


def meetings(advisor_ids, start, end, place_ids):
    """Committee meetings of the advisers who sit on the committee (matched by e-mail)."""
    emails = {
        email.casefold(): pk
        for pk, email in Advisor.objects.filter(pk__in=advisor_ids).values_list("pk", "user__email")
        if email
    }
    if not emails:
        return []
    members = [
        m
        for m in CommitteeMember.objects.exclude(email="").filter(joined_on__lte=_local(end))
        if m.email.casefold() in emails
    ]
    if not members:
        return []
    found = []
    for meeting in Meeting.objects.filter(date__range=(_local(start), _local(end))):
        begins, ends = _meeting_bounds(meeting)
        if not (begins < end and start < ends):
            continue
        for member in members:
            if member.joined_on <= meeting.date and (
                member.left_on is None or meeting.date <= member.left_on
            ):
                where = f" ({meeting.location})" if meeting.location else ""
                found.append(
                    Busy(
                        kind=BusyKind.MEETING,
                        start=begins,
                        end=ends,
                        label=f"Comité technique{where}",
                        advisor_id=emails[member.email.casefold()],
                        ref=("meeting", meeting.pk),
                        obj=meeting,
                    )
                )
    return found


def register() -> None:
    register_source(BusyKind.MEETING, meetings)
