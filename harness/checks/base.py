"""What a check is: a name, the rules it owns, and `run(context)` that hands back an `Outcome`.

The registry (harness/checks/__init__.py) lists every check; commands are selections over it and the
runner (harness/checks/runner.py) drives them, so `harness test` and `harness check --only test` are
the same code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from harness.findings import Finding, Severity
from harness.report.model import SuiteResult

if TYPE_CHECKING:
    from harness.context import RunContext


@dataclass(frozen=True)
class RuleInfo:
    """One rule's metadata: the single source for the README's rule tables, SARIF and `--help`."""

    check: str  # the `check` of its findings
    id: str
    severity: Severity  # the default
    summary: str  # one line
    help: str = ""  # longer text; the summary when empty

    @property
    def key(self) -> str:
        return f"{self.check}/{self.id}"

    @property
    def full_help(self) -> str:
        return self.help or self.summary


@dataclass
class Outcome:
    """What one check produced."""

    findings: list[Finding] = field(default_factory=list)
    suites: list[SuiteResult] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # keyed by check, for the renderers
    timings: dict[str, float] = field(default_factory=dict)


class Check:
    """A check. Subclasses set the class attributes and implement `rules` and `run`."""

    name: ClassVar[str]
    summary: ClassVar[str]  # for --only/--skip help
    in_gate: ClassVar[bool] = True  # part of `harness check`
    # The text section drawn above the findings: module harness.report.<name> with `render_section`.
    text_section: ClassVar[str | None] = None

    def rules(self) -> list[RuleInfo]:
        return []

    def prepare(self, ctx: RunContext) -> None:
        """Check this check's arguments before anything starts (raise HarnessError)."""

    def needs_migrations(self, ctx: RunContext) -> bool:
        """Whether this run needs the engine and the migrated template (False: no database at all)."""
        return True

    def run(self, ctx: RunContext) -> Outcome:
        raise NotImplementedError
