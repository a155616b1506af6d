"""Convocations to a committee meeting: the e-mail, its calendar file, and its delivery.

The rows (:class:`~relais.committee.models.MeetingInvitation`) are written by
:func:`relais.committee.services.meeting_send_invitations`; the sending happens here, after the
commit, at most once per row (the same pattern as the residents' messages in
``relais.bookings.messaging``).
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Event

from relais.core.site import calendar_attachment, calendar_uid, site_url

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
    day = date_format(meeting.date, "l j F Y")
    prefix = "Modification de la convocation" if sequence else "Convocation"
    return f"{prefix} : comité technique départemental du {day}"


def invitation_message(invitation: MeetingInvitation) -> EmailMessage:
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
    email = EmailMessage(
        invitation_subject(meeting, sequence=invitation.sequence), body, None,
        [invitation.recipient],
    )  # fmt: skip
    email.attach(
        f"comite-{meeting.date:%Y-%m-%d}.ics",
        meeting_ics(meeting, sequence=invitation.sequence),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    return email


def invitations_deliver(invitation_pks: list[int]) -> None:
    """Send queued convocations and record each outcome (``sent`` or ``failed`` with the error).

    Called once, after the commit of the transaction that queued them: nothing else sends a
    ``queued`` row, so a crash before the outcome is written never sends a convocation twice.
    """
    queued = MeetingInvitation.objects.filter(
        pk__in=invitation_pks, status=InvitationStatus.QUEUED
    ).select_related("meeting", "member")
    for invitation in queued:
        try:
            invitation_message(invitation).send(fail_silently=False)
        except Exception as error:  # an SMTP failure is recorded on the row, never re-raised
            logger.warning("Convocation %s non envoyée : %s", invitation.pk, error)
            invitation.status = InvitationStatus.FAILED
            invitation.error = str(error)[:1000] or "erreur"
        else:
            invitation.status, invitation.error = InvitationStatus.SENT, ""
            invitation.sent_at = timezone.now()
        invitation.save(update_fields=["status", "error", "sent_at"])
