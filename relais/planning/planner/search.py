"""Finding plans fast: a construction plus local search, then a large neighbourhood search
in which CP-SAT re-solves a few advisers at a time."""

from __future__ import annotations

import heapq
import math
import random
import time as clock
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from .model import WeekModel
from .problem import (
    AFTERNOON,
    MORNING,
    Assignment,
    Pin,
    PlanningProblem,
    Window,
    check_pins,
    load_shares,
)

LNS_STEP_S = 0.3  # a « week » neighbourhood's time limit: most are proven optimal within it
# « places » and « days » neighbourhoods: their time limit, and the time within which a proven
# optimum lets the next one of its kind grow (not proven: it shrinks). Small ones pay: 169
# sub-models of three 10 s runs at 4×, re-solved alike, gained 215–300 minutes a second when
# proven within 0.05 s, 130–160 within 0.1 s, 60–80 within 0.2 s and under 30 beyond, and the
# 14 not proven in 0.8 s took a third of the time for a tenth of the gain (ad hoc).
LARGE_STEP_S, QUICK_S = 0.3, 0.05
# Of the neighbourhoods, the share of each kind (see free_variables), the rest « week »;
# measured at 1× and 4× (30 s from the same local search at 1×, load 13: places alone
# 3184 → 2820, days alone 3552 → 2774, both 3180 → 2726, HiGHS's optimum 2709; then 10 s,
# load 2, same run: 0.6 / 0.3 gave 2736–2761 at 1× and 5498 at 4×, 0.4 / 0.45 2747–2780
# and 5502–5532).
PLACES_SHARE, DAYS_SHARE = 0.6, 0.3
DAYS_FREED = 2
PLACE_SIZE_START = 4
DAY_SIZE_START, DAY_SIZE_MIN = 12, 4
SEARCH_TEMPERATURE = 0.5  # minutes: the local search's starting annealing temperature


def _ranges(starts, ends):
    """The indexes start[k] … end[k] − 1 of every range k, concatenated (numpy)."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _bounds(values, infinite: int) -> list[int]:
    """Float bounds as integers, an infinite one as CP-SAT's ``infinite``."""
    unbounded = np.isinf(values)
    out = np.where(unbounded, 0, values).astype(np.int64)
    out[unbounded] = infinite
    return out.tolist()


