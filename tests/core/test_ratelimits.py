"""Public forms are rate-limited per client address and per e-mail or phone (issue 12,
section 5), in a cache shared by every process: a database table by default."""

import threading
from datetime import UTC, datetime, timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from relais.bookings.consent import CURRENT_CONSENT_VERSION
from relais.bookings.models import Registration
from relais.core.checks import limits_check, shared_cache_check
from relais.core.ratelimits import parse_rate
from relais.messaging.models import OutboxMessage

from ..factories import UserFactory
from ..helpers import page_text
from ..workshops.factories import WorkshopSessionFactory

pytestmark = pytest.mark.django_db


def _register(client, session, index: int, **extra):
    data = {
        "first_name": "Personne",
        "last_name": f"Numéro {index}",
        "email": f"personne{index}@exemple.test",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
    }
    data.update(extra)
    return client.post(reverse("bookings:register", kwargs={"pk": session.pk}), data)


def test_registrations_are_limited_per_client_address(client, settings):
    settings.RELAIS_RATELIMIT_PER_ADDRESS = "3/h"
    session = WorkshopSessionFactory(capacity=20)
    for index in range(3):
        assert _register(client, session, index).status_code == 302
    response = _register(client, session, 3)
    assert response.status_code == 429
    text = page_text(response)
    assert "Trop de demandes" in text
    assert "votre demande n'a pas été enregistrée" in text
    assert "Vous pourrez réessayer dans" in text and "minute" in text
    assert int(response["Retry-After"]) <= 3600
    assert session.registrations.count() == 3
    # Reading the page is never limited; another address is counted apart.
    assert client.get(reverse("bookings:register", kwargs={"pk": session.pk})).status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert _register(other, session, 4).status_code == 302


def test_the_address_is_the_one_the_trusted_proxy_saw(settings):
    """X-Forwarded-For entries written by the client are ignored (client_ip)."""
    settings.RELAIS_RATELIMIT_PER_ADDRESS = "2/h"
    settings.RELAIS_TRUSTED_PROXY_COUNT = 1
    session = WorkshopSessionFactory(capacity=20)
    statuses = [
        _register(
            Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{index}, 203.0.113.7"), session, index
        ).status_code
        for index in range(3)
    ]
    assert statuses == [302, 302, 429]
    # IPv6: one subscriber's /64 is one client.
    statuses = [
        _register(Client(HTTP_X_FORWARDED_FOR=f"2001:db8:1:2::{index}"), session, 10 + index)
        for index in range(3)
    ]
    assert [r.status_code for r in statuses] == [302, 302, 429]


def test_registrations_are_limited_per_email_and_phone_whatever_the_address(settings):
    settings.RELAIS_RATELIMIT_PER_CONTACT = "2/h"
    session = WorkshopSessionFactory(capacity=20)
    statuses = []
    addresses = ["cible@exemple.test", " CIBLE@exemple.test", "cible@exemple.test"]
    for index, email in enumerate(addresses):
        client = Client(REMOTE_ADDR=f"192.0.2.{index + 1}")
        statuses.append(_register(client, session, index, email=email).status_code)
    # The second one is a duplicate (a form error, 200); the third is one too many.
    assert statuses[2] == 429
    statuses = []
    for index, phone in enumerate(["06 39 98 00 01", "+33 6 39 98 00 01", "0639980001"]):
        client = Client(REMOTE_ADDR=f"198.51.100.{index + 1}")
        response = _register(client, session, 20 + index, email="", phone=phone)
        statuses.append(response.status_code)
    assert statuses[2] == 429
    assert not Registration.objects.filter(last_name="Numéro 22").exists()


def test_password_reset_is_limited(client, settings):
    settings.RELAIS_RATELIMIT_PER_CONTACT = "2/h"
    UserFactory(email="comite@exemple.test")
    url = reverse("accounts:password_reset")
    statuses = [
        Client(REMOTE_ADDR=f"192.0.2.{i}").post(url, {"email": "Comite@exemple.test"}).status_code
        for i in range(1, 4)
    ]
    assert statuses == [302, 302, 429]
    assert OutboxMessage.objects.count() == 2  # the third e-mail was never queued
    settings.RELAIS_RATELIMIT_PER_ADDRESS = "1/h"
    client.post(url, {"email": "inconnu1@exemple.test"})
    response = client.post(url, {"email": "inconnu2@exemple.test"})
    assert response.status_code == 429 and "Trop de demandes" in page_text(response)


