"""The same adviser's time taken at once by residents booking appointments and a coordinator
scheduling a workshop: exactly one of them gets it, whatever the interleaving. Both writes
lock the adviser's row (select_for_update) and re-read ``relais.team.busy`` under the lock.
Needs PostgreSQL's row locks (set DATABASE_URL=postgres://…); skipped on SQLite, where
IMMEDIATE transactions serialise writers (the sequential cases are in test_busy.py)."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from relais.appointments.models import Appointment
from relais.appointments.services import appointment_book
from relais.workshops.enums import SessionStatus
from relais.workshops.models import WorkshopSession
from relais.workshops.services import session_create

from ..appointments.appointment_helpers import (
    advisor,
    appointment_type,
    at,
    covered_place,
    next_day,
    permanence,
)
from ..helpers import run_together
from ..workshops.factories import WorkshopTopicFactory

ROUNDS = 3
THREADS = 6  # per round: half book an appointment, half schedule the workshop


def _run_round(place, adviser, kind, topic, day, hour):
    def appointment(index: int) -> str:
        # 14:00, 14:15, 14:30…: every one overlaps the workshop and the others.
        appointment_book(
            place=place,
            appointment_type=kind,
            starts_at=at(day, hour) + timedelta(minutes=15 * (index % 3)),
            first_name="Personne",
            last_name=f"Concurrente {index}",
            email=f"p{index}@exemple.test",
            consent=True,
        )
        return "appointment"

    def workshop(index: int) -> str:
        session_create(topic=topic, place=place, starts_at=at(day, hour), advisors=[adviser])
        return "workshop"

    def attempt(index: int):
        try:
            return (appointment if index % 2 else workshop)(index)
        except ValidationError as error:
            return ("refused", error.messages[0])

    outcomes, errors = run_together(attempt, [(i,) for i in range(THREADS)])
    return outcomes, [repr(error) for error in errors]


@pytest.mark.django_db(transaction=True)
def test_an_appointment_and_a_workshop_cannot_both_take_the_same_advisers_time():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks (set DATABASE_URL=postgres://…, as CI does).")
    place = covered_place()
    adviser = advisor()
    permanence(place, [adviser], weekday=1, start="09:00", end="17:00")
    kind = appointment_type(minutes=45)
    topic = WorkshopTopicFactory(duration_minutes=60, capacity=6)
    day = next_day(1)
    winners = []
    for round_, hour in enumerate(("09:00", "11:00", "14:00")[:ROUNDS]):
        outcomes, errors = _run_round(place, adviser, kind, topic, day, hour)
        assert errors == [], errors
        assert len(outcomes) == THREADS
        won = [o for o in outcomes if o in ("appointment", "workshop")]
        assert len(won) == 1, (round_, outcomes)
        winners.append(won[0])
        assert all(isinstance(o, tuple) for o in outcomes if o not in won)
    # Whatever won, nothing the adviser holds overlaps anything else.
    held = [
        (a.starts_at, a.ends_at) for a in Appointment.objects.holding().filter(advisor=adviser)
    ] + [
        (s.starts_at, s.ends_at)
        for s in WorkshopSession.objects.filter(advisors=adviser).exclude(
            status=SessionStatus.CANCELLED
        )
    ]
    held.sort()
    assert len(held) == ROUNDS
    for (_, first_end), (second_start, _) in itertools.pairwise(held):
        assert first_end <= second_start
