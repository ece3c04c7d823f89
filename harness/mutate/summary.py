"""`report.details["mutate"]`: the score, the counts by operator, and every mutant (JSON-ready)."""

from __future__ import annotations

from typing import Any

from harness.mutate.model import STATUSES, SURVIVED, Outcome, Score
from harness.mutate.operators import OPERATORS


def mutate_details(outcomes: list[Outcome], score: Score, *, min_score: float | None, with_audit: bool,
                   jobs: int, suites: int, seconds: float) -> dict[str, Any]:
    by_operator: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        counts = by_operator.setdefault(outcome.mutant.operator, dict.fromkeys(STATUSES, 0))
        counts[outcome.status] += 1
    return {
        "score": score.percent,
        "min_score": min_score,
        "mutants": len(outcomes),
        **score.counts,
        "with_audit": with_audit,
        "suites": suites,
        "jobs": jobs,
        "seconds": round(seconds, 3),
        "operators": {name: dict(by_operator[name], summary=OPERATORS[name].summary)
                      for name in OPERATORS if name in by_operator},
        "survivors": [o.to_json() for o in outcomes if o.status == SURVIVED],
        "outcomes": [o.to_json() for o in outcomes],
    }
