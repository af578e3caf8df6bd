"""Lexicographic 0-1 packing programs: LP first (GLOP), CP-SAT where the LP is fractional.

``max c_1·x, then c_2·x with c_1·x held, …`` over ``x ∈ {0,1}^n`` and rows ``Σ x[idx] <= ub``.
Each objective is first solved as an LP: its optimum, rounded down, bounds every integer
solution; when the simplex vertex is integral it is the optimum. Otherwise CP-SAT searches the
integer program from the best start known (the LP rounded down and filled greedily, or the
incumbent), with the LP bound added as a constraint so that reaching it proves optimality.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from matchmaking.engine.schedule import cpsat
from matchmaking.engine.schedule.records import Options

EPS = 1e-6


@dataclass(slots=True)
class Packing:
    n: int
    rows: list[tuple[np.ndarray, int]] = field(default_factory=list)

    def add_row(self, idx, ub: int) -> None:
        idx = np.asarray(idx, dtype=np.int64)
        if len(idx) > ub:  # a row it cannot break is left out
            self.rows.append((idx, int(ub)))

    def feasible(self, x: np.ndarray) -> bool:
        return all(int(x[idx].sum()) <= ub for idx, ub in self.rows)


@dataclass(slots=True)
class Level:
    name: str
    value: int
    bound: int
    method: str  # "lp" (integral vertex), "lp, rounded", "cp-sat", "start" (nothing better)

    @property
    def proven(self) -> bool:
        return self.value >= self.bound


def solve_lexicographic(
    packing: Packing,
    objectives: list[tuple[str, np.ndarray]],
    *,
    start: np.ndarray,
    clock: cpsat.Clock,
    options: Options,
    log: list,
) -> tuple[np.ndarray, list[Level]]:
    """``start`` must be feasible; the result is never worse than it, level by level."""
    x = start.astype(np.int64).copy()
    lp = pywraplp.Solver.CreateSolver("GLOP")
    y = [lp.NumVar(0.0, 1.0, "") for _ in range(packing.n)]
    for idx, ub in packing.rows:
        lp.Add(lp.Sum([y[i] for i in idx]) <= ub)
    held: list[tuple[np.ndarray, int]] = []
    levels: list[Level] = []
    for k, (name, coef) in enumerate(objectives):
        objective = lp.Objective()
        objective.Clear()
        for i in np.flatnonzero(coef):
            objective.SetCoefficient(y[i], float(coef[i]))
        objective.SetMaximization()
        lp.SetTimeLimit(max(int(1000 * clock.left()), 1))
        status = lp.Solve()
        if status != pywraplp.Solver.OPTIMAL:  # out of time (or numerical trouble)
            value = int(coef @ x)
            trivial = int(coef[coef > 0].sum())  # every variable at one: still a bound
            levels.append(Level(name, value, trivial, "start"))
            log.append({"stage": f"{name} (LP)", "status": "NOT_SOLVED", "objective": value})
            held.append((coef, value))
            continue
        bound = math.floor(objective.Value() + EPS)
        xf = np.array([v.solution_value() for v in y])
        integral = bool(np.all((xf < EPS) | (xf > 1 - EPS)))
        log.append(
            {
                "stage": f"{name} (LP)",
                "status": "INTEGRAL" if integral else "FRACTIONAL",
                "objective": objective.Value(),
                "variables": packing.n,
            }
        )
        method = "start"
        if integral and int(coef @ np.rint(xf)) >= coef @ x:
            x, method = np.rint(xf).astype(np.int64), "lp"
        elif not integral and int(coef @ x) < bound:
            filled = _fill(packing, xf, coef, held, x)
            if coef @ filled > coef @ x:
                x, method = filled, "lp, rounded"
            if int(coef @ x) < bound:
                share = clock.left() / (len(objectives) - k)
                found = _cp_sat(packing, held, coef, bound, x, share, options, log, name)
                if found is not None and coef @ found > coef @ x:
                    x, method = found, "cp-sat"
        value = int(coef @ x)
        levels.append(Level(name, value, bound, method))
        held.append((coef, value))
        nz = np.flatnonzero(coef)
        lp.Add(lp.Sum([float(coef[i]) * y[i] for i in nz]) >= value - EPS)
    return x, levels


def _fill(packing: Packing, xf, coef, held, incumbent) -> np.ndarray:
    """The LP rounded down, filled greedily; the incumbent if that breaks a held level."""
    x = (xf > 1 - EPS).astype(np.int64)
    load = [int(x[idx].sum()) for idx, _ in packing.rows]
    rows_of: dict[int, list[int]] = {}
    for r, (idx, _) in enumerate(packing.rows):
        for i in idx.tolist():
            rows_of.setdefault(i, []).append(r)
    for i in sorted(np.flatnonzero(x == 0).tolist(), key=lambda i: (-xf[i], -coef[i])):
        if all(load[r] < packing.rows[r][1] for r in rows_of.get(i, ())):
            x[i] = 1
            for r in rows_of.get(i, ()):
                load[r] += 1
    if all(c @ x >= value for c, value in held):
        return x
    return incumbent


def _cp_sat(packing, held, coef, bound, hint, seconds, options, log, name):
    model = cp_model.CpModel()
    z = [model.new_bool_var("") for _ in range(packing.n)]
    for idx, ub in packing.rows:
        if ub == 1:
            model.add_at_most_one([z[i] for i in idx])
        else:
            model.add(cp_model.LinearExpr.sum([z[i] for i in idx]) <= ub)
    for c, value in held:
        nz = np.flatnonzero(c)
        model.add(cp_model.LinearExpr.weighted_sum([z[i] for i in nz], c[nz].tolist()) >= value)
    nz = np.flatnonzero(coef)
    expr = cp_model.LinearExpr.weighted_sum([z[i] for i in nz], coef[nz].tolist())
    model.add(expr <= bound)
    model.maximize(expr)
    for i in range(packing.n):
        model.add_hint(z[i], int(hint[i]))
    solved = cpsat.solve(model, seconds=seconds, options=options, name=f"{name} (CP-SAT)", log=log)
    if not solved.has_solution:
        return None
    return np.array([solved.value(v) for v in z], dtype=np.int64)
