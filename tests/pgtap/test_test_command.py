"""`harness test` as users and CI run it: exit codes 0 / 1 / 2, every format, no tracebacks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import PROJECT, run_harness

NOTES = str(PROJECT)
PASSING = "supabase/tests/passing"  # paths relative to the project root
FAILING = "supabase/tests/failing"


def test_passing_project_exits_0_with_a_line_per_suite() -> None:
    result = run_harness("test", "--project", NOTES, PASSING)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ supabase/tests/passing/01_basics.test.sql  6 tests, 1 skipped, 1 todo" in result.stdout
    assert "✓ supabase/tests/passing/plan_at_end.pg  3 tests" in result.stdout
    assert "PASSED harness test" in result.stdout and "14 tests passed, 0 failed" in result.stdout


def test_failing_project_exits_1_with_contract_json(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_harness("test", "--project", NOTES, "--format", "json", "--output", str(out), "-j", "1", FAILING)
    assert result.returncode == 1, result.stderr
    report = json.loads(out.read_text())
    assert report["ok"] is False and report["exit_code"] == 1 and report["command"] == "test"
    assert report["summary"]["tests"] == {"passed": 9, "failed": 4}
    assert report["summary"]["findings"]["error"] == 10
    for finding in report["findings"]:
        assert {"check", "rule", "severity", "message", "file", "line", "table", "persona", "operation",
                "evidence"} <= finding.keys()
        assert (finding["check"], finding["rule"]) == ("test", "test-failed")
    assert "Traceback" not in result.stderr


def test_explicit_path_narrows_and_a_missing_path_exits_2() -> None:
    one = run_harness("test", "--project", NOTES, "--format", "tap", f"{FAILING}/plan_mismatch.test.sql")
    assert one.returncode == 1
    assert one.stdout.startswith("supabase/tests/failing/plan_mismatch.test.sql .. \n1..5\n")
    assert "Files=1, Tests=3," in one.stdout and one.stdout.rstrip().endswith("Result: FAIL")
    missing = run_harness("test", "--project", NOTES, "supabase/tests/nope.sql")
    assert missing.returncode == 2
    assert "nope.sql: no such file or folder" in missing.stderr and "Traceback" not in missing.stderr


def test_junit_and_tap_formats(tmp_path: Path) -> None:
    junit = run_harness("test", "--project", NOTES, "--format", "junit", PASSING)
    assert junit.returncode == 0
    root = ET.fromstring(junit.stdout)
    assert root.get("tests") == "14" and root.get("failures") == "0"
    tap = run_harness("test", "--project", NOTES, "--format", "tap", "--output", str(tmp_path / "out.tap"), PASSING)
    assert tap.returncode == 0
    text = (tmp_path / "out.tap").read_text()
    assert "All tests successful.\nFiles=3, Tests=14," in text and text.endswith("Result: PASS\n")


def test_a_migration_that_fails_is_a_finding_and_exit_1(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {"20240101000000_bad.sql": "create table public.t (id int;\n"},
        tests={"a.test.sql": "select plan(1);\nselect ok(true);\n"},
    )
    result = run_harness("test", "--project", str(root), "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]] == ["migration-error"]
    assert report["summary"]["tests"] == {"passed": 0, "failed": 0}
