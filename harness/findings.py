"""The one currency every check pays in: `Finding`, its severities, and the exit codes.

Checks return findings and never print; renderers print findings and never compute.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

CHECKS = ("migrate", "lint", "test", "audit", "catalog", "explain")
OPERATIONS = ("select", "insert", "update", "delete")
FINDING_OPERATIONS = (*OPERATIONS, "execute")  # execute: an RPC function (CONTRACT.md §2)


class ExitCode(enum.IntEnum):
    """Process exit codes (README: Usage, exit codes)."""

    PASSED = 0  # no error/critical finding, every pgTAP test passed
    FAILED = 1  # the project under test failed the gate
    UNUSABLE = 2  # the harness could not do its job (bad input, no PostgreSQL, ...)


class Severity(str, enum.Enum):
    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; sorts findings most severe first."""
        return {"critical": 3, "error": 2, "warning": 1, "info": 0}[self.value]

    @property
    def fails_gate(self) -> bool:
        return self in (Severity.CRITICAL, Severity.ERROR)


@dataclass(frozen=True)
class Finding:
    """Something a check found. Every key of the JSON report exists; unknown ones are None."""

    check: str
    rule: str
    severity: Severity
    message: str
    file: str | None = None  # relative to the project root
    line: int | None = None  # 1-based
    table: str | None = None  # always schema-qualified
    persona: str | None = None
    operation: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    column: int | None = None  # 1-based, where it helps
    # With a change set: True when the same finding exists at the base (it does not fail the gate).
    pre_existing: bool | None = None

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"unknown check {self.check!r}")
        if not isinstance(self.severity, Severity):
            object.__setattr__(self, "severity", Severity(self.severity))
        if self.operation is not None and self.operation not in FINDING_OPERATIONS:
            raise ValueError(f"unknown operation {self.operation!r}")
        if self.table is not None and "." not in self.table:
            raise ValueError(f"table {self.table!r} must be schema-qualified")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def fails_gate(self) -> bool:
        return self.severity.fails_gate and not self.pre_existing

    @property
    def location(self) -> str | None:
        if self.file is None:
            return None
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by place, so reports are stable."""
    return sorted(
        findings,
        key=lambda f: (-f.severity.rank, f.check, f.file or "", f.line or 0, f.table or "", f.rule, f.message),
    )


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


class HarnessError(Exception):
    """The harness cannot do its job (exit 2). The message says what is wrong and how to fix it."""

    exit_code = ExitCode.UNUSABLE
