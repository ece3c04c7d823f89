"""Judge mutants: build each one's database, run the suites until one fails, and (with the audit) audit
the ones the suites let through. Mutants run `jobs` at a time, each on databases of its own."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.config import Config
from harness.findings import Finding
from harness.engine.sweep import mark_owner, sweep_run_folders
from harness.mutate.build import MutantBuilder
from harness.mutate.mirror import Mirror
from harness.mutate.model import EQUIVALENT, KILLED, STILLBORN, SURVIVED, Killer, Mutant, Outcome
from harness.mutate.order import SuiteOrder
from harness.pgtap.results import Suite
from harness.pgtap.runner import run_suites_on
from harness.report.model import SuiteResult
from harness.sql.discovery import MigrationFile
from harness.workspace import Workspace

Progress = Callable[[str], None]
FindingKey = tuple[str, str, str | None, str | None, str | None]


def _quiet(_: str) -> None:
    pass


def finding_key(finding: Finding) -> FindingKey:
    """What makes two audit findings the same, whatever their counts and wording."""
    return finding.check, finding.rule, finding.table, finding.persona, finding.operation


@dataclass
class MutationPlan:
    """What every mutant is judged against: the suites (with their unmutated timings) and, with the
    audit, the failing findings the unmutated database already has."""

    elapsed: dict[str, float]  # suite (as reports name it) -> seconds it took on the unmutated database
    with_audit: bool = False
    audit_baseline: set[FindingKey] = field(default_factory=set)


class MutantRunner:
    def __init__(self, workspace: Workspace, migrations: list[MigrationFile], plan: MutationPlan,
                 progress: Progress = _quiet) -> None:
        self.workspace = workspace
        self.config: Config = workspace.config
        self.server = workspace.server
        self.plan = plan
        self.progress = progress
        self.migrations = migrations
        self.builder = MutantBuilder(self.server, self.config, migrations, lambda m: self.config.relative(m.path))
        self.order = SuiteOrder(plan.elapsed)
        self.mirror = Mirror.of(self.config.root, self.config.project.tests, self.config.project.migrations)
        self._done = 0
        self._lock = threading.Lock()

    def run(self, mutants: list[Mutant], jobs: int) -> list[Outcome]:
        """Every mutant's outcome, in mutant order."""
        outcomes: dict[int, Outcome] = {
            m.number: Outcome(m, EQUIVALENT, reason=m.equivalent) for m in mutants if m.equivalent
        }
        live = [m for m in mutants if not m.equivalent]
        try:
            self.builder.prepare({m.file_index for m in live})
            sweep_run_folders(Path(tempfile.gettempdir()), "harness-mutate-*")
            with tempfile.TemporaryDirectory(prefix="harness-mutate-") as scratch:
                mark_owner(Path(scratch))
                for outcome in self._in_parallel(live, Path(scratch), jobs):
                    outcomes[outcome.mutant.number] = outcome
        finally:
            self.builder.close()
        return [outcomes[m.number] for m in mutants]

    def _in_parallel(self, mutants: list[Mutant], scratch: Path, jobs: int) -> list[Outcome]:
        pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="harness-mutant")
        try:
            futures = [pool.submit(self._judge, m, scratch, len(mutants)) for m in mutants]
            return [future.result() for future in futures]
        except BaseException:  # Ctrl-C, SIGTERM, an error: start no further mutant
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)

    def _judge(self, mutant: Mutant, scratch: Path, total: int) -> Outcome:
        started = time.perf_counter()
        outcome = replace(self._outcome(mutant, scratch), elapsed_s=time.perf_counter() - started)
        with self._lock:
            self._done += 1
            by = f" by {outcome.killed_by.name}" if outcome.killed_by else ""
            self.progress(f"[{self._done}/{total}] #{mutant.number} {mutant.operator} at {mutant.location}: "
                          f"{outcome.status}{by} ({outcome.elapsed_s:.2f} s)")
        return outcome

    def _outcome(self, mutant: Mutant, scratch: Path) -> Outcome:
        migrated, error = self.builder.build(mutant)
        if migrated is None:
            assert error is not None
            return Outcome(mutant, STILLBORN, reason=f"{error.file}:{error.line}: {error.message}")
        tests = self.server.clone(migrated, "mtests") if self.plan.with_audit else migrated
        try:
            broken = self.builder.load_fixtures(tests)
            if broken is not None:
                return Outcome(mutant, KILLED, Killer("seed", *broken))
            killer, ran = self._run_suites(mutant, tests, scratch)
            if killer is None and self.plan.with_audit:
                killer = self._audit(migrated)
            return Outcome(mutant, KILLED if killer else SURVIVED, killer, suites_run=ran)
        finally:
            if tests != migrated:
                self.server.drop_database(tests)
            self.server.drop_database(migrated)

    def _run_suites(self, mutant: Mutant, template: str, scratch: Path) -> tuple[Killer | None, int]:
        if not self.plan.elapsed:
            return None, 0
        names = self.order.order(mutant.operator)
        root = self.config.root.resolve()
        relative: Callable[[Path], str] = self.config.relative
        folder = None
        if self.mirror is not None:
            folder = self.mirror.create(scratch / f"m{mutant.number}", {self._file(mutant).path.name: mutant.sql})
            root = folder
            relative = self._relative_in(folder)
        suites = [Suite(path=root / name, name=name, argument=name, cwd=root) for name in names]
        try:
            run = run_suites_on(self.server, template, suites, 1, _quiet, self.workspace.bindir, relative,
                                stop_at_failure=True)
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        failed = next((s for s in run.suites if not s.ok), None)
        if failed is None:
            return None, len(run.suites)
        self.order.record(mutant.operator, failed.file)
        return Killer("test", failed.file, _first_failure(failed)), len(run.suites)

    def _file(self, mutant: Mutant) -> MigrationFile:
        return self.migrations[mutant.file_index]

    def _relative_in(self, folder: Path) -> Callable[[Path], str]:
        mirror = self.mirror
        assert mirror is not None

        def relative(path: Path) -> str:
            return self.config.relative(mirror.project_path(folder, path))

        return relative

    def _audit(self, database: str) -> Killer | None:
        from harness.audit import audit_database

        result = audit_database(lambda: self.server.connect(database), self.config, _quiet, workers=1)
        new = [f for f in result.findings if f.severity.fails_gate and finding_key(f) not in self.plan.audit_baseline]
        if not new:
            return None
        first = max(new, key=lambda f: f.severity.rank)
        where = " · ".join(w for w in (first.table, first.persona, first.operation) if w)
        return Killer("audit", f"{first.check}/{first.rule}" + (f" {where}" if where else ""), first.message)


def _first_failure(suite: SuiteResult) -> str:
    case = next((c for c in suite.cases if not c.passed), None)
    if case is not None:
        return f"test {case.number} failed: {case.description or '(no description)'}"
    return suite.error or "the suite failed"
