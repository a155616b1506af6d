"""Builders for the appointment tests: a place covered by an agreement in force, permanences
there (through the planning's services, so the agreement check applies), appointment types."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from relais.agreements import services as agreement_services
from relais.agreements.enums import CommitmentFrequency, CommitmentUnit, Modality
from relais.appointments.consent import CURRENT_APPOINTMENT_CONSENT_VERSION
from relais.appointments.models import Appointment, AppointmentType
from relais.planning import services as planning_services
from relais.planning.occurrences import PARIS

from ..factories import AdvisorFactory, CommuneFactory, DepartmentFactory, PlaceFactory

TUESDAY = 1  # the weekday of the tests' permanences (Monday is 0)


def covered_place(*, name="Médiathèque de Prades", slug="mediatheque-prades", commune="Prades"):
    """A place with a signed agreement in force from a month ago to in 400 days."""
    department = DepartmentFactory()
    place = PlaceFactory(name=name, slug=slug, commune=CommuneFactory(name=commune))
    today = timezone.localdate()
    agreement = agreement_services.agreement_create_draft(
        department=department,
        partner=place.partner,
        title=f"Convention {name}",
        hard_end_date=today + timedelta(days=400),
    )
    agreement_services.commitment_add(
        agreement=agreement,
        place=place,
        count=2,
        unit=CommitmentUnit.DAY,
        frequency=CommitmentFrequency.WEEKLY,
        modality=Modality.ON_SITE,
    )
    agreement_services.signatory_add(agreement=agreement, name="A", title="Présidente")
    agreement_services.signatory_add(agreement=agreement, name="B", title="Président")
    signed_on = today - timedelta(days=30)
    agreement_services.agreement_send_for_signature(agreement=agreement, on=signed_on)
    for signatory in agreement.signatories.all():
        agreement_services.signature_record(signatory=signatory, signed_on=signed_on)
    return place


def permanence(place, advisors, *, weekday: int, start="09:00", end="12:00", **fields):
    today = timezone.localdate()
    fields.setdefault("valid_from", today - timedelta(days=7))
    fields.setdefault("valid_until", today + timedelta(days=390))
    return planning_services.slot_create(
        place=place,
        advisors=advisors,
        weekday=weekday,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        **fields,
    )


def appointment_type(name="Aide aux démarches en ligne", minutes=45, **fields):
    return AppointmentType.objects.create(name=name, duration_minutes=minutes, **fields)


def next_day(weekday: int, *, after: date | None = None, min_days: int = 3) -> date:
    """The first ``weekday`` at least ``min_days`` after ``after`` (today), not a holiday."""
    from relais.planning.calendars import public_holidays

    day = (after or timezone.localdate()) + timedelta(days=min_days)
    while True:
        if day.weekday() == weekday and day not in public_holidays(day, day):
            return day
        day += timedelta(days=1)


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=PARIS)


def advisor(**extra):
    return AdvisorFactory(**extra)


def booked(place, kind, adviser, starts_at, *, slot=None, **fields) -> Appointment:
    """An appointment written directly (no availability check, no message)."""
    fields.setdefault("first_name", "Camille")
    fields.setdefault("last_name", "Exemple")
    fields.setdefault("email", "camille.exemple@exemple.test")
    return Appointment.objects.create(
        appointment_type=kind,
        place=place,
        advisor=adviser,
        slot=slot,
        occurrence_date=timezone.localtime(starts_at).date(),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=kind.duration_minutes),
        consent_version=CURRENT_APPOINTMENT_CONSENT_VERSION,
        consent_at=timezone.now(),
        **fields,
    )


def post_booking(client, place, kind, start: datetime, **data):
    """The public booking form of ``place`` sent for ``kind`` at ``start`` by Camille Exemple
    (an e-mail, consent given); ``data`` changes or adds fields."""
    payload = {
        "type": kind.pk,
        "debut": start.strftime("%Y-%m-%dT%H:%M"),
        "first_name": "Camille",
        "last_name": "Exemple",
        "phone": "",
        "email": "camille.exemple@exemple.test",
        "consent": "on",
        "consent_version": CURRENT_APPOINTMENT_CONSENT_VERSION,
        **data,
    }
    return client.post(reverse("appointments:form", kwargs={"place_slug": place.slug}), payload)


def book(place, kind, starts_at: datetime, **person) -> Appointment:
    """``appointment_book`` for Camille Exemple (an e-mail, consent given) unless ``person``
    says otherwise (a name, an e-mail, ``now``): the service's checks all apply."""
    from relais.appointments.services import appointment_book

    person.setdefault("first_name", "Camille")
    person.setdefault("last_name", "Exemple")
    person.setdefault("email", "camille.exemple@exemple.test")
    return appointment_book(
        place=place, appointment_type=kind, starts_at=starts_at, consent=True, **person
    )
