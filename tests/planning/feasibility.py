"""An independent feasibility check of a weekly plan, written without the planner's code.

It reads only plain data: an instance as produced by ``bench/planner_instances.py`` (places
with their open windows, demand and whole days; advisers with working days, leave, capacity
and contracted minutes; one-way driving minutes home → place and place → place; the rules)
and a plan (a list of ``{"advisor_id", "place_id", "weekday", "half"}``). It imports nothing
from ``relais``: the rules are re-derived here from their statement (docs/performance.md,
planner section), so a bug shared by the solver and its own evaluation cannot hide.
"""

from collections import defaultdict

MIDDAY_MINUTES = 60 + 30  # 12:30 → 13:30, plus a 3 h permanence starting 30 min late


def _leg(instance: dict, a: int, p: int, q: int) -> int:
    if p == q:
        return 0
    key = f"{min(p, q)},{max(p, q)}"
    if key in instance["place_travel"]:
        return instance["place_travel"][key]
    return instance["travel"][f"{a},{p}"] + instance["travel"][f"{a},{q}"]


def tours(instance: dict, plan: list[dict]) -> dict[tuple[int, int], dict]:
    """Per (adviser, weekday): the morning and afternoon places and the day's driving."""
    days = defaultdict(dict)
    for item in plan:
        days[(item["advisor_id"], item["weekday"])][item["half"]] = item["place_id"]
    out = {}
    for (a, d), halves in days.items():
        home = lambda p, a=a: instance["travel"][f"{a},{p}"]  # noqa: E731
        m, n = halves.get("am"), halves.get("pm")
        if m is not None and n is not None:
            drive = home(m) + _leg(instance, a, m, n) + home(n)
        else:
            drive = 2 * home(m if m is not None else n)
        out[(a, d)] = {"am": m, "pm": n, "drive": drive, "halves": len(halves)}
    return out


def driving_minutes(instance: dict, plan: list[dict]) -> int:
    return sum(day["drive"] for day in tours(instance, plan).values())


def check(instance: dict, plan: list[dict], *, pins=(), complete: bool = True) -> list[str]:
    """Every hard rule broken by ``plan`` (empty when none); ``complete``: all demand held."""
    rules = instance["rules"]
    places = {p["id"]: p for p in instance["places"]}
    advisors = {a["id"]: a for a in instance["advisors"]}
    errors = []
    seen_advisor, seen_place = set(), set()
    held = defaultdict(int)
    load = defaultdict(int)
    for item in plan:
        a, p, d, h = item["advisor_id"], item["place_id"], item["weekday"], item["half"]
        what = f"{a}@{p} {d}{h}"
        if a not in advisors or p not in places or h not in ("am", "pm"):
            errors.append(f"{what}: unknown adviser, place or half")
            continue
        adviser, place = advisors[a], places[p]
        if [d, h] not in place["windows"] and not (rules["outside_hours"] and d < 5):
            errors.append(f"{what}: place closed (opening hours)")
        if d not in adviser["days"]:
            errors.append(f"{what}: not a working day (contract)")
        if [d, h] in adviser["unavailable"]:
            errors.append(f"{what}: on leave")
        if instance["travel"][f"{a},{p}"] > rules["max_travel_minutes"]:
            errors.append(f"{what}: beyond the longest drive allowed")
        if (a, d, h) in seen_advisor:
            errors.append(f"{what}: adviser in two places at once")
        if (p, d, h) in seen_place:
            errors.append(f"{what}: two advisers in one window")
        seen_advisor.add((a, d, h))
        seen_place.add((p, d, h))
        held[p] += 1
        load[a] += 1
    for p, place in places.items():
        if held[p] > place["demand"]:
            errors.append(f"place {p}: {held[p]} half-days for {place['demand']} committed")
        if complete and held[p] < place["demand"]:
            errors.append(f"place {p}: {held[p]} half-days for {place['demand']} committed")
    week = defaultdict(int)
    whole = defaultdict(int)
    for (a, _d), day in tours(instance, plan).items():
        if a not in advisors:
            continue
        # A half-day counts the half-day of the place's agreement, else the rules' one.
        minutes = day["drive"] + sum(
            places[p].get("half_day_minutes") or rules["half_day_minutes"]
            for p in (day["am"], day["pm"])
            if p is not None
        )
        week[a] += minutes
        if minutes > rules["max_day_minutes"]:
            errors.append(f"adviser {a} day {_d}: {minutes} min of work, travel included")
        if day["am"] is not None and day["pm"] is not None:
            midday = _leg(instance, a, day["am"], day["pm"])
            if midday + rules["min_break_minutes"] > MIDDAY_MINUTES:
                errors.append(f"adviser {a} day {_d}: {midday} min midday drive, no break")
            if day["am"] == day["pm"]:
                whole[day["am"]] += 1
    for a, adviser in advisors.items():
        if load[a] > adviser["capacity"]:
            errors.append(f"adviser {a}: {load[a]} half-days, capacity {adviser['capacity']}")
        if adviser["weekly_minutes"] is not None and week[a] > adviser["weekly_minutes"]:
            errors.append(f"adviser {a}: {week[a]} min, contract {adviser['weekly_minutes']}")
    if complete and not rules["split_days"]:
        for p, place in places.items():
            if whole[p] < place["full_days"]:
                errors.append(f"place {p}: {whole[p]} whole days for {place['full_days']}")
    chosen = {(i["advisor_id"], i["place_id"], i["weekday"], i["half"]) for i in plan}
    for pin in pins:
        if (pin["advisor_id"], pin["place_id"], pin["weekday"], pin["half"]) not in chosen:
            errors.append(f"pin {pin} not kept")
    return errors
