"""Demo data: a year of activities at the seed's places (about 2,000 rows), seeded randomness.

The activities are those of the planning's demo permanences (``relais.planning.demo``, the
convention's table, art. 1.2: two days a week in Prades, a day in Catllar, two half-days in Los
Masos, a half-day elsewhere), so the story adds up: each held permanence of the past year (not
cancelled, closed or unstaffed) brings, on its day and by an adviser present, a few individual
activities that fit in its hours (themes weighted the way permanences see them: administrative
procedures, e-mail, first steps with a phone) and, at places with a workshop room, now and then
a short collective workshop. About one permanence in twenty saw nobody. Baillestavy, in the
deliberation but not in the convention, has no permanence and so no activity. About a third of
the individual activities are linked to a (fictitious) named person; the rest are anonymous.

Idempotent: demo rows have deterministic idempotency keys (``demo_key``); a re-run deletes those
rows and recreates them, so the row counts stay the same. Written with bulk_create to keep
``relais demo`` fast.
"""

import random
import uuid
from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from relais.core.demo import DemoContext
from relais.planning.occurrences import occurrences_between

from .enums import ALL_COUNT_FIELDS, BREAKDOWNS, count_field
from .models import Activity, ActivityTheme

DEMO_NAMESPACE = uuid.UUID("6f1c1f0e-5b2a-4c59-9d0e-2a4d6c8b7e11")
MAX_DEMO_ROWS = 6000
# One held permanence in this many saw nobody (bad weather, market day): held, not reported.
EMPTY_PERMANENCE_ONE_IN = 20

DIGITAL_THEMES = {
    "procedure_help": 22,
    "email": 14,
    "hardware_basics": 14,
    "web_browsing": 9,
    "banking_shopping": 6,
    "health": 6,
    "security": 5,
    "digital_diagnosis": 4,
    "digital_content": 4,
    "office_software": 3,
    "social_networks": 3,
    "employment": 3,
    "schooling": 2,
    "artificial_intelligence": 2,
    "hardware_maintenance": 2,
    "parenting": 1,
    "creating": 1,
    "digital_culture": 1,
    "entrepreneurship": 1,
}
PROCEDURE_THEMES = {
    "social_health": 25,
    "money_taxes": 20,
    "papers_citizenship": 18,
    "work_training": 10,
    "housing": 8,
    "transport": 6,
    "family_school": 6,
    "foreigners_europe": 3,
    "justice": 2,
    "leisure": 1,
    "associations": 1,
}
WORKSHOPS = [
    ("Premiers pas avec sa tablette", ["hardware_basics"], "beginner"),
    ("Se protéger des arnaques en ligne", ["security", "digital_culture"], "beginner"),
    ("Créer et utiliser son adresse e-mail", ["email"], "beginner"),
    (
        "FranceConnect et les démarches en ligne",
        ["procedure_help", "papers_citizenship"],
        "intermediate",
    ),
    ("Mon espace santé et Ameli", ["health", "social_health"], "intermediate"),
    (
        "Découvrir l'intelligence artificielle",
        ["artificial_intelligence", "digital_culture"],
        "intermediate",
    ),
    ("Partager ses photos en famille", ["digital_content", "social_networks"], "beginner"),
]
WORKSHOP_PLACES = {
    "mediatheque-prades",
    "mediatheque-vinca",
    "bibliotheque-catllar",
    "bibliotheque-ria-sirach",
}


def demo_key(index: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"activity-{index}")


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _themes(rng: random.Random) -> list[str]:
    themes = {_pick(rng, DIGITAL_THEMES) for _ in range(rng.choice([1, 1, 2, 2, 3]))}
    if "procedure_help" in themes:
        themes.add(_pick(rng, PROCEDURE_THEMES))
    return sorted(themes)


def _equipment(activity: Activity, rng: random.Random) -> None:
    value = _pick(rng, {"phone": 45, "computer": 35, "tablet": 10, "none": 8, "other": 2})
    setattr(activity, f"equipment_{value}", True)


