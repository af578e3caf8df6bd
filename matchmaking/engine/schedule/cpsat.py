"""A thin layer over CP-SAT: one solve with the options' workers, seed and a time limit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from matchmaking.engine.schedule.records import Options


class Clock:
    """Seconds left until a deadline fixed at creation."""

    def __init__(self, seconds: float):
        self.end = time.perf_counter() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.perf_counter())


@dataclass(slots=True)
class Solved:
    solver: cp_model.CpSolver
    status: Any

    @property
    def has_solution(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def optimal(self) -> bool:
        return self.status == cp_model.OPTIMAL

    def value(self, var) -> int:
        return int(self.solver.value(var))


def solve(
    model: cp_model.CpModel, *, seconds: float, options: Options, name: str, log: list
) -> Solved:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = max(1, options.workers)
    solver.parameters.random_seed = options.seed
    # Presolve's search for linear constraints included in others costs seconds on these
    # models (thousands of overlapping capacity rows) and finds nothing that matters.
    solver.parameters.presolve_inclusion_work_limit = 0
    started = time.perf_counter()
    status = solver.solve(model)
    solved = Solved(solver, status)
    log.append(
        {
            "stage": name,
            "status": solver.status_name(status),
            "seconds": round(time.perf_counter() - started, 3),
            "objective": solver.objective_value if solved.has_solution else None,
            "bound": solver.best_objective_bound if solved.has_solution else None,
            "variables": len(model.proto.variables),
        }
    )
    return solved
