"""The lint check: static rules over the migration files (no database)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.checks.base import Check, Outcome, RuleInfo

if TYPE_CHECKING:
    from harness.context import RunContext

class LintCheck(Check):
    name = "lint"
    summary = "static rules on migration files"

    def rules(self) -> list[RuleInfo]:
        from harness.lint.rules import RULES

        return [RuleInfo("lint", rule.id, rule.severity, rule.summary(), " ".join(rule.documentation().split()))
                for rule in RULES]

    def needs_migrations(self, ctx: RunContext) -> bool:
        return False

    def run(self, ctx: RunContext) -> Outcome:
        from harness.lint import lint_change_set

        findings, shipped = lint_change_set(ctx.config, ctx.args.lint_files or None, ctx.migrations, ctx.change_set)
        return Outcome(findings=findings, details={"shipped_findings": shipped})  # counted in the report header
