"""Reads of the catalogue and the programme: public pages, the place page, exports."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .enums import SessionStatus
from .models import WorkshopSession, WorkshopTopic

CONFIRMED_SEATS = Count("registrations", filter=Q(registrations__status="confirmed"))
WAITING = Count("registrations", filter=Q(registrations__status="waiting"))


def with_seats(sessions):
    """Annotate ``taken`` (confirmed seats) and ``waiting``; ``seats_left`` is then a
    property of the row."""
    return sessions.annotate(taken=CONFIRMED_SEATS, waiting=WAITING)


def seats_left(session) -> int:
    taken = getattr(session, "taken", None)
    if taken is None:
        taken = session.registrations.filter(status="confirmed").count()
    return max(session.capacity - taken, 0)


def waiting_list_full(session) -> bool:
    """No seat left and nobody more may wait (``WorkshopSession.waiting_list_size``)."""
    waiting = getattr(session, "waiting", None)
    if waiting is None:
        waiting = session.registrations.filter(status="waiting").count()
    return seats_left(session) == 0 and waiting >= session.waiting_list_size


def _decorate(sessions) -> list[WorkshopSession]:
    rows = list(sessions)
    for session in rows:
        session.seats_left = seats_left(session)
        session.is_full = session.seats_left == 0
        session.waiting_list_full = waiting_list_full(session)
    return rows


def upcoming_sessions(place, limit: int = 10) -> list[WorkshopSession]:
    """Open sessions of a place, soonest first, each with ``seats_left`` and ``is_full``.

    For the public page of a place: ``{% load workshops %}{% upcoming_sessions place %}`` renders
    them with ``workshops/includes/upcoming_sessions.html``.
    """
    sessions = (
        with_seats(WorkshopSession.objects.open_for_registration().filter(place=place))
        .select_related("topic", "place")
        .order_by("starts_at")[:limit]
    )
    return _decorate(sessions)


def published_catalogue(place=None) -> list[WorkshopTopic]:
    """Published topics, each with ``next_sessions`` (open, with seats left), for the public."""
    topics = list(WorkshopTopic.objects.published().order_by("title"))
    sessions = with_seats(WorkshopSession.objects.open_for_registration()).select_related(
        "place__commune", "topic"
    )
    if place is not None:
        sessions = sessions.filter(place=place)
    by_topic: dict[int, list] = {}
    for session in _decorate(sessions.order_by("starts_at")):
        by_topic.setdefault(session.topic_id, []).append(session)
    for topic in topics:
        topic.next_sessions = by_topic.get(topic.pk, [])
    return topics


def topic_sessions(topic) -> list[WorkshopSession]:
    sessions = (
        with_seats(WorkshopSession.objects.open_for_registration().filter(topic=topic))
        .select_related("place__commune", "topic")
        .order_by("starts_at")
    )
    return _decorate(sessions)


def place_feed_sessions(place):
    """The iCal feed of a place: sessions of the last 30 days and to come, cancelled included
    (so that subscribed calendars remove them)."""
    since = timezone.now() - timedelta(days=30)
    return (
        WorkshopSession.objects.filter(place=place, starts_at__gte=since)
        .filter(topic__status="published")
        .select_related("topic", "place__commune")
        .order_by("starts_at")
    )


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def programme_count(*, places, first: date, last: date) -> int:
    """How many sessions :func:`programme` lists (decides an immediate file or a job)."""
    start, end = _day_bounds(first, last)
    return WorkshopSession.objects.filter(
        place__in=places, starts_at__gte=start, starts_at__lt=end
    ).count()


def programme(*, places, first: date, last: date) -> list[WorkshopSession]:
    """The programme (« annexe 2 ») of some places between two dates, cancelled sessions kept
    (with their status) so that the document says what changed."""
    start, end = _day_bounds(first, last)
    sessions = (
        with_seats(
            WorkshopSession.objects.filter(
                place__in=places, starts_at__gte=start, starts_at__lt=end
            )
        )
        .select_related("topic", "place__commune")
        .prefetch_related("advisors__user")
        .order_by("place__name", "starts_at")
    )
    return _decorate(sessions)


def staff_sessions(user, *, place=None, include_past: bool = False):
    sessions = WorkshopSession.objects.visible_to(user)
    if place is not None:
        sessions = sessions.filter(place=place)
    if not include_past:
        sessions = sessions.filter(starts_at__gte=timezone.now() - timedelta(days=14))
    sessions = sessions.exclude(status=SessionStatus.CANCELLED, starts_at__lt=timezone.now())
    return _decorate(
        with_seats(sessions)
        .select_related("topic", "place")
        .prefetch_related("advisors__user")
        .order_by("starts_at")
    )


# --- Activity reports (comptes rendus) ------------------------------------------------------------


def report_is_due(session, now=None) -> bool:
    """A session's report is due from its start until one is recorded (never if cancelled)."""
    return (
        session.status != SessionStatus.CANCELLED
        and session.starts_at <= (now or timezone.now())
        and not session.activity_reports.exists()
    )


def sessions_awaiting_report(advisor, now=None):
    """The sessions ``advisor`` runs that have started and have no report yet, oldest first."""
    return (
        WorkshopSession.objects.filter(
            advisors=advisor,
            starts_at__lte=now or timezone.now(),
            activity_reports__isnull=True,
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("topic", "place")
        .order_by("starts_at", "pk")
    )
