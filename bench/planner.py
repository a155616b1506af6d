"""Planner benchmark: ``make bench-planner`` (or ``python -m bench.planner``).

Instances from :mod:`bench.planner_instances` (seeded, plain data): the demo with the advisers
under contract, and the département at 1×, 2× and 4× (60·k places, 26·k advisers). On each:

- **greedy**: the former planner's baseline (each half-day to the nearest free adviser,
  round trips, no working time, no whole days);
- **greedy + LS**: the planner's own construction (min-cost flow, then greedy) and local
  search, given the same 10 s as the planner from the problem to the plan (building the
  model included), in one process;
- **planner**: :func:`relais.planning.planner.solve`, 10 s: local search then large
  neighbourhood search with CP-SAT; the second core (a child process) runs CP-SAT on the
  whole model for the bound on small models, one side of the neighbourhood search on larger;
- **HiGHS**: the same model (same rows, same objective) handed to HiGHS's MILP for an
  independent lower bound (``highspy``, benchmark dependency only). At 4× the MILP finds
  neither a plan nor a bound in minutes: the bound is the recorded best known's.

Every plan is re-verified by the independent checker (tests/planning/feasibility.py): hard-rule
violations and unmet half-days are counted from the plain data, and driving is the real tours'.
The « best known » of the 4× instance is a long run recorded once (HiGHS's MILP finds nothing
there: the planner given minutes, with HiGHS's LP bound; ``python -m bench.planner
--record-best 4 SECONDS``, which keeps the better of the recorded and the new) in
bench/planner_best.json; the runs' own plans count too when better.
``python -m bench.planner --from-log FILE`` rewrites the section from a run's printed rows
(its standard output), without running again.

Run it niced (``nice -n 10``) on a shared machine; the section « Planner » of
docs/performance.md is rewritten with the conditions. Exit status 1 when a target is missed.
"""

import json
import math
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.report import write_section  # noqa: E402

TIME_LIMIT_S = 10.0
BOUND_LIMIT_S = {"demo": 30, "département ×1": 60, "département ×2": 90, "département ×4": None}
RUNS_4X = 3
BEST = ROOT / "bench" / "planner_best.json"
TARGETS = {"gap_1x": 0.01, "best_4x": 0.03}
# Written after reading the run below (docs/performance.md keeps the figures).
READING = [
    "- This run (ended 2026-12-08 01:29 CET, quiet machine): demo optimal in 0.4 s; ×1 2713, "
    "0.15 % from HiGHS's proven optimum 2709 — met; ×2 3711 (HiGHS's MILP 3704 in 90 s); "
    "×4 5204, 5195, 5190, 0 violations, better than greedy + LS in every run — met — but the "
    "worst run is 4.0 % from the best known, 5002 (the planner given 240 s, 2.6 % above "
    "HiGHS's LP bound): the 3 % target is still not met. The run of 01:10 CET, same search "
    "(before the objective and hint were set with numpy): ×1 2709, the optimum; ×2 3730; ×4 "
    "5179, 5207, 5174 (4.1 %). The run of 2026-12-07 22:15 CET, before the change below: "
    "×1 2725, ×2 3729, ×4 5239, 5210, 5193 (4.7 %).",
    "- What changed: smaller neighbourhoods. 169 sub-models of three 10 s runs at 4×, "
    "re-solved alike, gained 215–300 minutes a second when proven optimal within 0.05 s, "
    "130–160 within 0.1 s, 60–80 within 0.2 s, under 30 beyond, and the 14 not proven in "
    "0.8 s took a third of the time for a tenth of the gain: a « places » or « days » "
    "neighbourhood now grows only when proven within 0.05 s (was: half of 0.8 s) and is "
    "given 0.3 s; CP-SAT presolves a sub-model once, not three times (the same 169 re-solved "
    "8 % faster, as many proven). About 90 steps a 10 s run instead of 55.",
    "- Measured ad hoc at ×4 before choosing (10 s runs alternated, quiet machine, "
    "2026-12-08 00:58–01:06 CET): the previous rule 5186–5288 (mean 5226, 5 runs); 0.05 s "
    "5107–5255 (mean 5178, 10 runs); 0.035 s, 0.075 s, 0.1 s means 5184–5199; with less "
    "time for the construction, other least sizes or starting sizes: level within the noise "
    "(means 5157–5170 over 5 runs).",
    "- Where the time goes now (ad hoc, 4×): 81 % of the search in CP-SAT, 18 % building "
    "sub-models; 35–45 % of steps improve the plan, and it is still descending when time is "
    "up. Reaching 3 % (5152) in every run needs the mean near 5100: more than the sizing "
    "gave.",
]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _instances():
    from bench import planner_instances as pi

    return [
        ("demo", pi.demo),
        ("département ×1", lambda: pi.departement(1)),
        ("département ×2", lambda: pi.departement(2)),
        ("département ×4", lambda: pi.departement(4)),
    ]


