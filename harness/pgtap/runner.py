"""Run suites in parallel, each in its own clone of the test template, through psql.

Per suite: clone the test template (migrations + pgTAP helpers + seed), run psql on the suite
against the clone, hand the clone to a background dropper. Suites cannot see each other's data,
whatever they commit. `-j N` suites run at once, biggest files first (so a long suite does not
start last); one suite's clone overlaps another's run. Results come back in file order. A bail out
starts no further suite, as in pg_prove; Ctrl-C or SIGTERM kills the psql processes still running.
"""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import psycopg

from harness.engine.server import Server
from harness.findings import Finding, HarnessError, Severity
from harness.migrate.guard import lost_server, server_alive
from harness.pgtap.discovery import discover_suites
from harness.pgtap.psql import PsqlRunner, find_psql
from harness.pgtap.results import Suite, suite_result
from harness.report.model import SuiteResult
from harness.workspace import SeedError, Workspace

Progress = Callable[[str], None]
SQL_DIR = Path(__file__).resolve().parent


@dataclass
class TestRun:
    """What the suites produced: their results (in file order) and the findings, for any command."""

    suites: list[SuiteResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # for report.details["test"]

    __test__ = False  # not a pytest test class


def pgtap_missing(major: int) -> HarnessError:
    return HarnessError(
        f"pgTAP is not installed on the PostgreSQL {major} server, so no suite can run: install it "
        f"(Debian/Ubuntu: `apt-get install postgresql-{major}-pgtap`; other systems: "
        "https://pgtap.org/documentation.html#installation)"
    )


def _require_pgtap(server: Server) -> None:
    with server.connect(server.admin_db) as conn:
        row = conn.execute((SQL_DIR / "pgtap_available.sql").read_text(encoding="utf-8")).fetchone()
    assert row is not None
    available, major = row
    if not available:
        raise pgtap_missing(major)


def seed_finding(error: SeedError, check: str = "test", consequence: str = "no suite ran") -> Finding:
    """The seed file did not apply: `check` (test, audit, explain) could not run on it."""
    return Finding(
        check=check, rule="timeout" if error.timed_out else "seed-error", severity=Severity.ERROR,
        message=f"the seed file failed to apply, so {consequence}: {error.message.splitlines()[0]}",
        file=error.file, line=error.line, evidence={"error": error.message},
    )


def _suite(path: Path, root: Path, relative: Callable[[Path], str]) -> Suite:
    try:
        argument = path.relative_to(root).as_posix()
    except ValueError:
        argument = str(path)
    return Suite(path=path, name=relative(path), argument=argument, cwd=root)


class _Dropper:
    """Drops finished clones on a thread of its own, off the suites' critical path."""

    def __init__(self, server: Server) -> None:
        self._server = server
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="harness-drop")

    def drop(self, name: str) -> None:
        self._pool.submit(self._server.drop_database, name)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _cpu() -> tuple[float, float, float, float]:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime, me.ru_stime, children.ru_utime, children.ru_stime


def run_suites(workspace: Workspace, paths: list[Path] | None, jobs: int, progress: Progress) -> TestRun:
    """Discover the suites (all of them, or those `paths` name) and run them, `jobs` at a time.

    Raises HarnessError when a path does not exist or pgTAP is missing on the server. When the
    migrations did not apply there is no template: no suite runs, and the migration's findings
    (which the caller reports) say why.
    """
    config = workspace.config
    if not paths:
        config.project.require("tests")
    files = discover_suites(config.project.tests, config.root, paths)
    run = TestRun(details={"found": len(files), "jobs": jobs})
    if not files:
        run.details["tests_folder"] = config.relative(config.project.tests)
        return run
    _require_pgtap(workspace.server)
    try:
        template = workspace.test_template()
    except SeedError as error:
        run.findings.append(seed_finding(error))
        return run
    if template is None:
        return run
    suites = [_suite(path, config.root.resolve(), config.relative) for path in files]
    return run_suites_on(workspace.server, template, suites, jobs, progress, workspace.bindir, config.relative)


