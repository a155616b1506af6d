"""Canary rows for the bookings' retention rules (collected by tests/privacy/test_purge.py)."""

from datetime import timedelta

from django.utils import timezone

from relais.bookings.models import Message

from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory


def _registration(days_ago: int):
    end = timezone.now() - timedelta(days=days_ago)
    session = WorkshopSessionFactory(starts_at=end - timedelta(hours=2), ends_at=end)
    return RegistrationFactory(session=session, phone="+33639980099")


def make_workshop_registrations():
    return _registration(days_ago=120), _registration(days_ago=10)


def _message(registration):
    return Message.objects.create(
        registration=registration, kind="reminder", channel="email", recipient=registration.email
    )


def make_workshop_messages():
    return _message(_registration(days_ago=120)), _message(_registration(days_ago=10))
