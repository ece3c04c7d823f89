"""Issue 18, items 8, 9, 17 (signals): a time limit on every piece of project code, progress lines in
CI logs, and every stop signal ends the run within moments, leaving nothing behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from .conftest import PASSING_SUITE, REPO, TABLE, json_report, processes_mentioning, rules, run_harness

# Catches every cancel: only a terminated backend stops it.
STUBBORN = ("set statement_timeout = 0;\n"
            "do $$ begin loop begin perform pg_sleep(10); exception when query_canceled then null; end; end loop; end $$;\n")


@pytest.fixture
def run_dir() -> Iterator[Path]:
    """A run folder of the test's own (HARNESS_RUN_DIR), which the server's OS user can enter."""
    folder = Path(tempfile.mkdtemp(prefix="reliab-run-", dir="/tmp"))
    folder.chmod(0o711)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def assert_nothing_left(run_dir: Path) -> None:
    deadline = time.monotonic() + 10
    while (left := processes_mentioning(str(run_dir))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, left
    assert list(run_dir.iterdir()) == []


@pytest.mark.parametrize("where", ["migration", "seed", "suite"])
def test_the_time_limit_stops_project_code_and_names_it(make_project, run_dir: Path, where: str) -> None:  # type: ignore[no-untyped-def]
    sleepy = "select pg_sleep(60);\n"
    root = make_project(
        {"20260101000000_a.sql": TABLE + (STUBBORN if where == "migration" else "")},
        tests={"a_test.sql": PASSING_SUITE if where != "suite" else "select plan(1);\n" + sleepy + "select ok(true);\n"},
        seed=STUBBORN if where == "seed" else None,
    )
    result = run_harness("test", "--project", str(root), "--format", "json", "--timeout", "1",
                         env={"HARNESS_RUN_DIR": str(run_dir)})
    report = json_report(result)
    check = "migrate" if where == "migration" else "test"
    assert report["exit_code"] == 1 and (check, "timeout") in rules(report), report["findings"]
    [finding] = [f for f in report["findings"] if f["rule"] == "timeout"]
    named = {"migration": "20260101000000_a.sql", "seed": "seed.sql", "suite": "a_test.sql"}[where]
    assert named in finding["message"] and "--timeout" in finding["message"]
    assert_nothing_left(run_dir)


def test_a_ci_log_shows_a_line_per_step(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE}, tests={"a_test.sql": PASSING_SUITE})
    # Without the template cache: an identical project migrated earlier would skip the apply step.
    result = run_harness("test", "--project", str(root), env={"HARNESS_NO_TEMPLATE_CACHE": "1"})
    assert result.returncode == 0, result.stderr
    steps = [line for line in result.stderr.splitlines() if line.startswith("harness [")]
    assert any("applying supabase/migrations/20260101000000_a.sql" in s for s in steps), result.stderr
    assert any("a_test.sql ok" in s for s in steps), result.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])
def test_a_stop_signal_ends_the_run_and_leaves_nothing(make_project, run_dir: Path, signum: int) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": TABLE}, tests={"a_test.sql": PASSING_SUITE}, seed=STUBBORN)
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "test", "--project", str(root)], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO), "HARNESS_RUN_DIR": str(run_dir)},
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:  # the seed runs (for ever) once this line is out
        lines.append(line)
        if "applying supabase/seed.sql" in line:
            break
    time.sleep(0.5)
    process.send_signal(signum)
    try:
        _, rest = process.communicate(timeout=30)
    finally:
        process.kill()
    stderr = "".join(lines) + rest
    assert "Traceback" not in stderr, stderr
    assert process.returncode == (130 if signum == signal.SIGINT else 128 + signum), stderr
    assert "interrupted" in stderr
    assert_nothing_left(run_dir)


def test_a_killed_server_is_exit_2_not_a_failing_suite(make_project, run_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Item 13: the postmaster dies while a suite runs: the harness's fault, one message, exit 2."""
    root = make_project({"20260101000000_a.sql": TABLE},
                        tests={"slow_test.sql": "select plan(1);\nselect pg_sleep(60);\nselect ok(true);\n"})
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "test", "--project", str(root)], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO), "HARNESS_RUN_DIR": str(run_dir)},
    )
    deadline = time.monotonic() + 120
    while not processes_mentioning("slow_test.sql") and time.monotonic() < deadline:
        time.sleep(0.2)
    [postmaster] = [int(line.split(":")[0]) for line in processes_mentioning(str(run_dir)) if " -D " in line]
    os.kill(postmaster, signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
    assert process.returncode == 2 and "PostgreSQL server stopped" in stderr, stderr
    assert_nothing_left(run_dir)
