"""The migrate check: the migrations apply cleanly, touch no other table's policies, and a second
application changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.checks.base import Check, Outcome, RuleInfo
from harness.findings import Severity

if TYPE_CHECKING:
    from harness.context import RunContext

RULES = [
    RuleInfo("migrate", "migration-error", Severity.ERROR,
             "A migration fails to apply (file and line of the failing statement)."),
    RuleInfo("migrate", "not-idempotent", Severity.ERROR,
             "Applying the migrations again fails, or changes the catalog or table contents."),
    RuleInfo("migrate", "foreign-policy", Severity.ERROR,
             "A migration of the change set changes policies, RLS flags or policy-called functions of a table that "
             "exists at the base or belongs to the platform (a new storage/realtime policy excepted)."),
    RuleInfo("migrate", "timeout", Severity.ERROR,
             "A migration file ran longer than --timeout and was stopped (the statement is named)."),
    RuleInfo("migrate", "shipped-migration-edited", Severity.ERROR,
             "A migration file that exists at the base was changed, deleted or renamed; the Supabase CLI never runs "
             "it again, so databases drift silently from the files."),
    RuleInfo("migrate", "migration-order", Severity.ERROR,
             "A migration of the change set sorts before the newest shipped one (supabase db push refuses it "
             "without --include-all)."),
]


class MigrateCheck(Check):
    name = "migrate"
    summary = "apply the history, apply it twice, watch foreign policies"

    def rules(self) -> list[RuleInfo]:
        return RULES

    def run(self, ctx: RunContext) -> Outcome:
        from harness.migrate.run import check_idempotency

        workspace = ctx.workspace
        migration = workspace.migration
        findings = list(migration.watch_findings)
        findings.extend(check_idempotency(workspace.server, ctx.config, migration, ctx.progress))
        return Outcome(
            findings=findings,
            details={"migrate": {"migrations": [ctx.config.relative(m.path) for m in migration.migrations],
                                 "applied": migration.applied}},
            timings={"migrate": migration.timings.get("idempotency_s", 0.0)},
        )