def _individual(rng, day, advisor, place, people) -> Activity:
    remote = rng.random() < 0.06
    activity = Activity(
        advisor=advisor,
        kind="individual",
        date=day,
        duration_minutes=_pick(rng, {15: 10, 30: 35, 45: 25, 60: 20, 90: 7, 120: 3}),
        location_kind="remote" if remote else "place",
        place=None if remote else place,
        autonomy=_pick(rng, {"guided": 55, "partly_autonomous": 35, "autonomous": 10}),
        referral=_pick(
            rng,
            {
                "administration": 4,
                "operator": 4,
                "social_aid": 3,
                "employment": 2,
                "digital_mediation": 1,
                "other": 1,
            },
        )
        if rng.random() < 0.15
        else "",
    )
    _equipment(activity, rng)
    if people and rng.random() < 0.33:
        person = rng.choice(people[: len(people) // 2] if rng.random() < 0.6 else people)
        activity.beneficiary = person
        activity.set_person(
            gender=person.gender,
            age_bracket=person.age_bracket_in(day.year),
            social_status=person.social_status,
        )
    else:
        activity.set_person(
            gender=_pick(rng, {"female": 57, "male": 38, "unknown": 5}),
            age_bracket=_pick(
                rng,
                {"18_24": 3, "25_39": 9, "40_59": 20, "60_69": 24, "70_plus": 32, "unknown": 12},
            ),
            social_status=_pick(
                rng,
                {"retired": 50, "employed": 12, "unemployed": 18, "in_school": 2, "unknown": 18},
            ),
        )
    return activity


def _collective(rng, day, advisor, place) -> tuple[Activity, list[str]]:
    title, themes, level = rng.choice(WORKSHOPS)
    count = rng.randint(3, 8)
    activity = Activity(
        advisor=advisor,
        kind="collective",
        date=day,
        title=title,
        level=level,
        duration_minutes=rng.choice([90, 120, 120]),
        location_kind="place",
        place=place,
        participants_count=count,
    )
    for name in ALL_COUNT_FIELDS:
        setattr(activity, name, 0)
    for prefix, vocabulary in BREAKDOWNS.items():
        values = list(vocabulary.values)
        for _ in range(count):
            value = rng.choice(values[-3:] if prefix == "age" else values)
            name = count_field(prefix, value)
            setattr(activity, name, getattr(activity, name) + 1)
    _equipment(activity, rng)
    return activity, themes


def _delete_previous_run() -> None:
    keys = [demo_key(i) for i in range(MAX_DEMO_ROWS)]
    for start in range(0, len(keys), 500):
        Activity.objects.filter(idempotency_key__in=keys[start : start + 500]).delete()


def held_permanences(first, last) -> list:
    """The planning's occurrences from ``first`` to ``last`` that were held, with someone."""

    return [
        occurrence
        for occurrence in occurrences_between(first, last)
        if occurrence.is_held and occurrence.advisors_present
    ]


def _permanence_rows(rng, occurrence, people) -> list[tuple[Activity, list[str]]]:
    """The activities of one permanence, their minutes within its hours (so the held half-days
    computed from them are those of the permanence)."""
    advisor = rng.choice(occurrence.advisors_present)
    place, day = occurrence.place, occurrence.date
    budget = int((occurrence.end - occurrence.start).total_seconds() // 60)
    rows = []
    if place.slug in WORKSHOP_PLACES and rng.random() < 0.3:
        activity, themes = _collective(rng, day, advisor, place)
        activity.duration_minutes = min(activity.duration_minutes, budget // 2)
        budget -= activity.duration_minutes
        rows.append((activity, themes))
    for _ in range(rng.choice([1, 2, 3, 3, 4, 4, 5, 6])):
        activity = _individual(rng, day, advisor, place, people)
        if activity.duration_minutes > budget:
            break
        budget -= activity.duration_minutes
        rows.append((activity, _themes(rng)))
    return rows


def load(ctx: DemoContext) -> None:
    rng = random.Random(2024)  # noqa: S311 - reproducible demo data, not a secret
    _delete_previous_run()
    people = ctx.objects.get("beneficiaries", [])
    today = timezone.localdate()
    rows: list[tuple[Activity, list[str]]] = []
    for occurrence in held_permanences(today - timedelta(days=365), today - timedelta(days=1)):
        if rng.randrange(EMPTY_PERMANENCE_ONE_IN) == 0:
            continue
        rows.extend(_permanence_rows(rng, occurrence, people))
    rows = rows[:MAX_DEMO_ROWS]
    for index, (activity, _) in enumerate(rows):
        activity.idempotency_key = demo_key(index)
    created = Activity.objects.bulk_create([a for a, _ in rows], batch_size=500)
    ActivityTheme.objects.bulk_create(
        [
            ActivityTheme(activity=a, theme=t)
            for a, (_, themes) in zip(created, rows, strict=True)
            for t in themes
        ],
        batch_size=1000,
    )
    latest = defaultdict(lambda: None)
    for activity in created:
        if activity.beneficiary is not None:
            previous = latest[activity.beneficiary.pk]
            latest[activity.beneficiary.pk] = max(activity.date, previous or activity.date)
    for person in people:
        person.last_activity_on = latest[person.pk]
    if people:
        type(people[0]).objects.bulk_update(people, ["last_activity_on"], batch_size=500)
