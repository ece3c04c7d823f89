"""pg_prove stays the reference (issue 10 §4): the same suites pass under pg_prove, against a database
that `harness up` prepared, with the same counts as `harness test`."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.config import load_config
from harness.engine.server import Server
from harness.pgtap import discover_suites, run_suites
from harness.pgtap.reference import find_pg_prove, run_pg_prove
from harness.workspace import Workspace

from .conftest import PROJECT, REPO, TESTS, run_harness

pytestmark = pytest.mark.skipif(
    find_pg_prove() is None,
    reason="pg_prove is not installed (Debian/Ubuntu: apt-get install libtap-parser-sourcehandler-pgtap-perl)",
)


def suite_files(project: Path, paths: list[Path] | None = None) -> list[str]:
    config = load_config(project)
    return [p.relative_to(project.resolve()).as_posix()
            for p in discover_suites(config.project.tests, config.root, paths)]


@pytest.fixture(scope="module")
def harness_up() -> Iterator[tuple[Server, str]]:
    """`harness up` on this repository: the server and database it serves, until the test ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "up", "--project", str(REPO)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "400", "PYTHONPATH": str(REPO)},
    )
    try:
        seen = []
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            if line.strip().startswith("psql:"):
                break
        else:
            pytest.fail("harness up did not print a psql command:\n" + "".join(seen))
        args = shlex.split(line.split("psql:", 1)[1])
        option = {args[i]: args[i + 1] for i in range(1, len(args) - 1, 2)}
        yield Server(host=option["-h"], port=int(option["-p"]), user=option["-U"]), option["-d"]
    finally:
        process.send_signal(signal.SIGTERM)  # SIGINT may be ignored when the tests run in the background
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_subject_suites_pass_under_pg_prove_with_the_same_counts(harness_up: tuple[Server, str]) -> None:
    server, database = harness_up
    files = suite_files(REPO)
    prove = run_pg_prove(server, database, files, REPO, jobs=2)
    assert prove.result == "PASS" and prove.returncode == 0, prove.stdout + prove.stderr
    ours = run_harness("test", "--project", str(REPO), "--format", "json")
    assert ours.returncode == 0, ours.stdout + ours.stderr
    report = json.loads(ours.stdout)
    suites = report["details"]["test"]["suites"]
    assert prove.files == len(suites) == len(files)
    assert prove.tests == report["summary"]["tests"]["passed"] >= 60
    assert prove.failed == report["summary"]["tests"]["failed"] == 0


@pytest.mark.parametrize(("group", "result", "tests", "failed"), [("passing", "PASS", 14, 0), ("failing", "FAIL", 13, 4)])
def test_the_fixture_suites_count_the_same_under_pg_prove(
    notes: Workspace, group: str, result: str, tests: int, failed: int
) -> None:
    template = notes.test_template()
    assert template is not None
    with notes.server.scratch_database(template) as database:
        prove = run_pg_prove(notes.server, database, suite_files(PROJECT, [TESTS / group]), PROJECT)
    run = run_suites(notes, [TESTS / group], 2, lambda _: None)
    assert prove.result == result, prove.stdout + prove.stderr
    assert (prove.files, prove.tests, prove.failed) == (len(run.suites), tests, failed)
    assert sum(len(s.cases) for s in run.suites) == tests
    assert sum(1 for s in run.suites for c in s.cases if not c.passed) == failed
    failing_files = set(re.findall(r"^(\S+)\s+\(Wstat:", prove.stdout, re.MULTILINE))
    assert failing_files == {s.file for s in run.suites if not s.ok}