def _verify(instance, plan) -> tuple[int, int, int]:
    """(hard-rule violations, half-days unmet, driving minutes) by the independent checker."""
    from tests.planning.feasibility import check, driving_minutes

    errors = check(instance, plan, complete=False)
    held = len(plan)
    demand = sum(p["demand"] for p in instance["places"])
    whole = [e for e in check(instance, plan, complete=True) if "whole days" in e]
    return len(errors) + len(whole), demand - held, driving_minutes(instance, plan)


def _as_dicts(assignments) -> list[dict]:
    return [
        {"advisor_id": a.advisor_id, "place_id": a.place_id, "weekday": a.weekday, "half": a.half}
        for a in assignments
    ]


def run(name: str, instance: dict, *, runs: int = 1) -> dict:
    from bench import planner_instances as pi
    from bench.planner_milp import solve_highs
    from relais.planning import planner

    problem = pi.to_problem(instance)
    row = {
        "instance": name,
        "places": len(problem.places),
        "advisors": len(problem.advisors),
        "half_days": problem.total_demand,
        "whole_days": sum(p.full_days for p in problem.places),
    }
    started = time.perf_counter()
    greedy = planner.greedy(problem)
    violations, unmet, driving = _verify(instance, _as_dicts(greedy.assignments))
    row["greedy"] = {
        "driving": driving,
        "violations": violations,
        "unmet": unmet,
        "seconds": round(time.perf_counter() - started, 2),
    }
    # Same budget as the planner: 10 s from the problem to the plan, the model's build
    # included; as many runs as the planner's, the best one kept (the harder comparison).
    baseline = []
    for _ in range(runs):
        started = time.perf_counter()
        model = planner.WeekModel(problem, [])
        found = planner.heuristic(
            problem, TIME_LIMIT_S - (time.perf_counter() - started), model=model
        )
        values = model.values(found)
        violations, unmet, driving = _verify(instance, _as_dicts(found))
        baseline.append(
            {
                "objective": model.objective(values) if values else None,
                "driving": driving,
                "violations": violations,
                "unmet": unmet,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    row["greedy_ls"] = min(baseline, key=lambda b: b["objective"] or math.inf)
    row["greedy_ls_runs"] = [b["objective"] for b in baseline]
    row["planner"] = []
    for _ in range(runs):
        result = planner.solve(problem, time_limit_s=TIME_LIMIT_S)
        violations, unmet, driving = _verify(instance, _as_dicts(result.assignments))
        row["planner"].append(
            {
                "status": result.status,
                "source": result.source,
                "objective": result.objective,
                "bound": result.bound,
                "gap": result.gap,
                "driving": driving,
                "violations": violations,
                "unmet": unmet,
                "seconds": round(result.seconds, 2),
                "restricted": bool(result.relaxed),
            }
        )
    started = time.perf_counter()
    if BOUND_LIMIT_S[name] is None:  # the long run's bounds, recorded once
        best = json.loads(BEST.read_text()) if BEST.exists() else {}
        known = best.get(instance["name"], {})
        status, objective, bound = "not run (recorded bound)", None, known.get("bound")
        lp_bound = known.get("lp_bound")
    else:
        _status, _objective, lp_bound, _values = solve_highs(model, 120, relax=True)
        status, objective, bound, _values = solve_highs(model, BOUND_LIMIT_S[name])
    if bound is not None and bound == float("-inf"):
        bound = None
    row["highs"] = {
        "status": status,
        "objective": objective,
        "bound": bound,
        "lp_bound": lp_bound,
        "seconds": round(time.perf_counter() - started, 1),
        "limit": BOUND_LIMIT_S[name],
    }
    return row


def record_best(scale: int, seconds: float) -> None:
    """A long run on the département ×scale, kept in bench/planner_best.json.

    HiGHS's MILP was tried first (600 s, 2 threads, on the shared machine): it returned
    neither a plan nor a bound at 4×. The best known is therefore the planner itself given
    ``seconds`` (local search, then large neighbourhood search), with HiGHS's LP bound.
    """
    from bench import planner_instances as pi
    from bench.planner_milp import solve_highs
    from relais.planning import planner

    _setup()
    instance = pi.departement(scale)
    problem = pi.to_problem(instance)
    model = planner.WeekModel(problem, [])
    started = time.perf_counter()
    _status, _objective, lp_bound, _values = solve_highs(model, seconds, relax=True)
    result = planner.solve(problem, time_limit_s=seconds)
    violations, unmet, driving = _verify(instance, _as_dicts(result.assignments))
    best = json.loads(BEST.read_text()) if BEST.exists() else {}
    kept = best.get(instance["name"], {}).get("objective")
    if kept is not None and kept <= result.objective:  # the best known stays the best found
        print(f"kept {kept:.0f} (this run: {result.objective:.0f})")
        return
    best[instance["name"]] = {
        "objective": result.objective,
        "bound": max(b for b in (lp_bound, result.bound or 0) if b is not None),
        "lp_bound": lp_bound,
        "status": result.status,
        "driving": driving,
        "violations": violations,
        "unmet": unmet,
        "seconds": round(time.perf_counter() - started),
        "date": f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "solver": f"planner.solve, {seconds:.0f} s; bound: HiGHS's LP relaxation "
        "(HiGHS's MILP found nothing in 600 s on the former 4× instance)",
    }
    BEST.write_text(json.dumps(best, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(best[instance["name"]], ensure_ascii=False))


def _gap(objective, bound) -> float | None:
    if objective is None or bound is None or objective <= 0:
        return None
    return max(0.0, (objective - bound) / objective)


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.2f} %"


def main(log: Path | None = None) -> int:
    """Run every instance, or (``log``) rewrite the section from a run's printed rows."""
    _setup()
    rows = []
    if log is not None:
        lines = log.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.startswith('{"instance"')]
    for name, build in [] if log is not None else _instances():
        row = run(name, build(), runs=RUNS_4X if "×4" in name else 1)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    best = json.loads(BEST.read_text()) if BEST.exists() else {}
    by_name = {r["instance"]: r for r in rows}
    one, four = by_name["département ×1"], by_name["département ×4"]
    demo = by_name["demo"]

    def best_bound(r):
        bounds = [p["bound"] for p in r["planner"] if p["bound"] is not None]
        for key in ("bound", "lp_bound"):
            if r["highs"][key] is not None:
                bounds.append(r["highs"][key])
        return max(bounds) if bounds else None

    one_run = one["planner"][0]
    one_gap = _gap(one_run["objective"], best_bound(one))
    known = best.get("département ×4", {}).get("objective")
    known_values = [known] if known is not None else []
    known_values += [p["objective"] for p in four["planner"] if p["objective"] is not None]
    if four["highs"]["objective"] is not None:
        known_values.append(four["highs"]["objective"])
    best_known = min(known_values) if known_values else None
    four_worst = max(p["objective"] for p in four["planner"])
    four_vs_best = (four_worst - best_known) / best_known if best_known else None
    checks = [
        (
            "département ×1: gap to the best proven bound, 10 s",
            f"{_pct(one_gap)} in {one_run['seconds']:.1f} s",
            "≤ 1 %",
            one_gap is not None and one_gap <= TARGETS["gap_1x"],
        ),
        (
            f"département ×4: hard-rule violations, {RUNS_4X} runs of 10 s",
            ", ".join(str(p["violations"]) for p in four["planner"]),
            "0 in every run",
            all(p["violations"] == 0 for p in four["planner"]),
        ),
        (
            "département ×4: worst run vs best known",
            _pct(four_vs_best),
            "≤ 3 %",
            four_vs_best is not None and four_vs_best <= TARGETS["best_4x"],
        ),
        (
            "département ×4: planner vs greedy + LS (same 10 s), objective",
            f"worst run {four_worst:.0f} vs best of {len(four['greedy_ls_runs'])} runs "
            f"{four['greedy_ls']['objective']:.0f}",
            "better",
            four_worst < four["greedy_ls"]["objective"],
        ),
        (
            "demo (advisers under contract): optimal within 10 s",
            f"{demo['planner'][0]['status']} in {demo['planner'][0]['seconds']:.1f} s",
            "optimal",
            demo["planner"][0]["status"] == "optimal",
        ),
    ]
    load = os.getloadavg()
    # From a log, the run ended when its log was last written.
    ended = datetime.fromtimestamp(log.stat().st_mtime) if log else datetime.now()
    ended = ended.astimezone()
    lines = [
        "## Planner (`make bench-planner`)",
        "",
        "Instances of `bench/planner_instances.py` (seeded): the demo (its 9 places and opening "
        "hours, the seed's 13 half-days with Prades' two days and Catllar's day, the "
        f"{demo['advisors']} ambassadors under contract in September 2026 — the CNFS "
        "contracts ended in May; "
        "days may be split and windows outside opening hours used, as Prades is open all day "
        "only on Wednesday) and the département at 1×, 2×, 4× (60·k places, half libraries "
        "open 1–3 half-days, half town halls open 6–10; 26·k advisers living in the valleys, "
        "35 h, 28 h or 21 h; commitments ≈ 70 % of the team's half-days, some as whole "
        "days, and never more than 70 % of what the advisers living within 45 min of a place "
        "can hold in the places within 45 min of it — a coordinator signs only what the team "
        "around can staff; without that rule the 4× instance asked more of its few Cerdagne "
        "advisers than they could hold and 12 half-days stayed unmet whatever the solver; "
        "travel by the straight-line estimate; a half-day lasts the agreements' default "
        "half-day, `relais.agreements.half_days`). The model is the real week: each "
        "adviser's day a tour home → morning place → afternoon place → home, working time "
        "per day (≤ 10 h) and per week (contract) including driving, a 45-min midday break "
        "beyond the drive, whole days held whole; objective = driving minutes + 5 per "
        "half-day of deviation from the adviser's contracted share (+ penalties on unmet "
        "commitments). Each adviser is offered their 16 nearest places (each place its 6 "
        "nearest advisers): bounds and gaps are on that model, for every solver alike (the "
        "4× best known was recorded with 24 places each, a larger model: its plan and its LP "
        "bound hold for this one too).",
        "",
        "Formulation (`relais/planning/planner/model.py`, `WeekModel`): a boolean per (adviser, "
        "place, half-day) among the adviser's candidate places and a boolean per (adviser, "
        "day, morning place, afternoon place) for the pairs that meet the break and the day "
        "length; linking rows make working both halves choose exactly the pair worked, so a "
        "day's driving `Σ 2·t(home, ·)·x − Σ (t(home, p) + t(home, q) − t(p, q))·z` is exact "
        "and linear; weekly working time (half-days × the agreement's half-day + driving) ≤ "
        "contract; whole days as pairs (p, p); one slack per commitment (never "
        "empty-handed). `solve()` builds it, starts from a min-cost flow (round-trip costs) "
        "completed greedily and improved by local search (simulated annealing over "
        "relocations, swaps and whole-day moves, each drawn in O(1) and costed on the "
        "advisers it touches; 15 % of the time — above the bound's size, a second one with "
        "another seed in a child process, the better plan kept), then runs a large "
        "neighbourhood search: part of the model is freed, every other variable fixed at its "
        "value, the freed ones the fixed part holds at 0 dropped (bound propagation, in "
        "numpy: a neighbourhood of 4,000–12,000 variables at 4× becomes 500–2,500), and "
        "CP-SAT (one worker, full LP relaxation, one presolve pass) re-solves that sub-model "
        "with the current plan as hint. Three kinds of "
        "neighbourhood: *places* (a few neighbouring places' half-days and day pairs, every "
        "other place fixed: who holds which place is redistributed), *days* (neighbouring "
        "advisers on two days, every other day fixed: many half-days re-paired into days at "
        "once) — each grown while its sub-models are proven optimal within 0.05 s (of their "
        "0.3 s) and shrunk when not proven — and *week* (a few advisers' whole weeks, 0.3 s; "
        "when every "
        "adviser is freed at once a proven sub-optimum is the optimum); sub-models are built "
        "with numpy from the rows in compressed form. CP-SAT on the whole model with two "
        "workers spent its 10 s in presolve and LP here, and its Python solve keeps the GIL, "
        "so the second core is a forked child process: on small models (≤ 10,000 "
        "variables, the demo) the child runs CP-SAT on the whole model from the "
        "construction's hint, for the bound and the proof; on larger ones the neighbourhood "
        "search on one side of a cut while the parent searches the other (no row of the "
        "model holds variables of both sides), their plans merged every second after every row "
        "is checked, another cut each round. The best plan found is returned. The same rows "
        "go to HiGHS unchanged.",
        "",
        "Columns: *driving* = real minutes driven in the week (tours), recomputed by the "
        "independent checker, which also counts *violations* of the hard rules and *unmet* "
        "half-days. *Gap* = (objective − best proven bound) / objective, the bound being the "
        "best of the planner's (CP-SAT), HiGHS's MILP and HiGHS's LP relaxation. Greedy = "
        "the former planner's baseline; greedy + LS = the planner's construction and local "
        "search given the same 10 s of wall-clock time from the problem to the plan (model "
        "built inside the 10 s, as in the planner), in one process, as the planner at 1×, "
        "2× and 4× (two on the demo); at 4× each is run 3 times and the planner's worst "
        "run is compared with the baseline's best.",
        "",
        f"- Date: {ended:%Y-%m-%d %H:%M %Z}"
        + (" (the run's end; this section rewritten from its log)" if log else ""),
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; CP-SAT one worker per process (two processes), "
        "HiGHS 2 threads",
        "- Conditions: rewritten from the run's log, which does not keep the load (see the "
        "reading below)."
        if log
        else f"- Conditions: load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        f"(1 / 5 / 15 min) on {os.cpu_count()} cores at the end of the run"
        + (
            ": a shared, loaded machine — every timing here is slower than on idle cores, "
            "and the searches, limited by time, find less."
            if load[1] > 1.5
            else "."
        ),
        "",
        "### Targets",
        "",
        "| measure | measured | target | met |",
        "|---|---|---|---|",
        *[
            f"| {name} | {value} | {target} | {'met' if ok else '**NOT met**'} |"
            for name, value, target, ok in checks
        ],
        "",
        "### Instances",
        "",
        "| instance | places | advisers | half-days (whole days) | method | status | time "
        "| objective | driving (min) | violations | unmet | gap |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        head = (
            f"| {r['instance']} | {r['places']} | {r['advisors']} "
            f"| {r['half_days']} ({r['whole_days']})"
        )
        bound = best_bound(r)
        g = r["greedy"]
        lines.append(
            f"{head} | greedy (former) | — | {g['seconds']:.2f} s | — | {g['driving']} "
            f"| {g['violations']} | {g['unmet']} | — |"
        )
        ls = r["greedy_ls"]
        lines.append(
            f"{head} | greedy + LS | — | {ls['seconds']:.1f} s | {ls['objective']} "
            f"| {ls['driving']} | {ls['violations']} | {ls['unmet']} "
            f"| {_pct(_gap(ls['objective'], bound))} |"
        )
        for p in r["planner"]:
            lines.append(
                f"{head} | planner ({p['source']}) | {p['status']} | {p['seconds']:.1f} s "
                f"| {p['objective']:.0f} | {p['driving']} | {p['violations']} | {p['unmet']} "
                f"| {_pct(_gap(p['objective'], bound))} |"
            )
        h = r["highs"]
        lines.append(
            f"{head} | HiGHS MILP ({h['limit'] or '—'} s) | {h['status']} | {h['seconds']:.0f} s "
            f"| {'—' if h['objective'] is None else round(h['objective'])} | — | — | — "
            f"| MILP bound {'—' if h['bound'] is None else round(h['bound'])}, "
            f"LP bound {'—' if h['lp_bound'] is None else round(h['lp_bound'])} |"
        )
    if best:
        lines += ["", "### Best known (long runs, recorded once in bench/planner_best.json)", ""]
        for name, b in best.items():
            lines.append(
                f"- {name}: objective {b['objective']}, bound {b['bound']:.0f}, "
                f"{b['violations']} violations, {b['unmet']} unmet, driving {b['driving']} min "
                f"({b['solver']}; {b['seconds']} s, {b['date']})."
            )
    lines += [
        "",
        "### Reading",
        "",
        "- The former greedy breaks the new rules on every département instance (working "
        "time with travel, midday break, whole days): its driving is not comparable.",
        *READING,
        "",
    ]
    write_section("planner", "\n".join(lines))
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--record-best":
        record_best(int(sys.argv[2]), float(sys.argv[3]))
        sys.exit(0)
    if len(sys.argv) == 3 and sys.argv[1] == "--from-log":
        sys.exit(main(Path(sys.argv[2])))
    sys.exit(main())
