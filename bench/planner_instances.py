"""Seeded planner instances as plain data (JSON-able dicts), for the benchmark and the tests.

Plain data on purpose: the independent feasibility checker (tests/planning/feasibility.py)
reads these dicts and a plan, never the planner's classes. :func:`to_problem` turns one into
the planner's :class:`~relais.planning.planner.PlanningProblem`.

- **département ×k** (k = 1, 2, 4): 60·k places over the Pyrénées-Orientales' communes,
  half libraries (open 1 to 3 half-days, mostly afternoons and Wednesday) and half town
  halls (open 6 to 10 weekday half-days); 26·k advisers whose homes cluster in the valleys
  (Têt, Tech, Agly, the plain, Cerdagne: a hub commune, then a commune within 12 km of it),
  full time (35 h, 5 days) or part time (28 h over 4 days, 21 h over 3); commitments of 1
  to 4 half-days, town halls often « 1 journée » (a whole day), summing to about 70 % of
  the team's half-days (travel now eats working time). Travel: the application's estimate.
- **demo**: the demo's nine places and opening hours, the seed's commitments (Prades two
  days, Catllar one day), and the advisers of the demo team under contract that week (the
  ambassadors; the CNFS contracts ended on 31 May 2026).
"""

import csv
import math
import random
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "relais" / "core" / "data" / "communes-66.csv"
WEEK = date(2026, 9, 7)  # a Monday of the demo's planning period, no public holiday
SEED = 66
RATE = 0.70  # commitments / the team's half-days, département-wide and around each place
LOCAL_MINUTES = 45
HALVES = ("am", "pm")
VALLEY_HUBS = [
    ("Prades", 3),
    ("Perpignan", 4),
    ("Céret", 2),
    ("Amélie-les-Bains-Palalda", 1),
    ("Ille-sur-Têt", 2),
    ("Rivesaltes", 2),
    ("Saint-Paul-de-Fenouillet", 1),
    ("Font-Romeu-Odeillo-Via", 1),
    ("Argelès-sur-Mer", 2),
    ("Thuir", 2),
]
RULES = {  # and "half_day_minutes": the agreements' default half-day (see rules())
    "min_break_minutes": 45,
    "max_day_minutes": 600,
    "max_travel_minutes": 120,
    "split_days": False,
    "outside_hours": False,
}


def rules(**changes) -> dict:
    """The instances' rules; a half-day lasts the agreements' default (Art. 1.2)."""
    from relais.agreements.half_days import half_day_minutes

    return {**RULES, "half_day_minutes": half_day_minutes(), **changes}


