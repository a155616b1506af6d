"""Helpers shared by the tests: TOTP codes, verified logins, HTML inspection, spreadsheets."""

import html
import re
import threading
import time
import zipfile
from html.parser import HTMLParser
from io import BytesIO

from django.db import OperationalError, connection, connections
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from openpyxl import Workbook


def totp_code(device, at: float | None = None) -> str:
    """The code an authenticator app would show now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def expire_throttle(device) -> None:
    """Act as if the user waited out django-otp's delay after a wrong code."""
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def demo_clients(**options) -> dict:
    """A test client per role (``options`` for Django's ``Client``), logged in with both
    factors as the demo's first active user of that role (``relais demo`` has run)."""
    from django.test import Client

    from relais.accounts.enums import Role
    from relais.accounts.models import User

    clients = {}
    for role in Role.values:
        user = (
            User.objects.filter(role=role, is_active=True, email__endswith="@demo.relais.test")
            .order_by("pk")
            .first()
        )
        device = user.totpdevice_set.filter(confirmed=True).first()
        clients[role] = login_verified(Client(**options), user, device)
    return clients


def login_verified(client, user, device=None):
    """Log a user in as if they had passed both factors (when they have a device)."""
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class _TagCounter(HTMLParser):
    def __init__(self, tag):
        super().__init__()
        self.tag, self.count = tag, 0

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self.count += 1


def count_tags(html: str, tag: str) -> int:
    parser = _TagCounter(tag)
    parser.feed(html)
    return parser.count


def page_text(response) -> str:
    """The visible text of a response: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def committed(function, *args, **kwargs):
    """Call ``function`` and run what it left for after the commit (the outbox's sending), as
    happens outside the test's wrapping transaction; returns its result."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def xlsx_bytes(rows) -> bytes:
    """The content of an .xlsx file whose sheet holds ``rows`` (an upload, an import)."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_SHEET = "xl/worksheets/sheet1.xml"
# A cell in the last row and column Excel allows: calamine would allocate the whole grid.
FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def sheet_rewritten(content: bytes, change) -> bytes:
    """The .xlsx ``content`` with its sheet's XML passed through ``change`` (a hostile file)."""
    source = zipfile.ZipFile(BytesIO(content))
    target = BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item.filename, change(data) if item.filename == XLSX_SHEET else data)
    return target.getvalue()


def with_far_cell(content: bytes) -> bytes:
    """The .xlsx ``content`` plus one cell in Excel's last row and column."""
    return sheet_rewritten(
        content, lambda data: data.replace(b"</sheetData>", FAR_CELL + b"</sheetData>")
    )


def run_together(function, arguments) -> tuple[list, list]:
    """``function(*args)`` for each ``args`` of ``arguments``, each in its own thread with its
    own database connection, all let go at the same instant (a race). Returns the results and
    the exceptions raised, in the order they came."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [], []

    def run(args):
        try:
            barrier.wait(timeout=30)
            results.append(function(*args))
        except Exception as error:  # the caller asserts on them
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(args,)) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def race_errors(errors: list) -> list:
    """The errors of :func:`run_together` a race must not raise. On SQLite the test database is
    shared in memory, and a writer meeting another's table lock fails at once (« database table
    is locked ») instead of waiting as a file database does: that racer did nothing, which the
    race's own assertions then check. PostgreSQL waits, so there every error counts."""
    if connection.vendor != "sqlite":
        return list(errors)
    return [e for e in errors if not (isinstance(e, OperationalError) and "locked" in str(e))]
