"""The test check: the project's pgTAP suites on clones of the migrated template (helpers and seed loaded)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.checks.base import Check, Outcome, RuleInfo
from harness.findings import Severity

if TYPE_CHECKING:
    from harness.context import RunContext

RULES = [
    RuleInfo("test", "test-failed", Severity.ERROR,
             "A pgTAP assertion failed, or a suite died or planned a different number of tests."),
    RuleInfo("test", "seed-error", Severity.ERROR,
             "The project's seed file does not apply after the migrations, so no suite can run."),
    RuleInfo("test", "timeout", Severity.ERROR,
             "The seed or a suite ran longer than --timeout and was stopped."),
]


class TestCheck(Check):
    name = "test"
    summary = "pgTAP suites as every role"
    text_section = "tests_text"

    def rules(self) -> list[RuleInfo]:
        return RULES

    def prepare(self, ctx: RunContext) -> None:
        from harness.pgtap.discovery import discover_suites

        discover_suites(ctx.config.project.tests, ctx.config.root, ctx.args.test_paths)  # a bad path fails first

    def run(self, ctx: RunContext) -> Outcome:
        from harness.pgtap.runner import run_suites

        shard = ctx.args.shard
        if shard is None:
            run = run_suites(ctx.workspace, ctx.args.test_paths or None, ctx.args.jobs, ctx.progress)
            return Outcome(findings=list(run.findings), suites=list(run.suites), details={"test": run.details})
        from harness.pgtap.discovery import discover_suites

        config = ctx.config
        files = discover_suites(config.project.tests, config.root, ctx.args.test_paths)
        files = shard.by_size(files, lambda f: f.stat().st_size, config.relative)
        if not files:  # more parts than suites
            return Outcome(details={"test": {"found": 0, "shard": str(shard)}})
        run = run_suites(ctx.workspace, files, ctx.args.jobs, ctx.progress)
        return Outcome(findings=list(run.findings), suites=list(run.suites),
                       details={"test": {**run.details, "shard": str(shard)}})
