"""Writes to appointments: book, cancel (by the link, by staff, after a schedule change), mark
done or no-show, remind, and follow the schedule when it changes.

Never two appointments of one adviser at the same time, nor one during their workshop, leave,
committee meeting or permanence elsewhere (``relais.team.busy``, the one read model of an
adviser's time), under concurrency too: the booking locks the rows of the advisers who could
take the time (``select_for_update``, in primary-key order so that two bookings never wait for
each other crosswise), then computes the free times again — now seeing every booking, and
every workshop session scheduled (``relais.workshops.services`` takes the same locks),
committed before the lock was granted — and inserts. On SQLite, IMMEDIATE transactions
serialise writers instead (config/settings/base.py). A unique
constraint on (adviser, start) of live appointments backs this up.

A place's own rules (« Réglages des rendez-vous »: notice, horizon, walk-in share, online
booking stopped) apply to every booking: :func:`appointment_book` re-checks the chosen time
against them (:func:`check_bookable`), so a forged request cannot get round them. They are
changed by :func:`place_appointment_settings_update`.

Schedule changes (leave, closure, cancelled or re-staffed occurrence) are not signalled: the
planning computes occurrences on the fly. :func:`schedule_changes_apply` compares every upcoming
appointment with the occurrences of today's planning and cancels (or hands to a colleague
present) those whose adviser is no longer there. ``relais notify-schedule-changes`` and
``relais send-reminders`` (every 15 minutes, before the reminders) run it; it is idempotent.

One module per thing done: ``booking``, ``place_settings``, ``status`` (cancel, mark),
``schedule_changes``, ``reminders``, ``messages``; every name is importable from here.
"""

from .booking import (
    BOOKING_DISABLED,
    REFUSED_TIME_CODES,
    SLOT_TAKEN,
    UNAVAILABLE,
    appointment_book,
    check_bookable,
    unavailable_error,
)
from .messages import (
    SUBJECTS,
    WITH_CALENDAR,
    appointment_ics,
    appointment_notify,
    booking_url,
    opening_url,
)
from .place_settings import (
    PLACE_SETTINGS_FIELDS,
    place_appointment_settings_update,
)
from .reminders import (
    APPOINTMENT_REMINDERS,
    appointment_reminder_hours,
    appointment_reminders_due,
    appointment_reminders_send,
    register_reminders,
)
from .schedule_changes import (
    Affected,
    ScheduleReport,
    appointments_affected,
    appointments_affected_by,
    schedule_changes_apply,
)
from .status import (
    MARKABLE,
    NEXT_OPTIONS_OFFERED,
    appointment_cancel,
    appointment_cancel_for_change,
    appointment_mark,
    next_options,
)

__all__ = [
    "APPOINTMENT_REMINDERS",
    "BOOKING_DISABLED",
    "MARKABLE",
    "NEXT_OPTIONS_OFFERED",
    "PLACE_SETTINGS_FIELDS",
    "REFUSED_TIME_CODES",
    "SLOT_TAKEN",
    "SUBJECTS",
    "UNAVAILABLE",
    "WITH_CALENDAR",
    "Affected",
    "ScheduleReport",
    "appointment_book",
    "appointment_cancel",
    "appointment_cancel_for_change",
    "appointment_ics",
    "appointment_mark",
    "appointment_notify",
    "appointment_reminder_hours",
    "appointment_reminders_due",
    "appointment_reminders_send",
    "appointments_affected",
    "appointments_affected_by",
    "booking_url",
    "check_bookable",
    "next_options",
    "opening_url",
    "place_appointment_settings_update",
    "register_reminders",
    "schedule_changes_apply",
    "unavailable_error",
]
