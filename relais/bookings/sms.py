"""Sending SMS: one interface, the provider chosen by ``settings.RELAIS_SMS_BACKEND``.

A real provider is a class with a ``send(to, text)`` method named in the settings (environment
variable ``RELAIS_SMS_BACKEND``); the outbox (``relais.messaging.outbox``) builds it from the
setting and is the only sender: views and services queue messages, they never send.
The default :class:`LoggingSmsBackend` sends nothing: it writes to the log and to :data:`outbox`
(a list the tests read, like ``django.core.mail.outbox``).
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or could not take the message (tried again later)."""

    permanent = False


class SmsRefused(SmsError):
    """The provider refused this message for good (bad number, bad key): no retry."""

    permanent = True


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


class BrevoSmsBackend(BaseSmsBackend):
    """Brevo (formerly Sendinblue, Paris), transactional SMS API v3: one POST per message.

    Settings (environment): ``RELAIS_SMS_BREVO_API_KEY``, ``RELAIS_SMS_SENDER`` (the name shown,
    11 letters or digits at most), ``RELAIS_SMS_BREVO_URL`` (the API's address; a test points
    it at a local stub). Returns the provider's answer (message id, credits left), which the
    outbox records. A 4xx answer is a refusal for good; a 5xx, a timeout or a network error is
    tried again by the outbox.
    """

    def send(self, to: str, text: str) -> str:
        body = json.dumps(
            {
                "sender": settings.RELAIS_SMS_SENDER,
                "recipient": to.removeprefix("+"),  # Brevo wants the digits of the E.164 number
                "content": text,
                "type": "transactional",
                "unicodeEnabled": True,  # French accents as they are, not transliterated
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL comes from the settings
            settings.RELAIS_SMS_BREVO_URL,
            data=body,
            method="POST",
            headers={
                "api-key": settings.RELAIS_SMS_BREVO_API_KEY,
                "accept": "application/json",
                "content-type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.EMAIL_TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:500]
            message = f"Brevo a répondu {error.code} : {detail}"
            raise (SmsRefused if 400 <= error.code < 500 else SmsError)(message) from error
        except (OSError, ValueError) as error:  # network, timeout, an answer that is not JSON
            raise SmsError(f"Brevo injoignable : {error}") from error
        return (
            f"Brevo : message {answer.get('messageId', '?')}, "
            f"référence {answer.get('reference', '?')}, "
            f"crédits restants {answer.get('remainingCredits', '?')}"
        )