def test_appointment_booking_is_limited(client, settings):
    settings.RELAIS_RATELIMIT_PER_ADDRESS = "2/h"
    from ..appointments.appointment_helpers import covered_place

    place = covered_place()
    url = reverse("appointments:form", kwargs={"place_slug": place.slug})
    data = {"first_name": "Camille", "last_name": "Exemple", "email": "c@exemple.test"}
    statuses = [client.post(url, data).status_code for _ in range(3)]
    assert statuses[:2] != [429, 429] and statuses[2] == 429


def test_an_empty_limit_means_no_limit(client, settings):
    settings.RELAIS_RATELIMIT_PER_ADDRESS = ""
    settings.RELAIS_RATELIMIT_PER_CONTACT = ""
    session = WorkshopSessionFactory(capacity=50)
    assert all(_register(client, session, i).status_code == 302 for i in range(40))


@pytest.mark.parametrize(
    ("rate", "parsed"), [("30/h", (30, 3600)), ("5/10m", (5, 600)), ("100/d", (100, 86400))]
)
def test_rates_are_read_like_django_ratelimit(rate, parsed):
    assert parse_rate(rate) == parsed


def test_a_malformed_limit_fails_the_system_check(settings):
    settings.RELAIS_RATELIMIT_PER_ADDRESS = "trente par heure"
    settings.RELAIS_IMPORT_MAX_ROWS = 0
    errors = limits_check(None)
    assert [e.id for e in errors] == ["core.E001", "core.E002"]
    assert "RELAIS_RATELIMIT_PER_ADDRESS" in errors[0].msg


def test_a_cache_per_process_is_flagged_for_deployment(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in shared_cache_check(None)] == ["core.W001"]


# --- The database cache ------------------------------------------------------------------------

DB_CACHE = {"default": {"BACKEND": "relais.core.cache.DatabaseCache", "LOCATION": "test_cache"}}


def test_migrate_creates_the_configured_cache_table():
    migration = import_module("relais.core.migrations.0001_squashed_0004")
    editor = SimpleNamespace(connection=connection)  # all the migration reads of its editor
    with override_settings(CACHES=DB_CACHE):
        assert "test_cache" not in connection.introspection.table_names()
        migration.create_cache_tables(None, editor)
        assert "test_cache" in connection.introspection.table_names()
        migration.create_cache_tables(None, editor)  # again: harmless


def test_the_database_cache_counts_and_keeps_the_window():
    """Django's DatabaseCache.incr rewrites the entry with the default timeout (5 min): a
    one-hour window would start again after 5 quiet minutes."""
    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        assert cache.add("compteur", 1, 3600)
        assert [cache.incr("compteur") for _ in range(3)] == [2, 3, 4]
        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM test_cache")
            (expires,) = cursor.fetchone()
        if isinstance(expires, str):  # SQLite
            expires = datetime.fromisoformat(expires)
        if timezone.is_naive(expires):
            expires = expires.replace(tzinfo=UTC)
        # Both sides read the suite's fixed clock (tests/conftest.py): a difference, any date.
        assert expires - timezone.now() > timedelta(minutes=55)
        with pytest.raises(ValueError):
            cache.incr("absent")


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_all_counted():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks (set DATABASE_URL=postgres://…, as CI does).")
    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        try:
            caches["default"].add("compteur", 0, 3600)
            threads, errors = 8, []
            barrier = threading.Barrier(threads)

            def count():
                try:
                    barrier.wait(timeout=10)
                    for _ in range(25):
                        caches["default"].incr("compteur")
                except Exception as error:  # reported below
                    errors.append(repr(error))
                finally:
                    connection.close()

            workers = [threading.Thread(target=count) for _ in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=60)
            assert errors == []
            assert caches["default"].get("compteur") == threads * 25
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE test_cache")
