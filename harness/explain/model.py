"""What an explain run produces: per-target measurements and plans, plus the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.findings import Finding

WARMUP_RUNS = 1  # discarded: fills the caches, sets hint bits
MEASURED_RUNS = 7  # the median of these is compared with the budget


@dataclass
class Timings:
    """Execution and planning times of the measured runs, in milliseconds."""

    execution_ms: list[float]
    planning_ms: list[float]

    @property
    def median_ms(self) -> float:
        return _median(self.execution_ms)

    @property
    def min_ms(self) -> float:
        return min(self.execution_ms)

    @property
    def max_ms(self) -> float:
        return max(self.execution_ms)

    @property
    def spread_ms(self) -> float:
        """Fastest to slowest run: how much one measurement can be trusted."""
        return self.max_ms - self.min_ms

    @property
    def planning_median_ms(self) -> float:
        return _median(self.planning_ms)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass
class TargetResult:
    name: str
    persona: str
    rows: int
    max_ms: float | None
    forbid_seq_scan: tuple[str, ...]
    query: str
    seed_s: float = 0.0
    timings: Timings | None = None
    plan_json: dict[str, Any] | None = None  # EXPLAIN's own JSON of the median run
    analysis: dict[str, Any] = field(default_factory=dict)  # harness.explain.plan.analyse(...)
    error: str | None = None  # the query failed under the persona (or timed out)
    timed_out: bool = False

    @property
    def headroom(self) -> float | None:
        """Budget / median: 10 means ten times faster than required."""
        if self.timings is None or self.max_ms is None:
            return None
        return self.max_ms / max(self.timings.median_ms, 0.001)

    def to_json(self) -> dict[str, Any]:
        t = self.timings
        return {
            "name": self.name,
            "as": self.persona,
            "rows": self.rows,
            "budget_ms": self.max_ms,
            "forbid_seq_scan": list(self.forbid_seq_scan),
            "query": self.query,
            "seed_s": round(self.seed_s, 3),
            "median_ms": _round(t.median_ms) if t else None,
            "min_ms": _round(t.min_ms) if t else None,
            "max_ms": _round(t.max_ms) if t else None,
            "spread_ms": _round(t.spread_ms) if t else None,
            "planning_ms": _round(t.planning_median_ms) if t else None,
            "runs_ms": [_round(v) for v in t.execution_ms] if t else [],
            "headroom": round(self.headroom, 1) if self.headroom is not None else None,
            "error": self.error,
            "timed_out": self.timed_out,
            **self.analysis,
            "plan_json": self.plan_json,
        }


def _round(value: float) -> float:
    return round(value, 3)


@dataclass
class ExplainResult:
    """`findings` for the report; `details` (JSON-serialisable) for report.details["explain"]."""

    targets: list[TargetResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: str | None = None  # why nothing ran (no targets, migrations failed)

    @property
    def details(self) -> dict[str, Any]:
        return {
            "warmup_runs": WARMUP_RUNS,
            "measured_runs": MEASURED_RUNS,
            "skipped": self.skipped,
            "targets": [t.to_json() for t in self.targets],
        }
