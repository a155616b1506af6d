"""Makers for tests/privacy/test_purge.py: a row due for erasure, and one not yet due."""

from datetime import timedelta

from django.utils import timezone


def make_appointments():
    from ..factories import AdvisorFactory, PlaceFactory
    from .appointment_helpers import appointment_type, booked

    kind, place, adviser = appointment_type(), PlaceFactory(), AdvisorFactory()
    # Relative to the suite's frozen clock: 120 days is past the retention term and 10 days
    # within it on any TEST_NOW, the only thing the canary depends on.
    due = booked(place, kind, adviser, timezone.now() - timedelta(days=120), phone="+33639980098")
    fresh = booked(place, kind, adviser, timezone.now() - timedelta(days=10))
    return due, fresh