def communes() -> dict[str, tuple[float, float]]:
    with COMMUNES.open(encoding="utf-8") as handle:
        return {
            row["nom"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def estimate(a: tuple[float, float], b: tuple[float, float]) -> int:
    """The application's fallback estimate (relais.planning.travel)."""
    from relais.planning.travel import AVERAGE_SPEED_KMH, ROAD_FACTOR, haversine_km

    if a == b:
        return 0
    return math.ceil(haversine_km(*a, *b) * ROAD_FACTOR / AVERAGE_SPEED_KMH * 60)


def _travel(instance: dict) -> dict:
    places, advisors = instance["places"], instance["advisors"]
    instance["travel"] = {
        f"{a['id']},{p['id']}": estimate((a["lat"], a["lon"]), (p["lat"], p["lon"]))
        for a in advisors
        for p in places
    }
    instance["place_travel"] = {
        f"{p['id']},{q['id']}": estimate((p["lat"], p["lon"]), (q["lat"], q["lon"]))
        for p in places
        for q in places
        if p["id"] < q["id"]
    }
    return instance


def departement(scale: int = 1, seed: int = SEED) -> dict:
    from relais.planning import planner

    rng = random.Random(seed * 100 + scale)  # noqa: S311 (reproducible instance)
    towns = communes()
    names = sorted(towns)
    all_windows = [(d, h) for d in range(5) for h in HALVES]
    places = []
    hubs = [h for h, weight in VALLEY_HUBS for _ in range(weight)]
    for i in range(60 * scale):
        # Places are where people live: most in the valleys, some anywhere.
        if rng.random() < 0.7:
            hub = towns[rng.choice(hubs)]
            name = rng.choice([n for n in names if estimate(hub, towns[n]) <= 30])
        else:
            name = rng.choice(names)
        library = i % 2 == 0
        if library:
            count = rng.randint(1, 3)
            # Libraries open mostly on afternoons and on Wednesday.
            pool = [(d, "pm") for d in range(5)] * 2 + [(2, "am")] * 2 + all_windows
            windows = set()
            while len(windows) < count:
                windows.add(rng.choice(pool))
        else:
            windows = set(rng.sample(all_windows, rng.randint(6, 10)))
        places.append(
            {
                "id": i + 1,
                "name": f"{'Bibliothèque' if library else 'Mairie'} de {name} ({i + 1})",
                "lat": towns[name][0],
                "lon": towns[name][1],
                "windows": sorted([list(w) for w in windows]),
                "demand": 0,
                "full_days": 0,
                "library": library,
            }
        )
    advisors = []
    for i in range(26 * scale):
        hub = towns[rng.choice(hubs)]
        near = [n for n in names if estimate(hub, towns[n]) <= 20]  # ≈ 12 km straight
        home = rng.choice(near)
        kind = rng.random()
        hours, days = (35, 5) if kind < 0.6 else (28, 4) if kind < 0.85 else (21, 3)
        worked = sorted(rng.sample(range(5), days))
        unavailable = []
        if rng.random() < 0.15:  # some leave that week
            day = rng.choice(worked)
            unavailable = [[day, "am"], [day, "pm"]]
        advisors.append(
            {
                "id": 1000 + i,
                "name": f"Conseiller {i + 1}",
                "home": home,
                "lat": towns[home][0],
                "lon": towns[home][1],
                "days": worked,
                "capacity": planner.capacity_for(hours, days),
                "weekly_minutes": hours * 60,
                "unavailable": unavailable,
            }
        )
    target = round(RATE * sum(a["capacity"] for a in advisors))
    for place in places:  # every place gets at least one half-day
        place["demand"] = 1
    total = len(places)
    town_halls = [p for p in places if not p["library"]]
    libraries = [p for p in places if p["library"]]
    # A coordinator commits a place only to what the advisers around can hold: a half-day is
    # added to a place while the places within LOCAL_MINUTES of it ask at most RATE of what
    # the advisers living within LOCAL_MINUTES can hold (without this, ×4 drew more
    # commitments in Cerdagne than its few advisers could meet with travel in their time).
    at = {p["id"]: (p["lat"], p["lon"]) for p in places}
    region = {
        p["id"]: [q for q in places if estimate(at[p["id"]], at[q["id"]]) <= LOCAL_MINUTES]
        for p in places
    }
    local_capacity = {
        p["id"]: sum(
            a["capacity"]
            for a in advisors
            if estimate(at[p["id"]], (a["lat"], a["lon"])) <= LOCAL_MINUTES
        )
        for p in places
    }

    def room(place, count: int) -> bool:
        asked = sum(q["demand"] for q in region[place["id"]]) + count
        return asked <= RATE * local_capacity[place["id"]]

    attempts = 0
    while total < target and attempts < 100_000:
        attempts += 1
        if rng.random() < 0.8:
            place = rng.choice(town_halls)
            days_whole = {d for d, h in place["windows"] if h == "am"} & {
                d for d, h in place["windows"] if h == "pm"
            }
            if (
                rng.random() < 0.4
                and place["full_days"] < len(days_whole)
                and place["demand"] + 2 <= min(len(place["windows"]), 6)
                and total + 2 <= target
                and room(place, 2)
            ):
                place["full_days"] += 1
                place["demand"] += 2
                total += 2
                continue
            if place["demand"] < min(len(place["windows"]), 6) and room(place, 1):
                place["demand"] += 1
                total += 1
        else:
            place = rng.choice(libraries)
            if place["demand"] < len(place["windows"]) and room(place, 1):
                place["demand"] += 1
                total += 1
    instance = {
        "name": f"département ×{scale}",
        "week_start": WEEK.isoformat(),
        "places": places,
        "advisors": advisors,
        "rules": rules(),
    }
    return _travel(instance)


DEMO_DEMAND = {  # Art. 1.2 of the seed: (half-days a week, of which whole days)
    "mediatheque-prades": (4, 2),
    "bibliotheque-catllar": (2, 1),
    "commune-los-masos": (2, 0),
    "mediatheque-vinca": (1, 0),
    "mediatheque-marquixanes": (1, 0),
    "bibliotheque-sahorre": (1, 0),
    "bibliotheque-ria-sirach": (1, 0),
    "commune-villefranche-de-conflent": (1, 0),
    "commune-baillestavy": (0, 0),
}


def demo() -> dict:
    """The demo (see the module docstring); windows from the demo's opening hours."""
    from relais.places.demo import OPENING_HOURS, PLACES
    from relais.planning import planner
    from relais.team.demo import AMBASSADORS, CNFS, CNFS_END, PART_TIME

    towns = communes()
    places = []
    for index, (slug, name, _kind, commune, _extra) in enumerate(PLACES, start=1):
        windows = planner.windows_from_opening_hours(OPENING_HOURS[slug], WEEK)
        demand, whole = DEMO_DEMAND[slug]
        places.append(
            {
                "id": index,
                "name": name,
                "lat": towns[commune][0],
                "lon": towns[commune][1],
                "windows": sorted([list(w) for w in (windows or planner.default_windows())]),
                "demand": demand,
                "full_days": whole,
            }
        )
    roster = list(AMBASSADORS) + (list(CNFS) if WEEK <= CNFS_END else [])
    advisors = []
    for index, (first, last, commune) in enumerate(roster, start=1):
        hours, days = PART_TIME.get(last, (35, [0, 1, 2, 3, 4]))
        advisors.append(
            {
                "id": index,
                "name": f"{first} {last}",
                "home": commune,
                "lat": towns[commune][0],
                "lon": towns[commune][1],
                "days": list(days),
                "capacity": planner.capacity_for(hours, len(days)),
                "weekly_minutes": round(float(hours) * 60),
                "unavailable": [],
            }
        )
    instance = {
        "name": "demo",
        "week_start": WEEK.isoformat(),
        "places": places,
        "advisors": advisors,
        # Prades is open all day only on Wednesday (and Saturday) for two days committed, and
        # Catllar 3 h once a week for a day: the demo allows splitting and windows outside hours.
        "rules": rules(split_days=True, outside_hours=True),
    }
    return _travel(instance)


def to_problem(instance: dict, **changes):
    """The planner's problem for an instance dict."""
    from relais.planning import planner

    rules = instance["rules"]
    places = [
        planner.PlannerPlace(
            id=p["id"],
            name=p["name"],
            demand=p["demand"],
            windows=frozenset((d, h) for d, h in p["windows"]),
            full_days=p["full_days"],
        )
        for p in instance["places"]
    ]
    advisors = [
        planner.PlannerAdvisor(
            id=a["id"],
            name=a["name"],
            home=a["home"],
            days=frozenset(a["days"]),
            capacity=a["capacity"],
            unavailable=frozenset((d, h) for d, h in a["unavailable"]),
            weekly_minutes=a["weekly_minutes"],
        )
        for a in instance["advisors"]
    ]
    pair = lambda key: tuple(int(v) for v in key.split(","))  # noqa: E731
    fields = {
        "places": places,
        "advisors": advisors,
        "travel": {pair(k): v for k, v in instance["travel"].items()},
        "place_travel": {pair(k): v for k, v in instance["place_travel"].items()},
        "week_start": date.fromisoformat(instance["week_start"]),
        "max_travel_minutes": rules["max_travel_minutes"],
        "outside_hours": rules["outside_hours"],
        "half_day_minutes": rules["half_day_minutes"],
        "min_break_minutes": rules["min_break_minutes"],
        "max_day_minutes": rules["max_day_minutes"],
        "split_days": rules["split_days"],
    }
    fields.update(changes)
    return planner.PlanningProblem(**fields)
