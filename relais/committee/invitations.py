"""Convocations to a committee meeting: the e-mail, its calendar file, and its delivery.

The rows (:class:`~relais.committee.models.MeetingInvitation`) are written by
:func:`relais.committee.services.meeting_send_invitations`, which queues each e-mail in the
outbox (``relais.messaging``) in the same transaction; the outbox's task sends it (retrying a
refusal) and :func:`invitation_outcome` records ``sent`` or ``failed`` on the row.
"""

import datetime as dt
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from icalendar import Event

from relais.core import french
from relais.core.site import calendar_attachment, calendar_uid, site_url
from relais.messaging.models import OutboxMessage, OutboxStatus
from relais.messaging.outbox import outbox_email

from .enums import InvitationStatus
from .models import Meeting, MeetingInvitation

logger = logging.getLogger(__name__)

# Without an end time, a calendar entry needs a length; a committee meeting lasts about two hours.
DEFAULT_LENGTH = dt.timedelta(hours=2)
TITLE = "Comité technique départemental inclusion numérique"


def meeting_ics(meeting: Meeting, *, sequence: int) -> bytes:
    """The meeting as an iCalendar event; the same UID across versions so calendars update it."""
    event = Event()
    event.add("uid", calendar_uid(f"comite-{meeting.pk}"))
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    if meeting.start_time:
        zone = timezone.get_current_timezone()
        starts = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
        ends = (dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone)
                if meeting.end_time else starts + DEFAULT_LENGTH)  # fmt: skip
        event.add("dtstart", starts)
        event.add("dtend", ends)
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    event.add("summary", TITLE)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", f"Ordre du jour :\n{meeting.agenda}")
    event.add("url", site_url(meeting.get_absolute_url()))
    event.add("status", "CONFIRMED")
    return calendar_attachment(event, prodid="-//Relais//Comité technique//FR")


def invitation_subject(meeting: Meeting, *, sequence: int) -> str:
    day = french.french_day(meeting.date, year=True)
    prefix = "Modification de la convocation" if sequence else "Convocation"
    return f"{prefix} : comité technique départemental du {day}"


def invitation_queue(invitation: MeetingInvitation) -> OutboxMessage:
    """Queue the convocation's e-mail, with its calendar file, in the caller's transaction."""
    meeting = invitation.meeting
    body = render_to_string(
        "committee/email/convocation.txt",
        {
            "meeting": meeting,
            "member": invitation.member,
            "is_update": invitation.sequence > 0,
            "meeting_url": site_url(meeting.get_absolute_url()),
            "department_name": settings.RELAIS_DEPARTMENT_NAME,
        },
    )
    calendar = (
        f"comite-{meeting.date:%Y-%m-%d}.ics",
        meeting_ics(meeting, sequence=invitation.sequence),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    return outbox_email(
        to=invitation.recipient,
        subject=invitation_subject(meeting, sequence=invitation.sequence),
        body=body,
        attachments=[calendar],
        origin=f"committee.meetinginvitation:{invitation.pk}",
        on_outcome="relais.committee.invitations.invitation_outcome",
    )


def invitation_outcome(outbox: OutboxMessage) -> None:
    """Record the outbox's final word on the invitation (shown on the meeting's page)."""
    pk = int(outbox.origin.removeprefix("committee.meetinginvitation:"))
    if outbox.status == OutboxStatus.SENT:
        MeetingInvitation.objects.filter(pk=pk).update(
            status=InvitationStatus.SENT, error="", sent_at=outbox.sent_at
        )
    elif outbox.status == OutboxStatus.FAILED:
        if outbox.error:
            logger.warning("Convocation %s non envoyée : %s", pk, outbox.error)
        MeetingInvitation.objects.filter(pk=pk).update(
            status=InvitationStatus.FAILED, error=outbox.error[:1000] or "erreur"
        )
