"""One reminder loop for every kind of booking: workshop registrations and appointments.

A kind (:class:`Reminded`) says which of its rows are due and how to queue one row's reminder;
the loop does the rest, the same way for all: e-mail when the person gave one and SMS when a
phone is known, each row in its own transaction (committed, then sent, before the next), each
message at most once (``Message`` is unique per object, kind and channel), so a re-run or two
overlapping runs never send one twice.

The kinds register at startup (``BookingsConfig.ready``, ``AppointmentsConfig.ready``), so that
``relais send-reminders``, here, reminds of the appointments without ``bookings`` importing the
app above it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from .enums import MessageChannel, MessageKind


@dataclass
class ReminderReport:
    queued: int = 0
    already: int = 0


@dataclass(frozen=True)
class Reminded:
    """What the loop needs of a kind of booking.

    ``due(now)``: the rows to remind (each with ``email``, ``phone`` and the ``messages`` of
    ``bookings.Message``); ``notify(row, channels)``: queue the reminder of one row, returning
    the messages queued (none for a channel already sent); ``prepare(now)``: run first, before
    the rows are read (the appointments follow the planning, so nobody is reminded of one
    cancelled since), returning a line for the command's output. ``label`` names the rows
    (« inscription(s) »), ``summary`` words a run's report (``{queued}``, ``{already}``).
    """

    name: str
    label: str
    summary: str
    due: Callable[[datetime | None], Iterable]
    notify: Callable[[object, tuple[str, ...]], list]
    prepare: Callable[[datetime | None], str] | None = None


_kinds: dict[str, Reminded] = {}


def register(kind: Reminded) -> None:
    """Add (or replace) a kind; the kinds are reminded in the order they first registered."""
    _kinds[kind.name] = kind


def registered() -> list[Reminded]:
    return list(_kinds.values())


def channels_of(row) -> tuple[str, ...]:
    """A reminder goes by every contact given: e-mail and SMS."""
    return tuple(
        channel
        for channel, contact in ((MessageChannel.EMAIL, row.email), (MessageChannel.SMS, row.phone))
        if contact
    )


def reminders_send(kind: Reminded, *, now: datetime | None = None) -> ReminderReport:
    """Remind every due row of ``kind``; safe to re-run (each message exists at most once)."""
    report = ReminderReport()
    for row in kind.due(now):
        channels = channels_of(row)
        with transaction.atomic():
            queued = kind.notify(row, channels)
        report.queued += len(queued)
        report.already += len(channels) - len(queued)
    return report


def pending(kind: Reminded, *, now: datetime | None = None) -> list:
    """The due rows not yet reminded at all (for a dry run: nothing is written)."""
    return [
        row for row in kind.due(now) if not row.messages.filter(kind=MessageKind.REMINDER).exists()
    ]
