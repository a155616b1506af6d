"""Demo data: registrations with clearly fictitious people, a full session with a waiting list,
and a past session with attendance. No message is sent (rows are written directly).

Phone numbers are in the range ARCEP reserves for fiction (06 39 98 xx xx); e-mail addresses
use the reserved .test domain.
"""

import unicodedata

from django.utils import timezone

from relais.core.demo import DemoContext

from .consent import CURRENT_CONSENT_VERSION
from .enums import Attendance, RegistrationSource, RegistrationStatus
from .models import Registration

PEOPLE = [
    ("Camille", "Exemple"),
    ("Dominique", "Essai"),
    ("Alex", "Démonstration"),
    ("Claude", "Fictif"),
    ("Sacha", "Modèle"),
    ("Morgane", "Prototype"),
    ("Lou", "Maquette"),
    ("Jordan", "Brouillon"),
    ("Andrea", "Specimen"),
    ("Charlie", "Témoin"),
]


def _person(index: int) -> dict:
    first, last = PEOPLE[index % len(PEOPLE)]
    contact = {"first_name": first, "last_name": last}
    if index % 3 != 2:
        ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
        contact["email"] = ascii_name.decode().lower() + "@exemple.test"
    if index % 3 != 0:
        contact["phone"] = f"+336399800{index:02d}"
    return contact


def _register(session, index: int, status: str, **extra) -> Registration:
    person = _person(index)
    existing = Registration.objects.filter(
        session=session, first_name=person["first_name"], last_name=person["last_name"]
    ).first()
    if existing:
        return existing
    now = timezone.now()
    registration = Registration(
        session=session,
        status=status,
        source=RegistrationSource.STAFF if index % 4 == 3 else RegistrationSource.ONLINE,
        consent_version=CURRENT_CONSENT_VERSION,
        consent_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        **person,
        **extra,
    )
    registration.full_clean()
    registration.save()
    return registration


def load(ctx: DemoContext) -> None:
    sessions = ctx.objects["workshop_sessions"]
    if not sessions:
        return
    full = sessions[0]  # the first session of the programme: full, two people waiting
    for index in range(full.capacity):
        _register(full, index, RegistrationStatus.CONFIRMED)
    for index in range(full.capacity, full.capacity + 2):
        _register(full, index, RegistrationStatus.WAITING)
    for offset, session in enumerate(sessions[1:8], start=1):
        for index in range(offset % 4 + 1):
            _register(session, (index + offset) % len(PEOPLE), RegistrationStatus.CONFIRMED)
    past = ctx.objects["workshop_past_session"]
    marks = [Attendance.PRESENT] * 4 + [Attendance.ABSENT, Attendance.EXCUSED]
    for index, mark in enumerate(marks):
        _register(
            past,
            index,
            RegistrationStatus.CONFIRMED,
            attendance=mark,
            attendance_marked_at=past.ends_at,
        )
