"""The mutate check (`harness mutate`, not part of `harness check`): the mutation score of the project's
own suites.

Boot, migrate, run the suites once on the unmutated migrations (they must pass: a suite that already
fails cannot tell mutants apart), audit the unmutated database (with --with-audit), then judge every
mutant.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from harness.checks.base import Check, Outcome, RuleInfo
from harness.findings import Finding, HarnessError, Severity

if TYPE_CHECKING:
    from harness.context import RunContext
    from harness.mutate.model import Score

RULES = [
    RuleInfo("test", "mutation-score", Severity.ERROR, "The mutation score of the project's suites is below --min-score."),
]


class MutateCheck(Check):
    name = "mutate"
    summary = "mutation score of the project's own suites"
    in_gate = False
    text_section = "mutate_text"

    def rules(self) -> list[RuleInfo]:
        return RULES

    def prepare(self, ctx: RunContext) -> None:
        from harness.mutate.generate import select_operators

        select_operators(ctx.args.mutate.operators)  # an unknown name fails before the server boots

    def run(self, ctx: RunContext) -> Outcome:
        outcome = Outcome()
        _mutate(ctx, outcome)
        return outcome


def _mutate(ctx: RunContext, report: Outcome) -> None:
    from harness.mutate.generate import generate_mutants
    from harness.mutate.model import Score
    from harness.mutate.runner import MutantRunner, MutationPlan, finding_key
    from harness.mutate.summary import mutate_details
    from harness.pgtap.runner import run_suites

    workspace, progress, args = ctx.workspace, ctx.progress, ctx.args.mutate
    min_score, with_audit, jobs, operators = args.min_score, args.with_audit, ctx.args.jobs, args.operators
    config, migrations = workspace.config, workspace.migration.migrations
    mutants = generate_mutants(migrations, lambda m: config.relative(m.path), operators)
    shard = ctx.args.shard
    if shard is not None:  # this part's mutants (by id); the score's verdict is `report merge`'s
        mutants = shard.by_key(mutants, lambda m: m.number)
    progress(f"{len(mutants)} mutants; the suites run on the unmutated migrations first")
    baseline = run_suites(workspace, None, jobs, progress)
    report.timings["test"] = baseline.details.get("wall_s", 0.0)
    if baseline.findings or any(not s.ok for s in baseline.suites):
        report.suites.extend(baseline.suites)
        report.findings.extend(baseline.findings)
        report.details["mutate"] = {"skipped": "the suites fail on the unmutated migrations; fix them first "
                                               "(a suite that already fails cannot tell mutants apart)"}
        return
    if not baseline.suites and not with_audit:
        raise HarnessError(
            f"no pgTAP suite under {config.relative(config.project.tests)}, so nothing can notice a mutant: "
            "write suites, or add --with-audit to measure the audit alone")
    plan = MutationPlan(elapsed={s.file: s.elapsed_s for s in baseline.suites}, with_audit=with_audit)
    if with_audit:
        from harness.audit import run_audit

        plan.audit_baseline = {finding_key(f) for f in run_audit(workspace, progress).findings
                               if f.severity.fails_gate}
    started = time.perf_counter()
    outcomes = MutantRunner(workspace, migrations, plan, progress).run(mutants, jobs)
    report.timings["mutate"] = time.perf_counter() - started
    score = Score.of(outcomes)
    report.details["mutate"] = mutate_details(outcomes, score, min_score=min_score, with_audit=with_audit, jobs=jobs,
                                              suites=len(baseline.suites), seconds=report.timings["mutate"])
    if shard is not None:
        report.details["mutate"]["shard"] = str(shard)
    elif min_score is not None:
        report.findings.extend(score_verdict(score, min_score))


def score_verdict(score: Score, min_score: float) -> list[Finding]:
    """The `mutation-score` finding when the score is below --min-score (none otherwise)."""
    if score.percent is None or score.percent >= min_score:
        return []
    return [_below(score, min_score)]


def _below(score: Score, min_score: float) -> Finding:
    from harness.mutate.model import KILLED

    survived = score.counted - score.counts[KILLED]
    return Finding(
        check="test", rule="mutation-score", severity=Severity.ERROR,
        message=(f"mutation score {score.percent:g}% is below --min-score {min_score:g}: {survived} of "
                 f"{score.counted} mutants survived"),
        evidence={"score": score.percent, "min_score": min_score, **score.counts},
    )
