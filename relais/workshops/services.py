"""Writes to the catalogue and the programme. Cancelling a session notifies people, and a
larger capacity gives seats to the waiting list: those live in ``relais.bookings.services``
(``session_cancel``, ``session_update``), next to the registrations they touch."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from relais.core.pagecache import public_pages_changed
from relais.team.busy import conflict_message, conflicts
from relais.team.models import Advisor

from .enums import SessionStatus, TopicStatus
from .models import WorkshopSession, WorkshopTopic

# What a topic's services write, in the order the topic form shows them.
TOPIC_FIELDS = (
    "title",
    "slug",
    "description",
    "themes",
    "level",
    "duration_minutes",
    "capacity",
    "prerequisites",
    "equipment",
    "status",
)
MAX_SERIES_LENGTH = 52


def _check_fields(fields: dict, allowed) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValueError(f"Unknown field(s): {', '.join(unknown)}")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "atelier"
    slug, n = base, 2
    while WorkshopTopic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def topic_create(*, title: str, description: str, **fields) -> WorkshopTopic:
    """A new catalogue entry (a draft unless ``status`` says otherwise)."""
    _check_fields(fields, TOPIC_FIELDS)
    topic = WorkshopTopic(title=title, description=description, **fields)
    if not topic.slug:
        topic.slug = _unique_slug(title)
    topic.full_clean()
    topic.save()
    public_pages_changed(None)  # the catalogue and the places' pages name the topics
    return topic


def topic_update(*, topic: WorkshopTopic, **fields) -> WorkshopTopic:
    _check_fields(fields, TOPIC_FIELDS)
    for name, value in fields.items():
        setattr(topic, name, value)
    try:
        topic.full_clean()
    except ValidationError:
        topic.refresh_from_db()
        raise
    topic.save()
    public_pages_changed(None)  # the catalogue and the places' pages name the topics
    return topic


def topic_publish(*, topic: WorkshopTopic) -> WorkshopTopic:
    return topic_update(topic=topic, status=TopicStatus.PUBLISHED)


def local_datetime(day: date, at: time) -> datetime:
    # Built from the local date and time, so 14:00 stays 14:00 across a DST change.
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _build_session(
    *,
    topic,
    place,
    starts_at,
    duration_minutes,
    capacity,
    status,
    series_key,
    waiting_list_cap=None,
):
    duration = duration_minutes or topic.duration_minutes
    if capacity is None:
        # The topic's size, within the room of the place.
        capacity = min(topic.capacity, place.room_capacity or topic.capacity)
    return WorkshopSession(
        topic=topic,
        place=place,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration),
        capacity=capacity,
        waiting_list_cap=waiting_list_cap,
        status=status,
        series_key=series_key,
    )


def _lock_advisors(advisors) -> list:
    """Lock the advisers' rows, in primary-key order, like a booking does
    (``relais.appointments.services``): a session and an appointment taking the same
    adviser's time at once are serialised, and the second sees the first."""
    ids = sorted({a.pk for a in advisors})
    return list(Advisor.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def check_advisors_free(session: WorkshopSession, advisors) -> None:
    """Refuse (``ValidationError`` on ``advisors``, in French) when one of ``advisors`` is busy
    during ``session`` (``relais.team.busy``: appointments, other workshops, leave, committee
    meetings, permanences elsewhere and the drive, a closure of the place). A permanence at
    the same place is no conflict: the workshop may be held during it. Call under the lock."""
    if session.is_cancelled:
        return
    ignore = [("workshop", session.pk)] if session.pk else []
    problems = []
    for advisor in sorted(advisors, key=lambda a: a.pk):
        found = conflicts(
            advisor=advisor,
            start=session.starts_at,
            end=session.ends_at,
            place=session.place,
            ignore=ignore,
        )
        if found:
            problems.append(conflict_message(advisor, found))
    closed = conflicts(
        advisor=None, start=session.starts_at, end=session.ends_at, place=session.place
    )
    if closed and not problems:
        problems.append(f"Le lieu est fermé : {closed[0].describe()}.")
    if problems:
        problems.append("Choisissez un autre horaire, un autre lieu ou un autre conseiller.")
        raise ValidationError({"advisors": problems})


@transaction.atomic
def session_create(
    *,
    topic: WorkshopTopic,
    place,
    starts_at: datetime,
    duration_minutes: int | None = None,
    capacity: int | None = None,
    waiting_list_cap: int | None = None,
    advisors=(),
    status: str = SessionStatus.PLANNED,
) -> WorkshopSession:
    """One session. ``capacity`` defaults to the topic's, capped by the room of the place;
    ``waiting_list_cap`` to as many people as seats."""
    session = _build_session(
        topic=topic,
        place=place,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        capacity=capacity,
        waiting_list_cap=waiting_list_cap,
        status=status,
        series_key="",
    )
    session.full_clean()
    advisors = _lock_advisors(advisors)
    check_advisors_free(session, advisors)
    session.save()
    session.advisors.set(advisors)
    public_pages_changed(session.place)
    return session


@dataclass
class SeriesResult:
    sessions: list[WorkshopSession] = field(default_factory=list)
    # (date, holiday name) of every date of the series that fell on a public holiday.
    skipped: list[tuple[date, str]] = field(default_factory=list)

    @property
    def skipped_text(self) -> str:
        """« 14/07/2025 (Fête nationale), 15/08/2025 (Assomption) » for a message."""
        return ", ".join(f"{day:%d/%m/%Y} ({name})" for day, name in self.skipped)


@transaction.atomic
def session_series_create(
    *,
    topic: WorkshopTopic,
    place,
    first_day: date,
    start_time: time,
    occurrences: int,
    interval_weeks: int = 1,
    duration_minutes: int | None = None,
    capacity: int | None = None,
    waiting_list_cap: int | None = None,
    advisors=(),
) -> SeriesResult:
    """``occurrences`` dates, every ``interval_weeks`` weeks from ``first_day``, at the same
    local time; dates falling on a French public holiday are skipped and listed in the result.

    All or nothing: an invalid session (e.g. capacity above the room) creates none.
    """
    if not 1 <= occurrences <= MAX_SERIES_LENGTH:
        raise ValidationError(f"Une série compte de 1 à {MAX_SERIES_LENGTH} séances.")
    if interval_weeks < 1:
        raise ValidationError("L'intervalle entre deux séances est d'au moins une semaine.")
    days = [first_day + timedelta(weeks=interval_weeks * i) for i in range(occurrences)]
    public_holidays = holidays.France(years={d.year for d in days}, language="fr")
    result = SeriesResult()
    advisors = _lock_advisors(advisors)
    series_key = uuid.uuid4().hex if occurrences > 1 else ""
    for day in days:
        if day in public_holidays:
            result.skipped.append((day, public_holidays.get(day)))
            continue
        session = _build_session(
            topic=topic,
            place=place,
            starts_at=local_datetime(day, start_time),
            duration_minutes=duration_minutes,
            capacity=capacity,
            waiting_list_cap=waiting_list_cap,
            status=SessionStatus.PLANNED,
            series_key=series_key,
        )
        try:
            session.full_clean()
            check_advisors_free(session, advisors)
        except ValidationError as error:
            raise ValidationError(
                f"Séance du {day:%d/%m/%Y} : {'; '.join(error.messages)}"
            ) from error
        session.save()
        session.advisors.set(advisors)
        result.sessions.append(session)
    public_pages_changed(*{s.place for s in result.sessions})
    return result


SESSION_FIELDS = frozenset(
    {"starts_at", "ends_at", "capacity", "waiting_list_cap", "status", "place", "topic"}
)


@transaction.atomic
def session_change(*, session: WorkshopSession, advisors=None, **fields) -> WorkshopSession:
    """Change a session's own fields. Capacity cannot drop below the confirmed registrations.
    Lowering the waiting list's cap below the people already waiting removes no one: it only
    refuses newcomers. The seats a larger capacity frees go to the waiting list in
    ``relais.bookings.services.session_update``, which calls this: the pages and the other
    services call that one."""
    # Moved to another place: both places' pages change.
    previous_place = [session.place] if "place" in fields else []
    _check_fields(fields, SESSION_FIELDS)
    session = WorkshopSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("Cette séance est annulée : elle ne peut plus être modifiée.")
    if fields.get("status") == SessionStatus.CANCELLED:
        raise ValueError("Use relais.bookings.services.session_cancel to cancel a session.")
    before = (session.starts_at, session.ends_at, session.place_id)
    before_leaders = set(session.advisors.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean()
    leaders = _lock_advisors(session.advisors.all() if advisors is None else advisors)
    # Checked when the time, the place or the leaders change: a capacity or a waiting list
    # changed on a session planned before this rule (or a past one) is not refused.
    moved = before != (session.starts_at, session.ends_at, session.place_id)
    if moved or before_leaders != {a.pk for a in leaders}:
        check_advisors_free(session, leaders)
    confirmed = session.registrations.confirmed().count()
    if session.capacity < confirmed:
        raise ValidationError(
            {
                "capacity": f"{confirmed} personnes sont déjà inscrites : la séance ne peut pas "
                f"proposer moins de {confirmed} places."
            }
        )
    session.save()
    if advisors is not None:
        session.advisors.set(advisors)
    public_pages_changed(session.place, *previous_place)
    return session
