"""Canary rows for the outbox's retention rule (collected by tests/privacy/test_purge.py)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from relais.messaging.models import OutboxMessage


def _message(days_ago: int) -> OutboxMessage:
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        return OutboxMessage.objects.create(
            channel="email",
            recipient="habitant@exemple.test",
            subject="Votre inscription",
            body="Bonjour",
            status="sent",
        )


def make_outbox_messages():
    return _message(days_ago=120), _message(days_ago=10)
