"""The audit check: the access spec proved persona by persona, cross-tenant leaks, and the catalog rules.

Without --db-url it audits a clone of the migrated template; with --db-url it audits that database
as it is, inside a transaction that is rolled back (harness.audit.existing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.checks.base import Check, Outcome, RuleInfo
from harness.findings import HarnessError, Severity

if TYPE_CHECKING:
    from harness.audit.run import AuditResult
    from harness.context import RunContext

RULES = [
    RuleInfo("audit", "leak", Severity.CRITICAL, "A persona can do more than the access spec allows."),
    RuleInfo("audit", "denied", Severity.ERROR, "A persona cannot do what the access spec allows."),
    RuleInfo("audit", "policy-error", Severity.ERROR, "A query under a persona raises an error."),
    RuleInfo("audit", "policy-drift", Severity.ERROR,
             "A live project's policies, RLS flags, grants or policy functions differ from the migrations."),
    RuleInfo("audit", "not-covered", Severity.WARNING,
             "A table in an API schema has no access spec; only the catalog rules checked it."),
    RuleInfo("audit", "insert-not-probed", Severity.INFO,
             "A table has no row template, so inserts into it were not probed."),
    RuleInfo("audit", "probe-error", Severity.ERROR,
             "The audit's own helper failed inside a probe; nothing is concluded about that cell."),
    RuleInfo("audit", "seed-error", Severity.ERROR,
             "The project's seed file does not apply after the migrations, so nothing was audited."),
    RuleInfo("audit", "access-widened", Severity.ERROR,
             "A persona can do more at the head than at the base (persona, operation, scope before → after)."),
    RuleInfo("audit", "access-narrowed", Severity.WARNING,
             "A persona can do less at the head than at the base."),
]


class AuditCheck(Check):
    name = "audit"
    summary = "cross-tenant leaks and catalog security rules"
    text_section = "audit_text"

    def rules(self) -> list[RuleInfo]:
        from harness.catalog import catalog_rules

        return [*RULES, *catalog_rules()]

    def needs_migrations(self, ctx: RunContext) -> bool:
        return not self._in_place(ctx)

    @staticmethod
    def _in_place(ctx: RunContext) -> bool:
        return ctx.common.engine.engine == "url" and bool(ctx.common.engine.db_url)

    def run(self, ctx: RunContext) -> Outcome:
        if self._in_place(ctx):
            from harness.audit.existing import audit_existing

            engine = ctx.common.engine
            assert engine.db_url is not None
            if ctx.args.shard is not None:
                raise HarnessError("--shard splits an audit of the migrations; an existing database (--db-url) "
                                   "is audited whole")
            result = audit_existing(engine.db_url, ctx.config, ctx.progress, allow_remote=engine.allow_remote)
        else:
            from harness.audit import run_audit

            result = run_audit(ctx.workspace, ctx.progress, ctx.args.shard)
            if ctx.args.shard is not None:
                result.details["shard"] = str(ctx.args.shard)
        return _outcome(result)


def _outcome(result: AuditResult) -> Outcome:
    return Outcome(findings=list(result.findings), details={"audit": result.details},
                   timings={"audit": result.details.get("timings", {}).get("audit_s", 0.0)})
