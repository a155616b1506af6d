"""The person's messages about an appointment: its links, its .ics and the queued e-mail or SMS."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Event

from relais.bookings.enums import MessageKind
from relais.bookings.messaging import person_notify
from relais.bookings.models import Message
from relais.core.site import calendar_attachment, calendar_uid, site_url

from ..models import Appointment

SUBJECTS = {
    MessageKind.CONFIRMATION: "Votre rendez-vous « {name} » est confirmé",
    MessageKind.CANCELLATION: "Annulation de votre rendez-vous « {name} »",
    MessageKind.APPOINTMENT_CANCELLED: "Rendez-vous annulé : « {name} »",
    MessageKind.REMINDER: "Rappel : rendez-vous « {name} »",
}
WITH_CALENDAR = frozenset({MessageKind.CONFIRMATION, MessageKind.REMINDER})


def booking_url(place) -> str:
    return site_url(reverse("appointments:book", kwargs={"place_slug": place.slug}))


def opening_url(place, appointment_type, opening) -> str:
    path = reverse("appointments:form", kwargs={"place_slug": place.slug})
    return site_url(path + "?" + urlencode({"type": appointment_type.pk, "debut": opening.key}))


def appointment_ics(appointment: Appointment, *, cancelled: bool = False) -> bytes:
    place = appointment.place
    event = Event()
    event.add("uid", calendar_uid(f"rendez-vous-{appointment.public_id}"))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(appointment.starts_at))
    event.add("dtend", timezone.localtime(appointment.ends_at))
    event.add("summary", f"Rendez-vous numérique : {appointment.appointment_type.name}")
    event.add(
        "location", ", ".join(p for p in [place.name, place.address, place.commune.name] if p)
    )
    event.add("url", site_url(appointment.get_manage_url()))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    return calendar_attachment(event, prodid="-//Relais//Rendez-vous numériques//FR")


def appointment_notify(
    appointment: Appointment, kind: str, *, channels: tuple[str, ...] | None = None, **extra
) -> list[Message]:
    """Queue the ``kind`` message of an appointment (sent after the commit, at most once).

    Default channels: e-mail when the person gave one, else SMS; ``channels`` forces a list
    (a channel without a matching contact is left out).
    """
    context = {
        "appointment": appointment,
        "appointment_type": appointment.appointment_type,
        "place": appointment.place,
        "starts_at": timezone.localtime(appointment.starts_at),
        "ends_at": timezone.localtime(appointment.ends_at),
        "manage_url": site_url(appointment.get_manage_url()),
        "booking_url": booking_url(appointment.place),
        "department_name": settings.RELAIS_DEPARTMENT_NAME,
        **extra,
    }
    name = kind if kind.startswith("appointment_") else f"appointment_{kind}"
    attachment = None
    if kind in WITH_CALENDAR:
        attachment = lambda: (  # noqa: E731 (built only for an e-mail)
            "rendez-vous.ics",
            appointment_ics(appointment),
            "text/calendar; charset=utf-8",
        )
    return person_notify(
        person=appointment,
        kind=kind,
        channels=channels,
        subject=SUBJECTS[kind].format(name=appointment.appointment_type.name),
        template=f"appointments/{{folder}}/{name}.txt",
        context=context,
        attachment=attachment,
        appointment=appointment,
    )
