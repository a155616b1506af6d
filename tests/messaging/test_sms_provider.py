"""The Brevo SMS provider against a local stub of its API, through the outbox."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from relais.bookings.sms import BrevoSmsBackend, SmsError, SmsRefused
from relais.messaging.models import OutboxStatus
from relais.messaging.outbox import outbox_sms

from ..helpers import committed

pytestmark = pytest.mark.django_db


class StubBrevo(BaseHTTPRequestHandler):
    answers: list = []  # (status, body) to give, in order; then 201
    received: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        headers = {name.lower(): value for name, value in self.headers.items()}
        type(self).received.append((headers, json.loads(self.rfile.read(length))))
        status, body = type(self).answers.pop(0) if type(self).answers else (201, None)
        body = body or {"reference": "ref-1", "messageId": 1511882900176220, "remainingCredits": 41}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def brevo(settings):
    StubBrevo.answers, StubBrevo.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubBrevo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.RELAIS_SMS_BACKEND = "relais.bookings.sms.BrevoSmsBackend"
    settings.RELAIS_SMS_BREVO_URL = f"http://127.0.0.1:{server.server_port}/v3/transactionalSMS/sms"
    settings.RELAIS_SMS_BREVO_API_KEY = "xkeysib-test"
    settings.RELAIS_SMS_SENDER = "CD66"
    yield StubBrevo
    server.shutdown()
    server.server_close()


def test_an_sms_reaches_the_provider_as_its_api_expects(brevo):
    message = committed(outbox_sms, to="+33639980001", text="Rappel : atelier demain à 14 h")
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert "1511882900176220" in message.provider_response
    [(headers, body)] = brevo.received
    assert headers["api-key"] == "xkeysib-test"
    assert body == {
        "sender": "CD66", "recipient": "33639980001", "content": "Rappel : atelier demain à 14 h",
        "type": "transactional", "unicodeEnabled": True,
    }  # fmt: skip


def test_a_provider_outage_is_retried_and_a_bad_number_is_not(brevo):
    brevo.answers = [(503, {"message": "indisponible"})]
    message = committed(outbox_sms, to="+33639980001", text="Rappel")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and "503" in message.error
    brevo.answers = [(400, {"code": "invalid_parameter", "message": "numéro invalide"})]
    refused = committed(outbox_sms, to="+33600000000", text="Rappel")
    refused.refresh_from_db()
    assert refused.status == OutboxStatus.FAILED and "400" in refused.error


def test_an_unreachable_provider_is_a_temporary_error(settings):
    settings.RELAIS_SMS_BREVO_URL = "http://127.0.0.1:9/"  # discard port: nothing listens
    with pytest.raises(SmsError) as caught:
        BrevoSmsBackend().send("+33639980001", "Rappel")
    assert not isinstance(caught.value, SmsRefused) and "injoignable" in str(caught.value)
