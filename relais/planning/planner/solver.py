"""Solving a week: the search on one core, CP-SAT's bound on the other, the best plan found
with its gap and its explanations; and the greedy baseline."""

from __future__ import annotations

import multiprocessing
import time as clock
from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from .model import WeekModel
from .problem import (
    AFTERNOON,
    FEASIBLE,
    INFEASIBLE,
    MORNING,
    OPTIMAL,
    PARTIAL,
    UNKNOWN,
    Assignment,
    Pin,
    PlanningProblem,
    PlanResult,
    Progress,
    ProgressCallback,
    check_pins,
    commitment_text,
    day_tours,
    half_day_loads,
    half_days_text,
    plan_travel,
    plural_text,
    precheck,
    windows_text,
    working_minutes,
)
from .search import LocalSearch, NeighbourhoodSearch, heuristic

NUM_WORKERS = 2
SUBSOLVERS = ("max_lp", "quick_restart")


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: ProgressCallback | None, stage: str, started: float):
        super().__init__()
        self.progress, self.stage, self.started = progress, stage, started

    def on_solution_callback(self) -> None:
        if self.progress is None:
            return
        objective, bound = self.objective_value, self.best_objective_bound
        gap = (objective - bound) / objective * 100 if objective else 0.0
        self.progress(
            Progress(
                f"{self.stage} : solution à {objective:.0f} (borne {bound:.0f}, écart {gap:.1f} %)",
                objective,
                bound,
                clock.perf_counter() - self.started,
            )
        )


