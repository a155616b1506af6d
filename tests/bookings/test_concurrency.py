"""The last seat under concurrent requests: exactly one person gets it, the others wait.

Real parallelism needs real row locks: PostgreSQL (CI sets DATABASE_URL). On SQLite the IMMEDIATE
transactions of config/settings/base.py serialise writers instead, and its shared in-memory test
database does not support threads writing at once, so the test is skipped there.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from relais.bookings.consent import CURRENT_CONSENT_VERSION
from relais.bookings.enums import RegistrationStatus
from relais.bookings.models import Registration

from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory

CONCURRENT_REQUESTS = 8


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_for_the_last_seat_give_it_to_exactly_one_person():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks (set DATABASE_URL=postgres://…, as CI does).")
    # One seat left, and room on the waiting list for everyone else (its cap is tested in
    # test_waiting_list_cap.py).
    session = WorkshopSessionFactory(capacity=3, waiting_list_cap=CONCURRENT_REQUESTS)
    RegistrationFactory.create_batch(2, session=session)
    url = reverse("bookings:register", kwargs={"pk": session.pk})
    barrier = threading.Barrier(CONCURRENT_REQUESTS)
    statuses, errors = [], []

    def register(index: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=10)  # every request leaves at the same instant
            response = client.post(
                url,
                {
                    "first_name": "Personne",
                    "last_name": f"Concurrente {index}",
                    "email": f"concurrente{index}@exemple.test",
                    "consent": "on",
                    "consent_version": CURRENT_CONSENT_VERSION,
                },
            )
            statuses.append(response.status_code)
        except Exception as error:  # reported below, with the thread's index
            errors.append(f"{index}: {error!r}")
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=register, args=(i,)) for i in range(CONCURRENT_REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert statuses == [302] * CONCURRENT_REQUESTS
    newcomers = Registration.objects.filter(last_name__startswith="Concurrente")
    assert newcomers.filter(status=RegistrationStatus.CONFIRMED).count() == 1
    assert newcomers.filter(status=RegistrationStatus.WAITING).count() == CONCURRENT_REQUESTS - 1
    assert session.registrations.confirmed().count() == session.capacity
