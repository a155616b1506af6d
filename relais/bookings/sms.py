"""Sending SMS: one interface, the provider chosen by ``settings.RELAIS_SMS_BACKEND``.

A real provider is a class with a ``send(to, text)`` method named in the settings (environment
variable ``RELAIS_SMS_BACKEND``); views and services only ever call :func:`get_sms_backend`.
The default :class:`LoggingSmsBackend` sends nothing: it writes to the log and to :data:`outbox`
(a list the tests read, like ``django.core.mail.outbox``).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or could not take the message."""


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


class BaseSmsBackend:
    # Providers bill per 160-character segment: messages are written to fit in two.
    max_length = 320

    def send(self, to: str, text: str) -> None:  # pragma: no cover - interface
        """Send ``text`` to ``to`` (E.164, e.g. +33612345678); raise SmsError on failure."""
        raise NotImplementedError


outbox: list[Sms] = []


class LoggingSmsBackend(BaseSmsBackend):
    """Development and tests: nothing leaves the machine."""

    def send(self, to: str, text: str) -> None:
        outbox.append(Sms(to=to, text=text))
        # The number is masked: logs are not meant to hold residents' personal data.
        logger.info("SMS (non envoyé, journal seulement) à %s : %s", to[:5] + "…" + to[-2:], text)


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.RELAIS_SMS_BACKEND)()
