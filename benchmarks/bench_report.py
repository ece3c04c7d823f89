"""Time the text and JSON reports of one failing assertion whose description is SIZE megabytes.

Run: python benchmarks/bench_report.py [--mb 4 50]. Target: the text report of the 50 MB case in
under 10 s (it was quadratic in line length: 4 MB took 17.6 s, 50 MB did not finish in 14 minutes).
The description appears three times, as pgTAP reports it: the test's title, its diagnostics and the
`test-failed` finding's message.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402

from harness.findings import Finding, Severity  # noqa: E402
from harness.report.json_report import render_json  # noqa: E402
from harness.report.model import Report, SuiteResult, TestCase  # noqa: E402
from harness.report.text import render_text  # noqa: E402


def report_with(description: str) -> Report:
    case = TestCase(suite="supabase/tests/big_test.sql", number=1, description=description, ok=False,
                    diagnostics=f"Failed test 1: \"{description}\"\n      have: 1\n      want: 2")
    suite = SuiteResult(file="supabase/tests/big_test.sql", cases=[case], planned=1, elapsed_s=0.1)
    report = Report(command="test", ran_tests=True)
    report.suites.append(suite)
    report.details["test"] = {"found": 1}
    report.extend([Finding(check="test", rule="test-failed", severity=Severity.ERROR,
                           message=f"not ok 1 - {description}", file=suite.file, line=3)])
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, nargs="+", default=[4, 50])
    args = parser.parse_args()
    for mb in args.mb:
        unit, size = "a tenant must not see another tenant's rows; ", int(mb * 1024 * 1024)
        description = (unit * (size // len(unit) + 1))[:size]
        report = report_with(description)
        for name, render in (("text", lambda: render_text(report, Console(file=io.StringIO(), width=120), True)),
                             ("json", lambda: render_json(report))):
            started = time.perf_counter()
            render()
            print(f"{mb:g} MB description, {name} report: {time.perf_counter() - started:.2f} s", flush=True)


if __name__ == "__main__":
    main()
