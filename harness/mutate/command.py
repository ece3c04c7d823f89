"""`harness mutate`: the Report the CLI renders.

Boot, migrate, run the suites once on the unmutated migrations (they must pass: a suite that already
fails cannot tell mutants apart), audit the unmutated database (with --with-audit), then judge every
mutant.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from harness.command_run import command_run
from harness.findings import Finding, HarnessError, Severity
from harness.mutate.generate import generate_mutants, select_operators
from harness.mutate.model import KILLED, Score
from harness.mutate.runner import MutantRunner, MutationPlan, finding_key
from harness.mutate.summary import mutate_details
from harness.options import Common
from harness.pgtap.runner import run_suites
from harness.report.model import Report
from harness.workspace import Workspace

Progress = Callable[[str], None]


def run_mutate_command(common: Common, min_score: float | None, with_audit: bool, jobs: int, progress: Progress,
                       operators: list[str] | None = None) -> Report:
    """`operators` limits the run to some operators (by name); None runs them all."""
    select_operators(operators)  # an unknown name fails before the server boots
    with command_run(common, "mutate", progress) as (workspace, report):
        if not workspace.migration.applied:
            report.details["mutate"] = {"skipped": "the migrations did not apply"}
        else:
            _mutate(workspace, report, min_score, with_audit, jobs, progress, operators)
    return report


def _mutate(workspace: Workspace, report: Report, min_score: float | None, with_audit: bool, jobs: int,
            progress: Progress, operators: list[str] | None) -> None:
    config, migrations = workspace.config, workspace.migration.migrations
    mutants = generate_mutants(migrations, lambda m: config.relative(m.path), operators)
    progress(f"{len(mutants)} mutants; the suites run on the unmutated migrations first")
    baseline = run_suites(workspace, None, jobs, progress)
    report.timings["test"] = baseline.details.get("wall_s", 0.0)
    if baseline.findings or any(not s.ok for s in baseline.suites):
        report.suites.extend(baseline.suites)
        report.extend(baseline.findings)
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
    if min_score is not None and score.percent is not None and score.percent < min_score:
        report.extend([_below(score, min_score)])


def _below(score: Score, min_score: float) -> Finding:
    survived = score.counted - score.counts[KILLED]
    return Finding(
        check="test", rule="mutation-score", severity=Severity.ERROR,
        message=(f"mutation score {score.percent:g}% is below --min-score {min_score:g}: {survived} of "
                 f"{score.counted} mutants survived"),
        evidence={"score": score.percent, "min_score": min_score, **score.counts},
    )