class LocalSearch:
    """A plan held per adviser, with the model's objective computed adviser by adviser.

    Used to have a plan at once (never empty-handed), to hint CP-SAT, and as the benchmark's
    « greedy + local search » baseline. Moves: give a half-day (or a whole day) to another
    adviser or another window, swap two advisers' places in the same window, fill a half-day
    still unheld. Only moves keeping every hard rule are taken.
    """

    def __init__(self, model: WeekModel, pins: list[Pin], seed: int = 0):
        self.model = model
        self.problem = problem = model.problem
        self.rng = random.Random(seed)  # noqa: S311 (a reproducible search, not a secret)
        self.advisors = {a.id: a for a in problem.advisors}
        self.places = {p.id: p for p in problem.places}
        self.options = defaultdict(list)  # place → [(advisor, window)]
        self.reach = defaultdict(set)  # adviser → places offered
        for a, p, d, h in model.x:
            self.options[p].append((a, (d, h)))
            self.reach[a].add(p)
        self.shares = {i: round(s) for i, s in load_shares(problem).items()}
        self.outside_weight, self.short_weight, self.whole_weight = model.weights()
        self.continuity = problem.continuity_weight if problem.previous else 0
        self.plan: dict[int, dict[Window, int]] = {a.id: {} for a in problem.advisors}
        self.advisor_ids = list(self.plan)
        self.held: dict[tuple[int, int, str], int] = {}  # (place, d, h) → adviser
        self.pinned = {(p.advisor_id, p.weekday, p.half) for p in pins}
        self.cost = {a: self.adviser_cost(a, {}) for a in self.plan}
        self.count: dict[int, int] = defaultdict(int)
        self.whole: dict[int, int] = defaultdict(int)
        # Held half-days as lists with positions, so a move draws one in O(1): rebuilding
        # the list at every move took 60 % of the local search's time at 4× (profiled).
        self.slots: list[tuple[int, Window]] = []
        self.slot_at: dict[tuple[int, Window], int] = {}
        self.at: dict[Window, list[int]] = defaultdict(list)  # window → advisers working it
        self.at_index: dict[tuple[int, Window], int] = {}
        self.journal: dict | None = None  # the costs a move changed, before it (see improve)
        self.penalties = {p.id: 0.0 for p in problem.places}
        for p in problem.places:
            self.penalties[p.id] = self.penalty(p.id)
        for pin in pins:
            self.place(pin.advisor_id, pin.place_id, pin.window)

    # Costs
    def adviser_cost(self, a: int, slots: dict[Window, int]) -> float:
        problem, advisor = self.problem, self.advisors[a]
        if len(slots) > advisor.capacity:
            return math.inf
        cap = problem.max_places_per_advisor
        if cap and len(set(slots.values())) > cap:
            return math.inf
        total, work = 0, 0
        for d in {w[0] for w in slots}:
            m, n = slots.get((d, MORNING)), slots.get((d, AFTERNOON))
            if m is not None and n is not None and not problem.day_allowed(a, m, n):
                return math.inf
            drive = problem.day_drive(a, m, n)
            total += drive
            work += drive + problem.work(m) + problem.work(n)
        if advisor.weekly_minutes is not None and work > advisor.weekly_minutes:
            return math.inf
        for w, p in slots.items():
            if (a, p) not in problem.previous:
                total += self.continuity
            if w not in self.places[p].windows:
                total += self.outside_weight
        if problem.balance_weight and a in self.shares:
            total += problem.balance_weight * abs(len(slots) - self.shares[a])
        return total

    def penalty(self, p: int) -> float:
        place = self.places[p]
        total = self.short_weight * (place.demand - self.count[p])
        if place.full_days and not self.problem.split_days:
            total += self.whole_weight * max(0, place.full_days - self.whole[p])
        return total

    def total(self) -> float:
        return sum(self.cost.values()) + sum(self.penalties.values())

    def _other_half(self, a: int, p: int, w: Window) -> bool:
        other = (w[0], AFTERNOON if w[1] == MORNING else MORNING)
        return self.plan[a].get(other) == p

    # Changes
    def _note(self, a: int, p: int) -> None:
        if self.journal is not None:
            self.journal.setdefault(("a", a), self.cost[a])
            self.journal.setdefault(("p", p), self.penalties[p])

    @staticmethod
    def _push(items: list, index: dict, key, item) -> None:
        index[key] = len(items)
        items.append(item)

    @staticmethod
    def _pop(items: list, index: dict, key, key_of) -> None:
        position = index.pop(key)
        last = items.pop()
        if position < len(items):
            items[position] = last
            index[key_of(last)] = position

    def place(self, a: int, p: int, w: Window) -> None:
        self._note(a, p)
        self.plan[a][w] = p
        self.held[(p, *w)] = a
        self.count[p] += 1
        if self._other_half(a, p, w):
            self.whole[p] += 1
        self.cost[a] = self.adviser_cost(a, self.plan[a])
        self.penalties[p] = self.penalty(p)
        self._push(self.slots, self.slot_at, (a, w), (a, w))
        self._push(self.at[w], self.at_index, (a, w), a)

    def remove(self, a: int, w: Window) -> int:
        p = self.plan[a][w]
        self._note(a, p)
        if self._other_half(a, p, w):
            self.whole[p] -= 1
        del self.plan[a][w]
        del self.held[(p, *w)]
        self.count[p] -= 1
        self.cost[a] = self.adviser_cost(a, self.plan[a])
        self.penalties[p] = self.penalty(p)
        self._pop(self.slots, self.slot_at, (a, w), lambda item: item)
        self._pop(self.at[w], self.at_index, (a, w), lambda b, w=w: (b, w))
        return p

    def changed_total(self, current: float) -> float:
        """The total after the move journaled since ``current`` was the total."""
        total = current
        for (kind, key), before in self.journal.items():
            after = self.cost[key] if kind == "a" else self.penalties[key]
            if after == math.inf:
                return math.inf
            total += after - before
        return total

    def added_cost(self, a: int, p: int, w: Window) -> float:
        if w in self.plan[a] or (p, *w) in self.held:
            return math.inf
        return self.adviser_cost(a, {**self.plan[a], w: p}) - self.cost[a]

    def assignments(self) -> list[Assignment]:
        return [
            Assignment(a, p, d, h, outside_hours=(d, h) not in self.places[p].windows)
            for a, slots in self.plan.items()
            for (d, h), p in slots.items()
        ]

    # Construction
    def construct(self) -> None:
        if not self.problem.split_days:
            for place in sorted(self.problem.places, key=lambda p: len(self.options[p.id])):
                for _ in range(place.full_days - self.whole[place.id]):
                    if place.demand - self.count[place.id] < 2:
                        break
                    best = None
                    for a, (d, h) in self.options[place.id]:
                        if h != MORNING or (a, place.id, d, AFTERNOON) not in self.model.x:
                            continue
                        both = {(d, MORNING): place.id, (d, AFTERNOON): place.id}
                        if any(w in self.plan[a] or (place.id, *w) in self.held for w in both):
                            continue
                        delta = self.adviser_cost(a, {**self.plan[a], **both}) - self.cost[a]
                        if delta < math.inf and (best is None or delta < best[0]):
                            best = (delta, a, d)
                    if best is None:
                        break
                    _delta, a, d = best
                    self.place(a, place.id, (d, MORNING))
                    self.place(a, place.id, (d, AFTERNOON))
        self.flow()
        # The places with the fewest candidates first.
        self.fill(sorted(self.problem.places, key=lambda p: (len(self.options[p.id]), p.id)))

    def flow(self) -> None:
        """The remaining half-days as a min-cost flow, each costed a round trip from home.

        Place → window → adviser's window → adviser, the adviser's arc capped by the
        half-days their working time still holds at a round trip of average length. The
        flow is optimal for that simpler cost; the half-days it proposes are kept when they
        fit the real rules (tours, break, working time), the rest is left to :meth:`fill`.
        """
        from ortools.graph.python import min_cost_flow

        problem = self.problem
        flow = min_cost_flow.SimpleMinCostFlow()
        nodes: dict = {}

        def node(key) -> int:
            return nodes.setdefault(key, len(nodes))

        source, sink = node("source"), node("sink")
        arcs = {}
        for (a, p, d, h), index in self.model.x.items():
            if (p, d, h) in self.held or (d, h) in self.plan[a]:
                continue
            cost = self.model.cost.get(index, 0)
            arcs[(a, p, d, h)] = flow.add_arc_with_capacity_and_unit_cost(
                node(("pw", p, d, h)), node(("aw", a, d, h)), 1, cost
            )
        total = 0
        for key in list(nodes):
            if key[0] == "pw":
                flow.add_arc_with_capacity_and_unit_cost(node(("p", key[1])), nodes[key], 1, 0)
            elif key[0] == "aw":
                flow.add_arc_with_capacity_and_unit_cost(nodes[key], node(("a", key[1])), 1, 0)
        for key in list(nodes):
            if key[0] == "p":
                need = self.places[key[1]].demand - self.count[key[1]]
                if need > 0:
                    flow.add_arc_with_capacity_and_unit_cost(source, nodes[key], need, 0)
                    total += need
            elif key[0] == "a":
                advisor = self.advisors[key[1]]
                room = advisor.capacity - len(self.plan[key[1]])
                if advisor.weekly_minutes is not None:
                    trips = [problem.travel[(advisor.id, p)] for p in self.reach[advisor.id]]
                    average = 2 * sorted(trips)[len(trips) // 2] if trips else 0
                    used = self.adviser_minutes(advisor.id)
                    room = min(
                        room,
                        (advisor.weekly_minutes - used) // (problem.half_day_minutes + average),
                    )
                if room > 0:
                    flow.add_arc_with_capacity_and_unit_cost(nodes[key], sink, room, 0)
        flow.set_node_supply(source, total)
        flow.set_node_supply(sink, -total)
        if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
            return
        for (a, p, d, h), arc in arcs.items():
            if flow.flow(arc) and self.added_cost(a, p, (d, h)) < math.inf:
                self.place(a, p, (d, h))

    def adviser_minutes(self, a: int) -> int:
        slots, problem = self.plan[a], self.problem
        total = 0
        for d in {w[0] for w in slots}:
            m, n = slots.get((d, MORNING)), slots.get((d, AFTERNOON))
            total += problem.day_drive(a, m, n)
            total += problem.work(m) + problem.work(n)
        return total

    # Local search
    def improve(self, deadline: float, stop=lambda: False) -> None:
        current = self.total()
        best, best_plan = current, {a: dict(slots) for a, slots in self.plan.items()}
        started = clock.perf_counter()
        span = max(1e-3, deadline - started)
        temperature = SEARCH_TEMPERATURE
        moves = 0
        rng = self.rng
        while True:
            moves += 1
            if moves % 64 == 0:
                now = clock.perf_counter()
                if now >= deadline or stop():
                    break
                # Simulated annealing: worse moves accepted less and less often.
                temperature = SEARCH_TEMPERATURE * (1 - (now - started) / span) + 0.05
            if not self.slots:
                return
            a, w = self.slots[int(rng.random() * len(self.slots))]
            if (a, *w) in self.pinned:
                continue
            kind = rng.random()
            p = self.plan[a][w]
            snapshot = {a: dict(self.plan[a])}
            self.journal = {}
            if kind < 0.45:  # relocate one half-day
                b, w2 = rng.choice(self.options[p])
                if (b, w2) == (a, w) or (b, *w2) in self.pinned:
                    continue
                if w2 in self.plan[b] and not (b == a and w2 == w):
                    continue
                if (p, *w2) in self.held and w2 != w:
                    continue
                snapshot.setdefault(b, dict(self.plan[b]))
                self.remove(a, w)
                self.place(b, p, w2)
            elif kind < 0.8:  # swap with another adviser working the same window
                others = self.at[w]
                if len(others) < 2:
                    continue
                b = others[int(rng.random() * len(others))]
                if b == a or (b, *w) in self.pinned:
                    continue
                q = self.plan[b][w]
                if (a, q, *w) not in self.model.x or (b, p, *w) not in self.model.x:
                    continue
                snapshot[b] = dict(self.plan[b])
                self.remove(a, w)
                self.remove(b, w)
                self.place(a, q, w)
                self.place(b, p, w)
            else:  # move the whole day of this adviser to another adviser
                d = w[0]
                day = {v: q for v, q in self.plan[a].items() if v[0] == d}
                if any((a, *v) in self.pinned for v in day):
                    continue
                b = rng.choice(self.advisor_ids)
                if b == a or any(v in self.plan[b] for v in day):
                    continue
                if any((b, q, *v) not in self.model.x for v, q in day.items()):
                    continue
                snapshot[b] = dict(self.plan[b])
                for v in day:
                    self.remove(a, v)
                for v, q in day.items():
                    self.place(b, q, v)
            new = self.changed_total(current)
            self.journal = None
            if new <= current or (
                new < math.inf and rng.random() < math.exp((current - new) / temperature)
            ):
                current = new
                if new < best:
                    best = new
                    best_plan = {a: dict(slots) for a, slots in self.plan.items()}
                continue
            for b in snapshot:  # undo
                for v in list(self.plan[b]):
                    self.remove(b, v)
            for b, slots in snapshot.items():
                for v, q in slots.items():
                    self.place(b, q, v)
            if moves % 50 == 0:
                self.fill()
                current = self.total()
        self.restore(best_plan)

    def restore(self, plan: dict[int, dict[Window, int]]) -> None:
        for a in self.plan:
            for w in list(self.plan[a]):
                self.remove(a, w)
        for a, slots in plan.items():
            for w, p in slots.items():
                self.place(a, p, w)

    def fill(self, places=None) -> None:
        """Give still unheld half-days (of ``places``, all by default) to whoever can take
        them at least cost."""
        for place in self.problem.places if places is None else places:
            for _ in range(place.demand - self.count[place.id]):
                best = None
                for a, w in self.options[place.id]:
                    delta = self.added_cost(a, place.id, w)
                    if delta < math.inf and (best is None or delta < best[0]):
                        best = (delta, a, w)
                if best is None:
                    break
                self.place(best[1], place.id, best[2])


def heuristic(
    problem: PlanningProblem, time_limit_s: float = 1.0, *, seed: int = 0, model=None
) -> list[Assignment]:
    """Construction then local search for ``time_limit_s``: a plan meeting every hard rule."""
    started = clock.perf_counter()
    pins, _messages = check_pins(problem)
    model = model or WeekModel(problem, pins)
    search = LocalSearch(model, pins, seed=seed)
    search.construct()
    search.fill()
    search.improve(started + time_limit_s)
    search.fill()
    return search.assignments()


# --- Large neighbourhood search ---------------------------------------------------------------


class NeighbourhoodSearch:
    """Large neighbourhood search on the model: free a few neighbouring advisers, fix the rest.

    CP-SAT on the whole département spends its 10 s in presolve and LP on two cores; on a
    neighbourhood (a few advisers sharing places, every other variable fixed at its value in
    the best plan) it proves the sub-problem optimal in a fraction of a second. Each step
    keeps the sub-problem's optimum, so the plan only improves and always meets every hard
    rule (the sub-model is the model's rows with the fixed part moved into the bounds).
    The neighbourhood grows while sub-problems are solved to optimality, shrinks otherwise.
    """

    def __init__(self, model: WeekModel, values: dict[int, int], *, seed: int = 0):
        self.model = model
        self.rng = random.Random(seed)  # noqa: S311 (a reproducible search, not a secret)
        count = len(model.upper)
        self.values = [values[i] for i in range(count)]
        self.values_np = np.asarray(self.values, dtype=np.float64)
        # The rows in compressed form (variables and coefficients of row r between
        # row_start[r] and row_end[r]), and for each variable the rows it appears in.
        lengths = np.fromiter((len(r[0]) for r in model.rows), dtype=np.int64)
        self.row_end = np.cumsum(lengths)
        self.row_start = self.row_end - lengths
        self.row_vars = np.fromiter(
            (i for r in model.rows for i in r[0]), dtype=np.int64, count=int(lengths.sum())
        )
        self.row_coefs = np.fromiter(
            (c for r in model.rows for c in r[1]), dtype=np.int64, count=int(lengths.sum())
        )
        self.row_lo = np.array([r[2] for r in model.rows], dtype=np.float64)
        self.row_hi = np.array([r[3] for r in model.rows], dtype=np.float64)
        order = np.argsort(self.row_vars, kind="stable")
        self.row_of = np.repeat(np.arange(len(model.rows)), lengths)  # each entry's row
        self.var_rows = self.row_of[order]
        per_var = np.bincount(self.row_vars, minlength=count)
        self.var_end = np.cumsum(per_var)
        self.var_start = self.var_end - per_var
        self.lower = np.asarray(model.lower, dtype=np.int64)
        self.upper = np.asarray(model.upper, dtype=np.int64)
        self.owned: dict[int, list[int]] = defaultdict(list)  # adviser → their variables
        self.daily: dict[tuple[int, int], list[int]] = defaultdict(list)  # (adviser, day)
        self.weekly: dict[int, list[int]] = defaultdict(list)  # adviser → dev, u
        self.places_of: dict[int, set[int]] = defaultdict(set)  # adviser → places offered
        for (a, p, d, _h), i in model.x.items():
            self.owned[a].append(i)
            self.daily[(a, d)].append(i)
            self.places_of[a].add(p)
        for (a, d, _p, _q), i in model.z.items():
            self.owned[a].append(i)
            self.daily[(a, d)].append(i)
        for a, i in [*model.dev.items(), *((a, i) for (a, _p), i in model.u.items())]:
            self.owned[a].append(i)
            self.weekly[a].append(i)
        self.place_vars: dict[int, list[int]] = defaultdict(list)
        for p, i in [*model.short.items(), *model.whole_short.items()]:
            self.place_vars[p].append(i)
        self.advisors = sorted(self.owned)
        # Per place: its half-day variables and the day pairs it is part of (« places » kind).
        self.at_place: dict[int, list[int]] = defaultdict(list)
        self.advisors_of: dict[int, set[int]] = defaultdict(set)
        for (a, p, _d, _h), i in model.x.items():
            self.at_place[p].append(i)
            self.advisors_of[p].add(a)
        for (_a, _d, p, q), i in model.z.items():
            self.at_place[p].append(i)
            if q != p:
                self.at_place[q].append(i)
        self.place_ids = sorted(self.at_place)
        self.near_places = {
            p: sorted(
                (q for q in self.place_ids if q != p and self.advisors_of[p] & self.advisors_of[q]),
                key=lambda q, p=p: (-len(self.advisors_of[p] & self.advisors_of[q]), q),
            )
            for p in self.place_ids
        }
        self.place_size = min(PLACE_SIZE_START, len(self.place_ids))
        self.days = sorted({d for _a, d in self.daily})
        # Neighbours: the advisers sharing the most candidate places come first.
        self.near = {
            a: sorted(
                (b for b in self.advisors if b != a and self.places_of[a] & self.places_of[b]),
                key=lambda b, a=a: (-len(self.places_of[a] & self.places_of[b]), b),
            )
            for a in self.advisors
        }
        self.size = min(4, len(self.advisors))
        # Days kind: how many neighbouring advisers are freed on DAYS_FREED days, adapted so
        # that its sub-models stay quick to prove optimal.
        self.day_size = min(DAY_SIZE_START, len(self.advisors))
        self.kind = "week"
        self.steps = self.improvements = 0
        self.proven = False  # every adviser freed at once and proven optimal
        # A side of the plan (:meth:`sides`, :meth:`keep_to`): the variables this search may
        # change, and where its neighbourhoods are seeded. None: the whole model.
        self.allowed: np.ndarray | None = None
        self.seed_places, self.seed_advisors = self.place_ids, self.advisors
        # What each place's and each adviser's variables cost in the plan (``seed_place``,
        # ``seed_advisor``): their variables flattened, with whose they are.
        self.cost_int = np.zeros(count, dtype=np.int64)
        for i, c in model.cost.items():
            self.cost_int[i] = c
        self.cost_np = self.cost_int.astype(np.float64)
        self.place_at = {p: k for k, p in enumerate(self.place_ids)}
        self.advisor_at = {a: k for k, a in enumerate(self.advisors)}
        self.place_cost_of = self._owners([self.at_place[p] for p in self.place_ids])
        self.advisor_cost_of = self._owners([self.owned[a] for a in self.advisors])
        # For :meth:`sides`, by position in ``place_ids`` and ``advisors``: each half-day's and
        # day pair's adviser and places (a half-day's second place is its own), each weekly
        # variable's adviser, each shortfall's place, each adviser's candidate places.
        place_at, advisor_at = self.place_at, self.advisor_at
        held = [
            (i, advisor_at[a], place_at[p], place_at[p]) for (a, p, _d, _h), i in model.x.items()
        ]
        held += [
            (i, advisor_at[a], place_at[p], place_at[q]) for (a, _d, p, q), i in model.z.items()
        ]
        self.held_np = np.array(held, dtype=np.int64).reshape(-1, 4).T
        weekly = [(i, advisor_at[a]) for a, ids in self.weekly.items() for i in ids]
        self.weekly_np = np.array(weekly, dtype=np.int64).reshape(-1, 2).T
        shorts = [*model.short.items(), *model.whole_short.items()]
        self.shorts_np = (
            np.array([(i, place_at[p]) for p, i in shorts], dtype=np.int64).reshape(-1, 2).T
        )
        offered = [(advisor_at[a], place_at[p]) for a in self.advisors for p in self.places_of[a]]
        self.offered_np = np.array(offered, dtype=np.int64).reshape(-1, 2).T

    @staticmethod
    def _owners(groups) -> tuple[np.ndarray, np.ndarray]:
        """``(variables, owner)``: each group's distinct variables, and the group's position."""
        sets = [np.unique(np.asarray(group, dtype=np.int64)) for group in groups]
        owner = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
        return np.concatenate(sets) if sets else np.zeros(0, dtype=np.int64), owner

    def _draw(self, seeds: list[int], at: dict[int, int], cost_of) -> int:
        """One of ``seeds``, drawn in proportion to what its variables cost in the plan now,
        plus one (so that a seed costing nothing can still be drawn)."""
        variables, owner = cost_of
        costs = np.bincount(
            owner, weights=self.values_np[variables] * self.cost_np[variables],
            minlength=len(at),
        )  # fmt: skip
        weights = np.maximum(costs[[at[s] for s in seeds]], 0.0) + 1.0
        cumulative = np.cumsum(weights)
        k = int(np.searchsorted(cumulative, self.rng.random() * cumulative[-1], side="right"))
        return seeds[min(k, len(seeds) - 1)]

    def seed_place(self) -> int:
        """A place to seed a « places » neighbourhood or a cut (:meth:`sides`) at.

        Drawn in proportion to what the plan spends there (driving, deviations): destroy
        where the plan is costly, as « worst removal » does in adaptive LNS. Measured at 4×
        (ad hoc, 10 s runs alternated on a quiet machine, 2026-12-07): uniform draws gave
        5169–5305 (33 runs, mean about 5240), these 5102–5256 (24 runs, mean about 5175);
        scoring the seeds by their recent successes as well did no better (docs/performance.md,
        « Planner »)."""
        return self._draw(self.seed_places, self.place_at, self.place_cost_of)

    def seed_advisor(self) -> int:
        """An adviser to seed a « days » or « week » neighbourhood at (as ``seed_place``)."""
        return self._draw(self.seed_advisors, self.advisor_at, self.advisor_cost_of)

    def objective(self) -> int:
        return round(float(self.cost_np @ self.values_np))

    def neighbourhood(self) -> list[int]:
        """An adviser (``seed_advisor``) and ``size − 1`` advisers among those sharing most
        places."""
        if self.size >= len(self.advisors):
            return list(self.advisors)
        seed = self.seed_advisor()
        near = self.near[seed][: 2 * self.size]
        chosen = [seed, *self.rng.sample(near, min(len(near), self.size - 1))]
        short = [p for p, vs in self.place_vars.items() if any(self.values[i] for i in vs)]
        if short and self.rng.random() < 0.3:  # a place short: the advisers who could go
            place = self.rng.choice(short)
            able = [a for a in self.advisors if place in self.places_of[a]]
            chosen = self.rng.sample(able, min(len(able), self.size))
        return chosen

    def free_variables(self) -> tuple[list[int], bool]:
        """The variables of a neighbourhood, and whether it is the whole model.

        Three kinds, drawn at random (``PLACES_SHARE``, ``DAYS_SHARE``, the rest):

        - « places »: ``place_size`` neighbouring places (a random place and those sharing
          most candidate advisers with it), every half-day and day pair of theirs freed, all
          other places fixed — who holds which place is redistributed: HiGHS's optimum at
          1× gives the advisers fewer places each (79 adviser–place pairs against 94) and
          more whole days (46 against 39) than the local search's plan;
        - « days »: ``day_size`` neighbouring advisers (a random adviser and those sharing
          most places with them) on ``DAYS_FREED`` random days, every other day fixed — the
          moves that re-pair many half-days into days at once: the whole team freed two
          days at a time went from 3104 to 2741 at 1× (HiGHS's optimum 2709);
        - « week »: a few advisers' whole weeks (:meth:`neighbourhood`); when it reaches the
          whole team, a proven sub-optimum is the optimum.

        The first two grow while proven optimal within ``QUICK_S``, and shrink otherwise.
        """
        draw = self.rng.random()
        if self.size < len(self.advisors) and draw < PLACES_SHARE:
            # Who holds a few neighbouring places, on which days, with every other place
            # fixed: the advisers' places are redistributed (the optimum at 1× gives each
            # adviser fewer places, held as whole days more often, than local search's).
            self.kind = "places"
            seed = self.seed_place()
            near = self.near_places[seed][: 2 * self.place_size]
            chosen_places = [seed, *self.rng.sample(near, min(len(near), self.place_size - 1))]
            free, advisers = set(), set()
            for p in chosen_places:
                free.update(self.at_place[p])
                free.update(self.place_vars[p])
                advisers |= self.advisors_of[p]
            for a in advisers:
                free.update(self.weekly[a])
            return self._kept(free), False
        if self.size < len(self.advisors) and draw < PLACES_SHARE + DAYS_SHARE:
            self.kind = "days"
            seed = self.seed_advisor()
            near = self.near[seed][: 2 * self.day_size]
            chosen = [seed, *self.rng.sample(near, min(len(near), self.day_size - 1))]
            days = self.rng.sample(self.days, min(DAYS_FREED, len(self.days)))
            free = set()
            for a in chosen:
                free.update(self.weekly[a])
                for d in days:
                    free.update(self.daily[(a, d)])
            whole = False
        else:
            self.kind = "week"
            chosen = self.neighbourhood()
            whole = len(chosen) == len(self.advisors)
            free = {i for a in chosen for i in self.owned[a]}
        for a in chosen:
            for p in self.places_of[a]:
                free.update(self.place_vars[p])
        if self.allowed is not None:
            return self._kept(free), False
        return sorted(free), whole

    def _kept(self, free: set[int]) -> list[int]:
        """The variables of ``free`` this search may change (all without a side)."""
        if self.allowed is None:
            return sorted(free)
        return [i for i in sorted(free) if self.allowed[i]]

    # --- Two searches at once, on the two sides of a line --------------------------------

    def sides(self, seed_place: int) -> np.ndarray:
        """Cut the plan in two: each variable's side (0 or 1), or −1 when neither may change it.

        Places are ordered by their distance to ``seed_place`` through the advisers who could
        hold them (the time from the place to an adviser's home and from there to the other
        place): the nearer half is side 0. An adviser is on the side of most of their places.
        A variable belongs to a side when its adviser and its places are on it (a shortfall:
        its place's side); the others stay as they are. So no row of the model has variables
        of both sides: two searches, each changing only its side's variables, never break a
        row together, and each keeps the other's rows as it found them — their plans merge
        into one that keeps every rule (:meth:`merge` checks it anyway).
        """
        travel = self.model.problem.travel
        distance = {seed_place: 0}
        queue = [(0, 0, seed_place)]  # (minutes, 0 for a place / 1 for an adviser, id)
        seen = set()
        while queue:
            minutes, is_advisor, node = heapq.heappop(queue)
            if (is_advisor, node) in seen:
                continue
            seen.add((is_advisor, node))
            if is_advisor:
                neighbours = [(p, travel[(node, p)]) for p in self.places_of[node]]
            else:
                distance.setdefault(node, minutes)
                neighbours = [(a, travel[(a, node)]) for a in self.advisors_of[node]]
            for other, step in neighbours:
                if (not is_advisor, other) not in seen:
                    heapq.heappush(queue, (minutes + step, int(not is_advisor), other))
        order = sorted(self.place_ids, key=lambda p: (distance.get(p, math.inf), p))
        place_side = np.zeros(len(self.place_ids), dtype=np.int8)
        place_side[[self.place_at[p] for p in order[len(order) // 2 :]]] = 1
        adviser, place = self.offered_np
        ones = np.bincount(adviser, weights=place_side[place], minlength=len(self.advisors))
        advisor_side = (2 * ones > np.bincount(adviser, minlength=len(self.advisors))).astype(
            np.int8
        )
        side = np.full(len(self.values), -1, dtype=np.int8)
        # A half-day or day pair: its adviser's side when its places are on it too.
        i, a, p, q = self.held_np
        mine = advisor_side[a]
        side[i] = np.where((place_side[p] == mine) & (place_side[q] == mine), mine, -1)
        i, a = self.weekly_np  # an adviser's own: no place's row holds it
        side[i] = advisor_side[a]
        i, p = self.shorts_np
        side[i] = place_side[p]
        # Any row left with both sides (a variable added to the model later): side 1's
        # variables in it stay as they are.
        entries, row_of = side[self.row_vars], self.row_of
        mixed = (np.bincount(row_of[entries == 0], minlength=len(self.row_lo)) > 0) & (
            np.bincount(row_of[entries == 1], minlength=len(self.row_lo)) > 0
        )
        side[self.row_vars[mixed[row_of] & (entries == 1)]] = -1
        return side

    def keep_to(self, side: np.ndarray | None, which: int = 0) -> None:
        """From now on change only the variables of side ``which`` (None: all again)."""
        if side is None:
            self.allowed, self.seed_places, self.seed_advisors = None, self.place_ids, self.advisors
            return
        self.allowed = side == which
        self.seed_places = self._any_allowed(self.place_ids, self.place_cost_of)
        self.seed_advisors = self._any_allowed(self.advisors, self.advisor_cost_of)
        self.seed_places = self.seed_places or self.place_ids
        self.seed_advisors = self.seed_advisors or self.advisors

    def _any_allowed(self, seeds: list[int], groups) -> list[int]:
        """The ``seeds`` (places or advisers) with a variable this search may change."""
        variables, owner = groups
        count = np.bincount(owner, weights=self.allowed[variables], minlength=len(seeds))
        return [seed for seed, n in zip(seeds, count.tolist(), strict=True) if n]

    def changes(self, start: list[int]) -> list[tuple[int, int]]:
        """The variables changed since ``start`` (the values when the search began)."""
        return [(i, v) for i, (v, s) in enumerate(zip(self.values, start, strict=True)) if v != s]

    def feasible(self, values: np.ndarray) -> bool:
        """Every row of the model and every bound hold for ``values``."""
        if ((values < self.lower) | (values > self.upper)).any():
            return False
        activity = np.bincount(
            self.row_of, weights=self.row_coefs * values[self.row_vars], minlength=len(self.row_lo)
        )
        return bool(((activity >= self.row_lo - 1e-6) & (activity <= self.row_hi + 1e-6)).all())

    def merge(self, changes: list[tuple[int, int]]) -> bool:
        """Take the other side's changes when the plan then still keeps every rule and
        costs less; True when taken."""
        if not changes:
            return False
        cost = self.model.cost
        gain = sum(cost.get(i, 0) * (self.values[i] - v) for i, v in changes)
        if gain <= 0:
            return False
        values = np.asarray(self.values, dtype=np.int64)
        at = np.fromiter((i for i, _v in changes), dtype=np.int64, count=len(changes))
        values[at] = np.fromiter((v for _i, v in changes), dtype=np.int64, count=len(changes))
        if not self.feasible(values):
            return False
        self.values = values.tolist()
        self.values_np = values.astype(np.float64)
        self.improvements += 1
        return True

    def step(self, time_left_s: float) -> bool:
        """Re-solve one neighbourhood (within ``time_left_s``); True when the plan improved."""
        whole, sub, free, before = self._build()
        step_s = LNS_STEP_S if self.kind == "week" else LARGE_STEP_S
        time_limit_s = min(step_s, time_left_s)
        started = clock.perf_counter()
        status, solution = self._solve(sub, time_limit_s)
        self._resize(status == cp_model.OPTIMAL, clock.perf_counter() - started, time_limit_s)
        return self._commit(whole, status, solution, free, before)

    def _build(self):
        """The neighbourhood's sub-model: the rows it touches, the fixed part in the bounds.

        With numpy over the rows in compressed form: row by row in Python, this took 40 %
        of a step at 4× (profiled), as long as CP-SAT's solve.
        """
        values = self.values
        free, whole = self.free_variables()
        free = self._unforced(free)
        free_at = np.asarray(free, dtype=np.int64)
        local = np.full(len(values), -1, dtype=np.int64)
        local[free_at] = np.arange(len(free), dtype=np.int64)
        sub = cp_model.CpModel()
        proto = sub.proto
        for lo, hi in zip(self.lower[free_at].tolist(), self.upper[free_at].tolist(), strict=True):
            proto.variables.add().domain.extend([lo, hi])
        rows, columns, coefs, which = self._touched_rows(free_at)
        mine = local[columns] >= 0
        fixed = np.bincount(
            which[~mine],
            weights=coefs[~mine] * self.values_np[columns[~mine]],
            minlength=len(rows),
        )
        terms = local[columns[mine]].tolist()
        weights = coefs[mine].tolist()
        cuts = np.concatenate(([0], np.cumsum(np.bincount(which[mine], minlength=len(rows)))))
        big = cp_model.INT_MAX
        lows = np.rint(self.row_lo[rows] - fixed)
        highs = np.rint(self.row_hi[rows] - fixed)
        lows, highs = _bounds(lows, -big), _bounds(highs, big)
        cuts = cuts.tolist()
        for k in range(len(lows)):
            linear = proto.constraints.add().linear
            a, b = cuts[k], cuts[k + 1]
            linear.vars.extend(terms[a:b])
            linear.coeffs.extend(weights[a:b])
            linear.domain.extend([lows[k], highs[k]])
        costs = self.cost_int[free_at]
        priced = np.flatnonzero(costs)  # the free variables' positions, in ``free``'s order
        proto.objective.vars.extend(priced.tolist())
        proto.objective.coeffs.extend(costs[priced].tolist())
        hint = self.values_np[free_at].astype(np.int64)
        before = int(costs @ hint)
        proto.solution_hint.vars.extend(range(len(free)))
        proto.solution_hint.values.extend(hint.tolist())
        return whole, sub, free, before

    def _touched_rows(self, free_at: np.ndarray):
        """The rows holding any of ``free_at`` and their entries, flattened: ``(rows, columns,
        coefficients, which)``, ``which`` giving each entry's position in ``rows``."""
        rows = np.unique(self.var_rows[_ranges(self.var_start[free_at], self.var_end[free_at])])
        starts, ends = self.row_start[rows], self.row_end[rows]
        at = _ranges(starts, ends)
        which = np.repeat(np.arange(len(rows)), ends - starts)
        return rows, self.row_vars[at], self.row_coefs[at], which

    def _unforced(self, free: list[int]) -> list[int]:
        """``free`` without the variables the fixed part holds at 0, which then stay fixed.

        A variable at 0 (lower bound 0, positive coefficient) that could not be raised to 1
        without exceeding a row's upper bound — the row's fixed part plus the least its other
        free variables add is too high: the adviser already works elsewhere in that window,
        another adviser holds the place then — is forced to 0; so, at the next pass, are the
        day pairs of a half-day forced to 0. Bound propagation as CP-SAT's presolve does it,
        in numpy: at 4× a « places » neighbourhood went from 4,000–12,000 variables to
        500–2,500 and a « days » one from 4,500–8,000 to 1,200–1,900, built and presolved
        faster (ad hoc, 10 s runs: 5242–5343 against 5355–5474). Never one of the plan's 1s:
        the plan keeps every row, so no row is over with them.
        """
        free_at = np.asarray(free, dtype=np.int64)
        if not len(free_at):
            return free
        rows, columns, coefs, which = self._touched_rows(free_at)
        coefs = coefs.astype(np.float64)
        high = self.row_hi[rows][which] + 1e-6
        upper = self.upper.astype(np.float64)
        is_free = np.zeros(len(self.values), dtype=bool)
        is_free[free_at] = True
        # A variable at 0 in the plan (the plan keeps every row: never one of its 1s), lower
        # bound 0, positive coefficient: raising it to 1 adds its coefficient.
        at_zero = (self.values_np == 0) & (self.lower == 0)
        for _ in range(3):  # a forced half-day forces its day pairs at the next pass
            mine = is_free[columns]
            # The least each entry can add: fixed entries their value, free ones their bound's.
            low = np.where(
                mine,
                np.minimum(coefs * self.lower[columns], coefs * upper[columns]),
                coefs * self.values_np[columns],
            )
            least = np.bincount(which, weights=low, minlength=len(rows))
            over = mine & (coefs > 0) & at_zero[columns] & (least[which] - low + coefs > high)
            if not over.any():
                break
            upper[columns[over]] = 0
            is_free[columns[over]] = False
        return [i for i in free if is_free[i]]

    def _solve(self, sub: cp_model.CpModel, time_limit_s: float):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        # The full LP relaxation proves most neighbourhoods optimal 2–4× faster (measured).
        solver.parameters.linearization_level = 2
        # One presolve pass, not three: the same 169 sub-models re-solved 8 % faster, as
        # many proven optimal (ad hoc, 4×).
        solver.parameters.max_presolve_iterations = 1
        solver.parameters.random_seed = self.steps
        status = solver.solve(sub)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status, None
        return status, (solver.objective_value, list(solver.response_proto.solution))

    def _resize(self, proven: bool, seconds: float, limit_s: float) -> None:
        """The next neighbourhood of this kind: a « places » or « days » one grows when this
        one was proven optimal within ``QUICK_S`` (or half its limit), and shrinks when not
        proven; a « week » one grows when proven, and shrinks otherwise."""
        quick = proven and seconds < min(QUICK_S, limit_s / 2)
        if self.kind == "days":
            if quick:
                self.day_size = min(self.day_size + 1, len(self.advisors))
            elif not proven:
                self.day_size = max(DAY_SIZE_MIN, self.day_size - 2)
        elif self.kind == "places":
            if quick:
                self.place_size = min(self.place_size + 1, len(self.place_ids))
            elif not proven:
                self.place_size = max(2, self.place_size - 2)
        elif proven:
            self.size = min(self.size + 1, len(self.advisors))
        else:
            self.size = max(2, self.size - 1)

    def _commit(self, whole, status, solution, free, before) -> bool:
        """Take the sub-model's solution when it costs less: True when taken."""
        values = self.values
        self.steps += 1
        if solution is None:
            return False
        if status == cp_model.OPTIMAL and whole:
            self.proven = True
        objective, found = solution
        if objective >= before - 0.5:
            return False
        for j, i in enumerate(free):
            values[i] = found[j]
        self.values_np[free] = found[: len(free)]
        self.improvements += 1
        return True

    def run(self, deadline: float, tick=lambda: False) -> None:
        """Steps until ``deadline``, a proof, or ``tick()`` says stop."""
        while not self.proven:
            left = deadline - clock.perf_counter()
            if left < 0.05:
                return
            self.step(left)
            if tick():
                return
