"""The last seat under concurrent requests: exactly one person gets it, the others wait.

Real parallelism needs real row locks: PostgreSQL (CI sets DATABASE_URL). On SQLite the IMMEDIATE
transactions of config/settings/base.py serialise writers instead, and its shared in-memory test
database does not support threads writing at once, so the test is skipped there.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from relais.bookings.consent import CURRENT_CONSENT_VERSION
from relais.bookings.enums import RegistrationStatus
from relais.bookings.models import Registration

from ..helpers import run_together
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

    def register(index: int) -> int:
        response = Client().post(
            url,
            {
                "first_name": "Personne",
                "last_name": f"Concurrente {index}",
                "email": f"concurrente{index}@exemple.test",
                "consent": "on",
                "consent_version": CURRENT_CONSENT_VERSION,
            },
        )
        return response.status_code

    # Every request leaves at the same instant, each with its own connection.
    statuses, errors = run_together(register, [(i,) for i in range(CONCURRENT_REQUESTS)])

    assert errors == []
    assert statuses == [302] * CONCURRENT_REQUESTS
    newcomers = Registration.objects.filter(last_name__startswith="Concurrente")
    assert newcomers.filter(status=RegistrationStatus.CONFIRMED).count() == 1
    assert newcomers.filter(status=RegistrationStatus.WAITING).count() == CONCURRENT_REQUESTS - 1
    assert session.registrations.confirmed().count() == session.capacity
