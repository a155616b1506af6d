"""The planner's model (relais.planning.planner.WeekModel) handed to HiGHS: an independent bound.

Same rows, same objective, another solver: HiGHS's MILP (branch and cut) proves a lower
bound, and its best solution is kept as the « best known » of an instance when it beats
every other plan. Benchmark dependency only (``highspy``).
"""

import math


def solve_highs(model, time_limit_s: float, *, relax: bool = False, threads: int = 2):
    """(status, objective or None, bound, values or None) of the model under HiGHS."""
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("threads", threads)
    h.setOptionValue("random_seed", 0)
    n = len(model.upper)
    costs = np.zeros(n)
    for i, c in model.cost.items():
        costs[i] = c
    h.addVars(n, np.array(model.lower, dtype=float), np.array(model.upper, dtype=float))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
    inf = highspy.kHighsInf
    lower, upper, starts, indexes, values = [], [], [], [], []
    for cols, coefs, lo, hi in model.rows:
        lower.append(-inf if lo == -math.inf else lo)
        upper.append(inf if hi == math.inf else hi)
        starts.append(len(indexes))
        indexes.extend(cols)
        values.extend(coefs)
    h.addRows(
        len(lower),
        np.array(lower, dtype=float),
        np.array(upper, dtype=float),
        len(indexes),
        np.array(starts, dtype=np.int32),
        np.array(indexes, dtype=np.int32),
        np.array(values, dtype=float),
    )
    if not relax:
        h.changeColsIntegrality(
            n,
            np.arange(n, dtype=np.int32),
            np.full(n, highspy.HighsVarType.kInteger, dtype=np.uint8),
        )
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    if relax:
        objective = info.objective_function_value
        return status, objective, objective, None
    has_solution = info.primal_solution_status == 2
    bound = info.mip_dual_bound
    objective = info.objective_function_value if has_solution else None
    values = None
    if has_solution:
        values = {i: round(v) for i, v in enumerate(h.getSolution().col_value)}
    return status, objective, bound, values
