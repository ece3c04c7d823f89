"""The explain check: EXPLAIN (ANALYZE) of each target, seeded at scale, as its persona under RLS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.checks.base import Check, Outcome, RuleInfo
from harness.findings import Severity

if TYPE_CHECKING:
    from harness.context import RunContext

RULES = [
    RuleInfo("explain", "seq-scan", Severity.ERROR,
             "The plan of an explain target scans a table sequentially where the target forbids it."),
    RuleInfo("explain", "too-slow", Severity.ERROR,
             "The median execution time of an explain target is over its budget."),
    RuleInfo("explain", "query-error", Severity.ERROR, "An explain target's query fails under its persona."),
    RuleInfo("explain", "seed-error", Severity.ERROR,
             "The project's seed file does not apply after the migrations, so nothing was measured."),
]


class ExplainCheck(Check):
    name = "explain"
    summary = "EXPLAIN budgets under RLS"
    text_section = "explain_text"

    def rules(self) -> list[RuleInfo]:
        return RULES

    def run(self, ctx: RunContext) -> Outcome:
        from harness.explain.runner import run_explain

        result = run_explain(ctx.workspace, ctx.args.explain_rows, ctx.progress)
        return Outcome(findings=list(result.findings), details={"explain": result.details})
