"""The tap, junit, json and text renderings of pgTAP results, built from captured real output."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

from rich.console import Console

from harness.findings import Finding, Severity
from harness.pgtap.psql import PsqlRun
from harness.pgtap.results import Suite, suite_result
from harness.report.junit import render_junit
from harness.report.model import Report
from harness.report.tap import render_tap
from harness.report.text import render_text

from .conftest import CAPTURED, PROJECT, capture_stem, group_suites, read_capture


def report_of(group: str) -> Report:
    """The report `harness test` makes of the captured runs of a group of the fixture suites."""
    root = PROJECT.resolve()
    report = Report(command="test", ran_tests=True)
    for path in group_suites(group):
        stdout, stderr, rc = read_capture(capture_stem(path))
        name = path.relative_to(root).as_posix()
        run = PsqlRun(stdout, stderr, rc, 0.01)
        result, findings = suite_result(Suite(path, name, name, root), run, lambda p: p.resolve().relative_to(root).as_posix())
        report.suites.append(result)
        report.extend(findings)
    return report


def without_clock(text: str) -> list[str]:
    """pg_prove's output without what differs from run to run (times) or what we add (psql's stderr)."""
    lines = [re.sub(r"\s*\d+ wallclock secs.*", " wallclock secs", line) for line in text.splitlines()]
    return [line for line in lines if not line.startswith("# psql:") and not line.startswith("# LINE ")
            and not line.startswith("#          ")]


def test_tap_is_what_pg_prove_prints() -> None:
    for group in ("passing", "failing"):
        ours = render_tap(report_of(group))
        theirs = (CAPTURED / group / "pg_prove.stdout").read_text(encoding="utf-8")
        assert without_clock(ours) == without_clock(theirs), group


def test_tap_shows_why_a_suite_died_and_other_findings() -> None:
    report = report_of("failing")
    report.findings.append(Finding(check="migrate", rule="not-idempotent", severity=Severity.ERROR,
                                   message="second apply failed", file="supabase/migrations/x.sql", line=3))
    tap = render_tap(report)
    assert "# psql:supabase/tests/failing/dies.test.sql:5: ERROR:  relation \"public.no_such_table\" does not exist" in tap
    lines = tap.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("harness migrate .."))
    assert lines[header + 1:header + 4] == [
        "1..1", "not ok 1 - not-idempotent: second apply failed", "# error at supabase/migrations/x.sql:3",
    ]
    assert tap.rstrip().endswith("Result: FAIL")


def test_junit_has_a_test_case_per_assertion() -> None:
    report = report_of("failing")
    root = ET.fromstring(render_junit(report))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assertions = suites["supabase/tests/failing/assertions.test.sql"]
    cases = assertions.findall("testcase")
    assert [c.get("name") for c in cases][:2] == ["1 - this one passes", "2 - one is two"]
    assert len(cases) == 7
    failure = cases[1].find("failure")
    assert failure is not None and "have: 1" in (failure.text or "")
    assert cases[4].find("skipped") is not None and cases[5].find("skipped") is not None  # SKIP, TODO
    died = suites["supabase/tests/failing/dies.test.sql"].findall("testcase")
    assert died[-1].get("name") == "(suite)"
    assert "no_such_table" in (died[-1].find("failure").text or "")  # type: ignore[union-attr]
    assert root.get("tests") == str(sum(int(s.get("tests", "0")) for s in suites.values()))
    assert int(root.get("failures", "0")) == 4 + 6  # four assertions, six suites that died or broke the plan


def test_junit_lists_other_findings_as_test_cases() -> None:
    report = report_of("passing")
    report.findings.append(Finding(check="test", rule="seed-error", severity=Severity.ERROR,
                                   message="the seed file failed", file="supabase/seed.sql", line=2))
    root = ET.fromstring(render_junit(report))
    harness_suite = [s for s in root.findall("testsuite") if s.get("name") == "harness test"]
    assert len(harness_suite) == 1
    case = harness_suite[0].find("testcase")
    assert case is not None and case.get("classname") == "harness.test.seed-error"
    assert case.find("failure") is not None


def test_json_summary_counts_tests() -> None:
    data = json.loads(json.dumps(report_of("failing").to_json()))
    assert data["summary"]["tests"] == {"passed": 9, "failed": 4}
    assert data["exit_code"] == 1 and data["ok"] is False
    assert {f["rule"] for f in data["findings"]} == {"test-failed"}
    passing = report_of("passing").to_json()
    assert passing["summary"]["tests"] == {"passed": 14, "failed": 0} and passing["exit_code"] == 0


def test_text_shows_a_line_per_suite_and_failures_in_full() -> None:
    out = io.StringIO()
    render_text(report_of("failing"), Console(file=out, width=200, no_color=True), verbose=False)
    text = out.getvalue()
    assert "✗ supabase/tests/failing/assertions.test.sql  7 tests, 4 failed, 1 skipped, 1 todo" in text
    assert "✗ supabase/tests/failing/dies.test.sql  1 of 3 tests" in text
    failures = text[text.index("Failures"):]
    assert "not ok 3 - values with embedded newlines" in failures
    assert "# second line" in failures and "#         want: first line" in failures
    assert "psql:supabase/tests/failing/dies.test.sql:5: ERROR:" in failures
    assert "FAILED harness test" in text
