"""The same time booked by N people at once: exactly one appointment, the others are told the
time was just taken. Real parallelism needs PostgreSQL row locks (CI sets DATABASE_URL); on
SQLite the test is skipped (IMMEDIATE transactions serialise writers; the sequential case is in
test_appointment_booking.py)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from relais.appointments.consent import CURRENT_APPOINTMENT_CONSENT_VERSION
from relais.appointments.models import Appointment

from ..helpers import run_together
from .appointment_helpers import advisor, appointment_type, at, covered_place, next_day, permanence

CONCURRENT_REQUESTS = 8


@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_the_same_time_give_it_to_exactly_one_person():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks (set DATABASE_URL=postgres://…, as CI does).")
    place = covered_place()
    kind = appointment_type(minutes=45)
    permanence(place, [advisor()], weekday=1)
    day = next_day(1)
    url = reverse("appointments:form", kwargs={"place_slug": place.slug})

    def book(index: int):
        response = Client().post(
            url,
            {
                "type": kind.pk,
                # Overlapping times: 10:00, 10:15, 10:30 all clash with one another.
                "debut": at(day, ("10:00", "10:15", "10:30")[index % 3]).strftime("%Y-%m-%dT%H:%M"),
                "first_name": "Personne",
                "last_name": f"Concurrente {index}",
                "email": f"concurrente{index}@exemple.test",
                "consent": "on",
                "consent_version": CURRENT_APPOINTMENT_CONSENT_VERSION,
            },
        )
        return response.status_code, response.content.decode()

    results, errors = run_together(book, [(i,) for i in range(CONCURRENT_REQUESTS)])

    assert errors == []
    assert sorted(code for code, _ in results) == [200] * (CONCURRENT_REQUESTS - 1) + [302]
    refused = [body for code, body in results if code == 200]
    assert all("Ce créneau vient d&#x27;être pris" in body for body in refused)
    assert Appointment.objects.count() == 1
