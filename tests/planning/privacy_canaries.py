"""Canary rows for the planning's retention rules (collected by tests/privacy/test_purge.py)."""

import datetime as dt

from django.utils import timezone

from relais.planning.models import WeekVisit

from ..factories import AdvisorFactory


def make_week_visits():
    due = WeekVisit.objects.create(
        advisor=AdvisorFactory(), visited_at=timezone.now() - dt.timedelta(days=400)
    )
    fresh = WeekVisit.objects.create(advisor=AdvisorFactory(), visited_at=timezone.now())
    return due, fresh


def make_slot_notes():
    """Rows written directly: the agreement-period checks of slot_create are not the point."""
    from datetime import date, time

    from relais.planning.models import Slot

    from ..factories import PlaceFactory

    place = PlaceFactory()
    common = {"place": place, "weekday": 1, "start_time": time(9), "end_time": time(12)}
    due = Slot.objects.create(
        **common, valid_from=date(2019, 1, 1), valid_until=date(2019, 6, 30), note="à effacer"
    )
    fresh = Slot.objects.create(**common, valid_from=date(2026, 9, 1), note="à garder")
    return due, fresh