def _solver(time_limit_s: float, workers: int = 1) -> cp_model.CpSolver:
    """CP-SAT on the whole model, for the proven bound (and any better plan it meets)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    # With one or two workers the default search barely moves the bound on the département
    # instance; the full LP relaxation (and restarts from the hint) prove far more.
    if workers >= 2:
        solver.parameters.subsolvers.extend(SUBSOLVERS)
    else:
        solver.parameters.linearization_level = 2
    # Probing and symmetry detection took most of 10 s in presolve at the département's
    # size (17,000 variables) for no gain: off.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.random_seed = 0
    return solver


def _bound_child(model: WeekModel, hint, time_limit_s: float, send) -> None:
    """CP-SAT on the whole model: (status, bound, solution)."""
    solver = _solver(time_limit_s)
    status = solver.solve(model.to_cpsat(hint))
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    send.send(
        (
            status,
            solver.best_objective_bound if status != cp_model.INFEASIBLE else None,
            list(solver.response_proto.solution) if found else None,
        )
    )
    send.close()


class _Helper:
    """Work on the second core, in a child process: CP-SAT on the whole model for the bound
    (small models, where it proves the optimum), or one side's neighbourhood search.

    A process, not a thread: CP-SAT's Python solve keeps the GIL (measured: a thread running
    it halves the local search beside it). Forked, so the child has the model at once.
    """

    def __init__(self, target, *args):
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=target, args=(*args, send), daemon=True)
        self.process.start()
        send.close()

    def done(self) -> bool:
        return self.receive.poll()

    def result(self, timeout_s: float, missing=(cp_model.UNKNOWN, None, None)):
        """What the child sent; ``missing`` when it is late or died."""
        found = missing
        try:
            if self.receive.poll(max(0.0, timeout_s)):
                found = self.receive.recv()
        except EOFError:  # the child died (memory): nothing from it, the plan stands
            pass
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()
        return found


def _search_child(model: WeekModel, until: float, send) -> None:
    """The construction and local search with another seed until ``until``: its plan."""
    send.send(heuristic(model.problem, until - clock.perf_counter(), seed=1, model=model))
    send.close()


def _side_child(lns: NeighbourhoodSearch, side, until: float, send) -> None:
    """The neighbourhood search on side 1 of ``side`` until ``until``: the changes."""
    start = list(lns.values)
    lns.keep_to(side, 1)
    lns.rng.seed(lns.steps + 1_000_003)  # other neighbourhoods than the parent's draws
    lns.run(until)
    send.send(lns.changes(start))
    send.close()


# Each round of the search on both cores: a cut (:meth:`NeighbourhoodSearch.sides`), then
# both sides searched at once for this long, then the other side's changes merged. Another
# cut each round, so no half-day stays on the line. Measured (10 s, quiet machine, six runs
# at 1×): rounds of 1 s 2709–2734, of 2 s 2729–2773, of 3 s 2749–2827; at 4× 1 s and 2 s level
# (5252–5284, 5252–5277): more cuts, fewer half-days left on the lines (docs/performance.md).
SIDE_ROUND_S = 1.0
SIDE_GRACE_S = 0.5  # for the child's last step and its answer


def _search_both_sides(lns: NeighbourhoodSearch, deadline: float, tick) -> None:
    """The large neighbourhood search on two cores, each on its side of a cut.

    The variables of the two sides share no row of the model (:meth:`~NeighbourhoodSearch.sides`),
    so the child's changes and this process's add up to a plan keeping every rule, whose cost
    is the sum of both gains; :meth:`~NeighbourhoodSearch.merge` checks every row anyway
    before taking them. A child late or dead costs only its round's changes. The same
    neighbourhoods from the same plan in both processes with other seeds (the better plan
    kept) did worse than one process (docs/performance.md): here they never overlap."""
    while not tick():
        left = deadline - clock.perf_counter()
        if left < 1.0:
            lns.run(deadline, tick=tick)
            return
        until = deadline if left < 2 * SIDE_ROUND_S else clock.perf_counter() + SIDE_ROUND_S
        side = lns.sides(lns.seed_place())  # any place: the previous round ended keep_to(None)
        child = _Helper(_side_child, lns, side, until - SIDE_GRACE_S / 2)
        lns.keep_to(side, 0)
        lns.run(until - SIDE_GRACE_S / 2, tick=tick)
        lns.keep_to(None)
        lns.merge(child.result(until - clock.perf_counter() + SIDE_GRACE_S, missing=[]))


BOUND_MAX_VARIABLES = 10_000  # above, CP-SAT's bound in 10 s on one core is too weak to show
# Of the time limit, construction and local search's share (then LNS). At 4× with the search
# on both cores: half gave 5312–5337, a quarter 5261–5332 (three runs each, same machine);
# with the neighbourhoods pruned (``NeighbourhoodSearch._unforced``) and a second local
# search on the other core, 0.1 gave 5160–5206, 0.15 5158–5216, 0.2 5229–5261 (0.25, before
# that second search, 5232–5302): the neighbourhoods gain faster than the local search after
# its first second or two.
HEURISTIC_SHARE = 0.15


PROGRESS_EVERY_S = 1.0


def solve(
    problem: PlanningProblem,
    time_limit_s: float = 10.0,
    progress: ProgressCallback | None = None,
    *,
    workers: int = NUM_WORKERS,
) -> PlanResult:
    """Plan the week (rules in the module docstring): always the best plan found.

    The time is shared: construction and local search first (``HEURISTIC_SHARE``), then a
    large neighbourhood search from the best plan so far (:class:`NeighbourhoodSearch`).
    With two workers the second core works too, in a child process (``_Helper``): on small
    models CP-SAT on the whole model, for the proven bound; on larger ones a second local
    search with another seed (``_search_child``, the better plan kept), then the
    neighbourhood search on one side of a cut while this process searches the other
    (:func:`_search_both_sides`).
    """
    started = clock.perf_counter()
    deadline = started + time_limit_s

    def tell(message: str, objective=None, bound=None) -> None:
        if progress:
            progress(Progress(message, objective, bound, clock.perf_counter() - started))

    pins, pin_messages = check_pins(problem)
    team_problems, place_problems = precheck(problem)
    tell(f"Modèle : {len(problem.places)} lieux, {len(problem.advisors)} conseillers.")
    model = WeekModel(problem, pins)
    relaxed = []
    if model.restricted:
        relaxed.append(
            f"Chaque conseiller s'est vu proposer ses {problem.max_candidates} lieux les plus "
            f"proches (et chaque lieu ses {problem.min_advisors} conseillers les plus proches) : "
            "l'écart est calculé sur ce choix."
        )
    # Candidates: the current planning when it still fits, then the heuristic.
    candidates = []

    def consider(assignments, source: str) -> None:
        """A plan that keeps every hard rule joins the candidates, with its objective."""
        values = model.values(assignments)
        if values is not None:
            candidates.append((model.objective(values), source, assignments, values))

    current = [a for a in problem.current if (a.advisor_id, a.place_id, *a.window) in model.x]
    if current:
        consider(current, "planning en vigueur")
    search_until = started + time_limit_s * HEURISTIC_SHARE
    tell("Premier planning : construction et recherche locale.")
    search = LocalSearch(model, pins)
    search.construct()
    search.fill()
    consider(search.assignments(), "heuristique")
    candidates.sort(key=lambda c: c[0])
    # Meanwhile CP-SAT works on the whole model from the best plan so far in a child process
    # (the other core), for the proven bound (the hint matters: without it the demo is not
    # even solved in 5 s); it ends the search early when it proves the optimum.
    helper = other = None
    if workers < 2 or deadline - clock.perf_counter() <= 1.0:
        relaxed.append("Temps ou processeurs trop limités pour calculer une borne prouvée.")
    elif len(model.upper) <= BOUND_MAX_VARIABLES:
        helper = _Helper(
            _bound_child,
            model,
            candidates[0][3] if candidates else None,
            deadline - clock.perf_counter() - 0.3,
        )
    else:
        # Larger: CP-SAT's bound in 10 s on one core was below 65 % of the optimum; the
        # second core searches neighbourhoods instead (below, ``_search_both_sides``), and
        # meanwhile a second local search with another seed (the better plan is kept).
        relaxed.append("Pas de borne prouvée à cette taille dans le temps imparti.")
        other = _Helper(_search_child, model, search_until)
    # A CP-SAT done early (optimal or infeasible) ends the local search too.
    search.improve(search_until, stop=lambda: helper is not None and helper.done())
    search.fill()
    consider(search.assignments(), "heuristique")
    if other is not None and (plan := other.result(SIDE_GRACE_S, missing=[])):
        consider(plan, "heuristique")  # nothing when the child was late or died
    candidates.sort(key=lambda c: c[0])
    proven = False
    early = helper is not None and helper.done()
    if candidates and not early and deadline - clock.perf_counter() > 0.5:
        tell("Recherche à grands voisinages (CP-SAT par groupes de conseillers).")
        lns = NeighbourhoodSearch(model, candidates[0][3])
        told = [clock.perf_counter()]

        def tick() -> bool:
            if clock.perf_counter() - told[0] >= PROGRESS_EVERY_S:
                told[0] = clock.perf_counter()
                tell(f"Voisinages : planning à {lns.objective()}.", lns.objective())
            return helper is not None and helper.done()

        if helper is None and workers >= 2 and len(model.upper) > BOUND_MAX_VARIABLES:
            _search_both_sides(lns, deadline, tick)  # the second core is free
        else:
            lns.run(deadline, tick=tick)
        proven = lns.proven
        if lns.improvements:
            consider(model.assignments(lambda i: lns.values[i]), "voisinages (CP-SAT)")
    status, bound, solution = cp_model.UNKNOWN, None, None
    if helper is not None:
        # The child stops at its own time limit; a little grace for its answer to arrive.
        status, bound, solution = helper.result(deadline - clock.perf_counter() + 1.0)
    proven = proven or status == cp_model.OPTIMAL
    if solution is not None:
        consider(model.assignments(lambda i: solution[i]), "CP-SAT")
    elif status == cp_model.INFEASIBLE and problem.pins:
        # Only the pins can make the model infeasible (every commitment has a slack):
        # they clash with working time or the break. Solve again without them.
        again = solve(
            replace(problem, pins=[]),
            max(0.5, deadline - clock.perf_counter()),
            progress,
            workers=workers,
        )
        again.explanations.insert(
            0,
            "Les choix imposés ne tiennent pas ensemble dans le temps de travail ou la "
            "pause méridienne : ils ont été ignorés.",
        )
        again.relaxed.append("choix imposés ignorés")
        return again
    if not candidates:
        return PlanResult(
            UNKNOWN,
            seconds=clock.perf_counter() - started,
            explanations=[*pin_messages, "Aucun planning trouvé : vérifiez les données."],
        )
    candidates.sort(key=lambda c: (c[0], c[1] != "CP-SAT"))
    objective, source, assignments, values = candidates[0]
    if proven:  # the best plan found is optimal: its objective is the bound
        bound = objective if bound is None else max(bound, objective)
    if bound is not None:
        # Driving and penalties are never negative: a bound below 0 says nothing more.
        bound = max(0.0, min(bound, objective))
    shortfalls = {p: values[i] for p, i in model.short.items() if values[i]}
    whole_missing = {p: values[i] for p, i in model.whole_short.items() if values[i]}
    _outside_w, short_weight, _whole_w = model.weights()
    if not shortfalls and not whole_missing:
        status_out = OPTIMAL if proven or (bound is not None and bound >= objective) else FEASIBLE
    elif (
        team_problems
        or place_problems
        or proven
        or (bound is not None and bound >= min(short_weight, _whole_w) - 1e-6)
    ):
        status_out = INFEASIBLE
    else:
        status_out = PARTIAL
    result = PlanResult(
        status_out,
        assignments=sorted(assignments, key=lambda a: (a.place_id, a.weekday, a.half)),
        travel_minutes=plan_travel(problem, assignments),
        objective=float(objective),
        bound=float(bound) if bound is not None else None,
        gap=_gap(objective, bound) if bound is not None else None,
        seconds=clock.perf_counter() - started,
        loads=half_day_loads(problem, assignments),
        shortfalls=shortfalls,
        source=source,
        relaxed=relaxed,
        working_minutes=working_minutes(problem, assignments),
    )
    result.explanations = pin_messages + (team_problems if shortfalls else [])
    if shortfalls:
        _explain_shortfalls(problem, result, place_problems)
    places = {p.id: p for p in problem.places}
    for place_id, missing in sorted(whole_missing.items()):
        place = places[place_id]
        # French agrees with the count: the plural from 2 (« 1 journée … ne peut pas »).
        if missing > 1:
            cannot = "ne peuvent pas être tenues entières"
        else:
            cannot = "ne peut pas être tenue entière"
        result.explanations.append(
            f"{place.name}{commitment_text(place)} : {plural_text(missing, 'journée')} sur "
            f"{place.full_days} {cannot} par un même conseiller (horaires d'ouverture, temps "
            "de travail ou trajets) : autorisez le fractionnement des journées ou ajustez les "
            "horaires."
        )
    if status_out == PARTIAL:
        result.explanations.append(
            "Aucun planning tenant tous les engagements n'a été trouvé dans le temps imparti, "
            "sans preuve qu'il n'en existe pas : voici le meilleur planning partiel trouvé ; "
            "augmentez la durée de calcul pour chercher encore."
        )
    result.explanations += _outside_hours_notes(problem, assignments)
    result.explanations += _travel_notes(problem, assignments)
    return result


def _gap(objective: float, bound: float) -> float:
    if objective <= 0:
        return 0.0
    return max(0.0, (objective - bound) / objective)


def _explain_shortfalls(problem, result: PlanResult, place_problems: dict) -> None:
    places = {p.id: p for p in problem.places}
    reasons = dict(place_problems)
    for place_id in sorted(set(result.shortfalls) | set(reasons), key=lambda i: places[i].name):
        place = places[place_id]
        possible, why = reasons.get(place_id, (None, None))
        missing = result.shortfalls.get(place_id, 0)
        met = place.demand - missing
        if why is None:
            why = (
                "les conseillers qui peuvent s'y rendre sont déjà occupés ailleurs, absents "
                "ou au bout de leur temps de travail (trajets compris) sur ses demi-journées "
                "d'ouverture"
            )
        count = min(met, possible) if possible is not None else met
        result.explanations.append(
            f"{place.name}{commitment_text(place)} : {half_days_text(place.demand)} "
            f"{'engagées' if place.demand > 1 else 'engagée'}, {count} au plus "
            f"{'possibles' if count > 1 else 'possible'} car {why}."
        )
    if not result.assignments and not result.explanations:
        result.explanations.append("Aucun planning possible avec ces données.")


def _outside_hours_notes(problem, assignments) -> list[str]:
    places = {p.id: p for p in problem.places}
    outside = defaultdict(list)
    for a in assignments:
        if a.outside_hours:
            outside[a.place_id].append(a.window)
    return [
        f"{places[pid].name} : {half_days_text(len(ws))} hors des horaires d'ouverture "
        f"({windows_text(ws)}), le lieu n'étant pas ouvert assez longtemps ; à convenir avec "
        "la structure."
        for pid, ws in sorted(outside.items(), key=lambda i: places[i[0]].name)
    ]


def _travel_notes(problem, assignments) -> list[str]:
    """The estimated legs the plan drives that the travel module flags as doubtful."""
    if not problem.travel_notes:
        return []
    legs = []
    for (advisor_id, _d), halves in day_tours(assignments).items():
        for p in halves.values():
            legs.append((advisor_id, p))
        m, n = halves.get(MORNING), halves.get(AFTERNOON)
        if m is not None and n is not None and m != n:
            legs.append(("places", min(m, n), max(m, n)))
    notes = []
    for leg in dict.fromkeys(legs):
        if leg in problem.travel_notes and problem.travel_notes[leg] not in notes:
            notes.append(problem.travel_notes[leg])
    return notes


# --- Greedy baseline ------------------------------------------------------------------------


def greedy_assignments(problem: PlanningProblem, pins: list[Pin] | None = None) -> list:
    """Each demanded half-day, place by place, to the nearest adviser still free then.

    The former planner's baseline, kept as the benchmark's « greedy »: it knows neither
    tours, working time nor whole days (the benchmark counts its violations). Places are
    taken in the problem's order; within a place, the window and adviser with the least
    travel win (ties: the lighter load). May leave half-days unassigned.
    """
    load, busy, used = defaultdict(int), set(), set()
    chosen = []
    for pin in pins or []:
        chosen.append(Assignment(pin.advisor_id, pin.place_id, pin.weekday, pin.half))
        load[pin.advisor_id] += 1
        busy.add((pin.advisor_id, *pin.window))
        used.add((pin.place_id, *pin.window))
    placed = defaultdict(int)
    for a in chosen:
        placed[a.place_id] += 1
    for place in problem.places:
        for _ in range(place.demand - placed[place.id]):
            best = None
            for window in sorted(problem.place_windows(place)):
                if (place.id, *window) in used:
                    continue
                for advisor in problem.advisors:
                    if (
                        load[advisor.id] >= advisor.capacity
                        or (advisor.id, *window) in busy
                        or not advisor.available(window)
                        or not problem.reachable(advisor, place)
                    ):
                        continue
                    score = (
                        window not in place.windows,
                        problem.travel[(advisor.id, place.id)],
                        load[advisor.id],
                    )
                    if best is None or score < best[0]:
                        best = (score, advisor, window)
            if best is None:
                break
            _, advisor, window = best
            chosen.append(
                Assignment(advisor.id, place.id, *window, outside_hours=window not in place.windows)
            )
            load[advisor.id] += 1
            busy.add((advisor.id, *window))
            used.add((place.id, *window))
    return chosen


def greedy(problem: PlanningProblem) -> PlanResult:
    started = clock.perf_counter()
    assignments = greedy_assignments(problem)
    placed = defaultdict(int)
    for a in assignments:
        placed[a.place_id] += 1
    shortfalls = {p.id: p.demand - placed[p.id] for p in problem.places if placed[p.id] < p.demand}
    return PlanResult(
        FEASIBLE if not shortfalls else INFEASIBLE,
        assignments=assignments,
        travel_minutes=plan_travel(problem, assignments),
        seconds=clock.perf_counter() - started,
        loads=half_day_loads(problem, assignments),
        shortfalls=shortfalls,
        source="glouton",
        working_minutes=working_minutes(problem, assignments),
    )
