"""What a command hands its renderers: findings, pgTAP results, timings and per-check extras."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from harness.findings import ExitCode, Finding, count_by_severity, sort_findings


@dataclass(frozen=True)
class TestCase:
    """One pgTAP assertion (or a suite-level failure such as a died suite)."""

    suite: str  # file, relative to the project root
    number: int | None
    description: str
    ok: bool
    directive: str | None = None  # "SKIP" or "TODO"
    reason: str | None = None
    diagnostics: str = ""

    @property
    def passed(self) -> bool:
        # A failing TODO test does not fail the run, as in every TAP harness.
        return self.ok or self.directive in ("TODO", "SKIP")


@dataclass
class SuiteResult:
    file: str
    cases: list[TestCase] = field(default_factory=list)
    planned: int | None = None
    elapsed_s: float = 0.0
    error: str | None = None  # the suite died (SQL error, bail out, plan mismatch)
    raw_tap: str = ""
    stderr: str = ""  # what psql printed there: notices, the error that stopped it
    exit_code: int = 0  # psql's: 3 when ON_ERROR_STOP stopped the script
    bail_out: str | None = None  # the reason of a `Bail out!` line
    parse_errors: list[str] = field(default_factory=list)  # as pg_prove words them ("Bad plan. ...")

    @property
    def ok(self) -> bool:
        return self.error is None and all(c.passed for c in self.cases)


@dataclass
class Report:
    command: str
    findings: list[Finding] = field(default_factory=list)
    suites: list[SuiteResult] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    # Per-check material for the renderers (audit matrices, explain plans, ...), keyed by check.
    details: dict[str, Any] = field(default_factory=dict)
    ran_tests: bool = False
    # What was judged (harness.changeset.ChangeSet.to_json()) and header lines such as rule overrides.
    change_set: dict[str, Any] | None = None
    header: list[str] = field(default_factory=list)
    # What the project ran on, e.g. "PostgreSQL 17.10 · Supabase platform (hosted 2026 grants)":
    # the text report's first line, and `platform` in JSON.
    platform: str | None = None

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    @property
    def tests_passed(self) -> int:
        return sum(1 for s in self.suites for c in s.cases if c.passed)

    @property
    def tests_failed(self) -> int:
        return sum(1 for s in self.suites for c in s.cases if not c.passed)

    @property
    def exit_code(self) -> ExitCode:
        if any(f.fails_gate for f in self.findings):
            return ExitCode.FAILED
        if self.tests_failed or any(not s.ok for s in self.suites):
            return ExitCode.FAILED
        return ExitCode.PASSED

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.PASSED

    def sorted_findings(self) -> list[Finding]:
        return sort_findings(self.findings)

    def to_json(self) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "tests": {"passed": self.tests_passed, "failed": self.tests_failed},
            "findings": count_by_severity(self.findings),
        }
        data: dict[str, Any] = {
            "ok": self.ok,
            "exit_code": int(self.exit_code),
            "command": self.command,
            "findings": [f.to_json() for f in self.sorted_findings()],
            "summary": summary,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
        if self.change_set is not None:
            data["change_set"] = self.change_set
        if self.platform:
            data["platform"] = self.platform
        if self.details:
            data["details"] = self.details
        # Enough to render the report again in any format (harness report merge).
        data["ran_tests"] = self.ran_tests
        data["suites"] = [suite_to_json(s) for s in self.suites]
        return data


def suite_to_json(suite: SuiteResult) -> dict[str, Any]:
    data = asdict(suite)
    for case in data["cases"]:
        del case["suite"]  # the suite's file, said once
    return data


def suite_from_json(data: dict[str, Any]) -> SuiteResult:
    cases = [TestCase(suite=data["file"], **case) for case in data.get("cases", [])]
    return SuiteResult(**{**data, "cases": cases})
