"""Build activities through the service, as the app does."""

import uuid
from datetime import date

from relais.activities.services import activity_record


def record_individual(advisor, *, place, beneficiary=None, themes=("email",), **extra):
    data = {
        "date": extra.pop("date", date(2025, 3, 10)),
        "duration_minutes": 30,
        "location_kind": "place",
        "place": place,
        "themes": list(themes),
        "equipment": ["phone"],
        "beneficiary": beneficiary,
        "autonomy": "guided",
        "private_notes": "",
        **extra,
    }
    activity, _ = activity_record(
        advisor=advisor, kind="individual", data=data, idempotency_key=uuid.uuid4()
    )
    return activity


def record_collective(advisor, *, place, participants=6, **extra):
    data = {
        "date": date(2025, 3, 11),
        "duration_minutes": 120,
        "location_kind": "place",
        "place": place,
        "themes": ["security", "digital_culture"],
        "equipment": ["computer"],
        "title": "Se protéger des arnaques",
        "level": "beginner",
        "participants_count": participants,
        **extra,
    }
    activity, _ = activity_record(
        advisor=advisor, kind="collective", data=data, idempotency_key=uuid.uuid4()
    )
    return activity