def run_suites_on(server: Server, template: str, suites: list[Suite], jobs: int, progress: Progress,
                  bindir: Path | None, relative: Callable[[Path], str], *,
                  stop_at_failure: bool = False) -> TestRun:
    """Run `suites` (not empty), `jobs` at a time, each on its own clone of `template`: any database
    that holds the migrations, the pgTAP helpers and the seed. `stop_at_failure` starts no further
    suite once one has failed (with `jobs=1`, the suites run in the order given)."""
    run = TestRun(details={"found": len(suites), "jobs": jobs})
    started, cpu_before = time.perf_counter(), _cpu()
    _run_parallel(server, template, find_psql(bindir), suites, jobs, relative, progress, run, stop_at_failure)
    if any(suite.error for suite in run.suites) and not server_alive(server):
        raise lost_server(server, "the suites ran")  # their failures are the server's, not the project's
    cpu = [after - before for after, before in zip(_cpu(), cpu_before)]
    run.details.update(
        wall_s=round(time.perf_counter() - started, 4),
        cpu_s=dict(zip(("usr", "sys", "cusr", "csys"), (round(c, 3) for c in cpu))),
        suites=[_summary(s) for s in run.suites],
    )
    return run


def _summary(suite: SuiteResult) -> dict[str, Any]:
    return {
        "file": suite.file,
        "planned": suite.planned,
        "tests": len(suite.cases),
        "failed": sum(1 for c in suite.cases if not c.passed),
        "skipped": sum(1 for c in suite.cases if c.directive == "SKIP"),
        "todo": sum(1 for c in suite.cases if c.directive == "TODO"),
        "ok": suite.ok,
        "error": suite.error,
        "elapsed_s": round(suite.elapsed_s, 4),
    }


def _status(result: SuiteResult) -> str:
    failed = sum(1 for c in result.cases if not c.passed)
    if result.error:
        return f"FAILED ({result.error})"
    if failed:
        return f"FAILED ({failed} of {len(result.cases)} tests)"
    return f"ok ({len(result.cases)} tests)"


def _longest_first(suites: list[Suite]) -> list[int]:
    """Start the biggest files first, so a long suite does not start last and leave the other jobs
    idle at the end (longest-processing-time scheduling, with the file size as the estimate)."""
    def size(index: int) -> int:
        try:
            return suites[index].path.stat().st_size
        except OSError:
            return 0

    return sorted(range(len(suites)), key=lambda i: (-size(i), i))


def _run_parallel(server: Server, template: str, psql: str, suites: list[Suite], jobs: int,
                  relative: Callable[[Path], str], progress: Progress, run: TestRun,
                  stop_at_failure: bool = False) -> None:
    runner = PsqlRunner(psql, server, suites[0].cwd)
    dropper = _Dropper(server)
    stop = threading.Event()  # a bail out, Ctrl-C or an error: start no further suite
    outcomes: dict[int, tuple[SuiteResult, list[Finding]]] = {}
    lock = threading.Lock()

    def one(index: int, suite: Suite) -> None:
        if stop.is_set():
            return
        try:
            database = server.clone(template, "suite")
        except psycopg.Error as exc:
            raise HarnessError(f"cannot create a database for {suite.name}: {str(exc).strip()}") from None
        try:
            psql_run = runner.run(database, suite.argument)
        except InterruptedError:
            return
        finally:
            dropper.drop(database)
        if stop.is_set() and psql_run.returncode < 0:
            return  # we killed it (Ctrl-C, SIGTERM): not a result
        result, findings = suite_result(suite, psql_run, relative)
        if result.bail_out is not None or (stop_at_failure and not result.ok):
            stop.set()
        with lock:
            outcomes[index] = (result, findings)
            progress(f"[{len(outcomes)}/{len(suites)}] {suite.name} {_status(result)} {result.elapsed_s:.2f} s")

    pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, len(suites))), thread_name_prefix="harness-suite")
    try:
        order = _longest_first(suites) if jobs > 1 else range(len(suites))  # -j 1: file order, as pg_prove
        futures = [pool.submit(one, i, suites[i]) for i in order]
        for future in futures:
            future.result()
    except BaseException:
        stop.set()
        runner.stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        dropper.close()
    for index in sorted(outcomes):
        result, findings = outcomes[index]
        run.suites.append(result)
        run.findings.extend(findings)
    not_run = [s.name for i, s in enumerate(suites) if i not in outcomes]
    if not_run:
        run.details["not_run"] = not_run
        _note_bail_out(run, not_run)


def _note_bail_out(run: TestRun, not_run: list[str]) -> None:
    """A bail out stops further testing, as in pg_prove: say which suites did not run."""
    for i, finding in enumerate(run.findings):
        if "bail_out" in finding.evidence:
            message = f"{finding.message} (further testing stopped: {len(not_run)} suites not run)"
            run.findings[i] = replace(finding, message=message, evidence=dict(finding.evidence, not_run=not_run))
            return
