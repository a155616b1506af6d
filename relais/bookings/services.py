"""Writes to registrations: register, cancel, promote from the waiting list, cancel a session,
mark attendance, send reminders, erase personal data after the retention period.

Seats are counted under a lock on the session row (``select_for_update`` inside
``transaction.atomic``): on PostgreSQL two people taking the last seat at the same instant are
served one after the other, and the second lands on the waiting list. SQLite has no row locks,
but its IMMEDIATE transactions (config/settings/base.py) serialise every writer the same way.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from relais.core.site import site_url
from relais.workshops.enums import OPEN_SESSION_STATUSES, SessionStatus
from relais.workshops.models import WorkshopSession
from relais.workshops.services import session_change

from . import reminders
from .consent import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from .enums import Attendance, MessageChannel, MessageKind, RegistrationSource, RegistrationStatus
from .messaging import registration_notify
from .models import Registration
from .validators import normalise_phone

CONTACT_REQUIRED = (
    "Indiquez au moins un moyen de vous joindre : un numéro de téléphone ou une adresse e-mail."
)
WAITING_LIST_FULL = "waiting_list_full"
NEXT_SESSIONS_OFFERED = 5


def _lock_session(session: WorkshopSession) -> WorkshopSession:
    # The session row only (no join), so two different sessions never wait for each other.
    return WorkshopSession.objects.select_for_update().get(pk=session.pk)


def clean_contact(*, first_name: str, last_name: str, phone: str, email: str) -> dict:
    """The identity and contact of a person, normalised; ``ValidationError`` in French."""
    errors = {}
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    phone, email = (phone or "").strip(), (email or "").strip().lower()
    if not first_name:
        errors["first_name"] = "Indiquez votre prénom."
    if not last_name:
        errors["last_name"] = "Indiquez votre nom."
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Cette adresse e-mail n'est pas valide (ex. : prenom.nom@exemple.fr)."
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["__all__"] = CONTACT_REQUIRED
    if errors:
        raise ValidationError(errors)
    return {"first_name": first_name, "last_name": last_name, "phone": phone, "email": email}


def registration_create(
    *,
    session: WorkshopSession,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    consent: bool,
    consent_version: int = CURRENT_CONSENT_VERSION,
    source: str = RegistrationSource.ONLINE,
    registered_by=None,
) -> Registration:
    """Register a person: a seat when one is left, else the waiting list while it is shorter
    than the session's ``waiting_list_size``. Tells them (e-mail, or SMS when they gave only a
    phone). Nothing is saved on invalid data or a full waiting list (French messages)."""
    contact = clean_contact(first_name=first_name, last_name=last_name, phone=phone, email=email)
    if not consent:
        raise ValidationError(
            {"consent": "Votre accord est nécessaire pour enregistrer votre inscription."}
        )
    if consent_version not in CONSENT_TEXTS:
        raise ValueError(f"Unknown consent version {consent_version}")
    now = timezone.now()
    with transaction.atomic():
        session = _lock_session(session)
        if not session.is_open:
            raise ValidationError(
                "Les inscriptions à cette séance sont closes (séance passée, annulée ou retirée "
                "du catalogue)."
            )
        same_person = Q()
        if contact["email"]:
            same_person |= Q(email__iexact=contact["email"])
        if contact["phone"]:
            same_person |= Q(phone=contact["phone"])
        if session.registrations.active().filter(same_person).exists():
            raise ValidationError(
                "Une inscription à cette séance existe déjà avec ces coordonnées : le message "
                "de confirmation reçu permet de la consulter ou de l'annuler."
            )
        has_seat = session.registrations.confirmed().count() < session.capacity
        if not has_seat and session.registrations.waiting().count() >= session.waiting_list_size:
            raise ValidationError(waiting_list_full_message(session), code=WAITING_LIST_FULL)
        registration = Registration(
            session=session,
            **contact,
            status=RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITING,
            confirmed_at=now if has_seat else None,
            source=source,
            registered_by=registered_by,
            consent_version=consent_version,
            consent_at=now,
        )
        registration.full_clean()
        registration.save()
        registration_notify(
            registration,
            MessageKind.CONFIRMATION if has_seat else MessageKind.WAITING_LIST,
            waiting_rank=None if has_seat else session.registrations.waiting().count(),
        )
    return registration


def waiting_list_full_message(session: WorkshopSession) -> str:
    if session.waiting_list_size == 0:
        return (
            "Cette séance est complète et n'a pas de liste d'attente : votre inscription n'a "
            "pas été enregistrée. Choisissez une autre date de cet atelier."
        )
    return (
        "Cette séance est complète et sa liste d'attente aussi : votre inscription n'a pas été "
        "enregistrée. Choisissez une autre date de cet atelier."
    )


def waiting_list_fill(*, session: WorkshopSession) -> list[Registration]:
    """Give the free seats of an open session to the first people waiting, and tell them."""
    promoted = []
    with transaction.atomic():
        session = _lock_session(session)
        if not session.is_open:
            return promoted
        free = session.capacity - session.registrations.confirmed().count()
        if free <= 0:
            return promoted
        now = timezone.now()
        for registration in session.registrations.waiting()[:free]:
            registration.status = RegistrationStatus.CONFIRMED
            registration.promoted_at = registration.confirmed_at = now
            registration.save(update_fields=["status", "promoted_at", "confirmed_at", "updated_at"])
            registration_notify(registration, MessageKind.PROMOTION)
            promoted.append(registration)
    return promoted


@transaction.atomic
def session_update(*, session: WorkshopSession, advisors=None, **fields) -> WorkshopSession:
    """Change a session (``relais.workshops.services.session_change``: its rules and checks),
    then give the seats a larger capacity frees to the first people waiting, and tell them."""
    session = session_change(session=session, advisors=advisors, **fields)
    waiting_list_fill(session=session)
    return session


def registration_cancel(*, registration: Registration) -> Registration:
    """Cancel a registration (by the person's link, or by staff); the seat goes to the first
    person waiting. Cancelling twice does nothing the second time."""
    with transaction.atomic():
        session = _lock_session(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if session.starts_at <= timezone.now():
            raise ValidationError("La séance a commencé : l'inscription ne peut plus être annulée.")
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        if registration.email and session.status != SessionStatus.CANCELLED:
            registration_notify(
                registration, MessageKind.CANCELLATION, channels=(MessageChannel.EMAIL,)
            )
        if was_confirmed:
            waiting_list_fill(session=session)
    return registration


def next_sessions(session: WorkshopSession, limit: int = NEXT_SESSIONS_OFFERED) -> list:
    """Upcoming open sessions of the same topic, the same place first."""
    candidates = (
        WorkshopSession.objects.open_for_registration()
        .filter(topic_id=session.topic_id)
        .exclude(pk=session.pk)
        .select_related("place", "topic")
        .order_by("starts_at")[:50]
    )
    ordered = sorted(candidates, key=lambda s: (s.place_id != session.place_id, s.starts_at))
    return ordered[:limit]


def session_cancel(*, session: WorkshopSession, reason: str = "") -> WorkshopSession:
    """Cancel a session and tell every registered and waiting person: by e-mail, and by SMS
    when they gave only a phone, with links to the next sessions of the same workshop."""
    with transaction.atomic():
        session = _lock_session(session)
        if session.status == SessionStatus.CANCELLED:
            return session
        if session.status not in OPEN_SESSION_STATUSES or session.starts_at <= timezone.now():
            raise ValidationError("Seule une séance à venir peut être annulée.")
        session.status = SessionStatus.CANCELLED
        session.cancellation_reason = reason.strip()
        session.cancelled_at = timezone.now()
        session.full_clean()
        session.save()
        offers = [
            {"session": s, "url": site_url(reverse("bookings:register", kwargs={"pk": s.pk}))}
            for s in next_sessions(session)
        ]
        for registration in session.registrations.active().select_related("session__topic"):
            registration_notify(
                registration, MessageKind.SESSION_CANCELLED, next_sessions=offers, reason=reason
            )
    return session


def attendance_mark(*, session: WorkshopSession, marks: dict[int, str]) -> WorkshopSession:
    """Record who came (present, absent, excused) once the session has started; the session is
    then ``held``. ``marks`` maps registration ids to an Attendance value ("" clears it)."""
    allowed = set(Attendance.values) | {""}
    if not set(marks.values()) <= allowed:
        raise ValidationError("Valeur de présence inconnue.")
    with transaction.atomic():
        session = _lock_session(session)
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError("Cette séance est annulée : aucune présence à noter.")
        if session.starts_at > timezone.now():
            raise ValidationError("Les présences se notent une fois la séance commencée.")
        registrations = {r.pk: r for r in session.registrations.confirmed()}
        unknown = set(marks) - set(registrations)
        if unknown:
            raise ValidationError("Certaines inscriptions ne sont pas confirmées à cette séance.")
        now = timezone.now()
        for pk, value in marks.items():
            registration = registrations[pk]
            if registration.attendance == value:
                continue
            registration.attendance = value
            registration.attendance_marked_at = now if value else None
            registration.save(update_fields=["attendance", "attendance_marked_at", "updated_at"])
        if any(marks.values()) and session.status != SessionStatus.HELD:
            session.status = SessionStatus.HELD
            session.save(update_fields=["status", "updated_at"])
    return session


# --- Reminders ------------------------------------------------------------------------------------


def reminder_hours() -> int:
    return settings.RELAIS_REMINDER_HOURS


def reminders_due(now: datetime | None = None):
    """Confirmed registrations of open sessions starting within the reminder window, whose seat
    was confirmed before that window opened (a fresh confirmation already says it all)."""
    now = now or timezone.now()
    window = timedelta(hours=reminder_hours())
    return (
        Registration.objects.confirmed()
        .filter(
            anonymised_at__isnull=True,
            session__status__in=OPEN_SESSION_STATUSES,
            session__starts_at__gt=now,
            session__starts_at__lte=now + window,
            confirmed_at__lte=F("session__starts_at") - window,
        )
        .select_related("session__topic", "session__place__commune")
    )


REGISTRATION_REMINDERS = reminders.Reminded(
    name="registrations",
    label="inscription(s)",
    summary="{queued} rappel(s) envoyé(s) ou tenté(s), {already} déjà envoyé(s).",
    due=reminders_due,
    notify=lambda registration, channels: registration_notify(
        registration, MessageKind.REMINDER, channels=channels
    ),
)


def reminders_send(*, now: datetime | None = None) -> reminders.ReminderReport:
    """Remind every due registration: e-mail when known, and SMS when a phone is known. Each
    message exists at most once (unique per registration, kind and channel): safe to re-run."""
    return reminders.reminders_send(REGISTRATION_REMINDERS, now=now)
