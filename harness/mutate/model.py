"""What mutation testing deals in: a mutation (an operator's output), a mutant (a mutation placed in a
migration file) and its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pglast import ast

KILLED = "killed"
SURVIVED = "survived"
EQUIVALENT = "equivalent"  # changes nothing observable: same tree, or a reviewer's mark
STILLBORN = "stillborn"  # the mutated history does not apply
STATUSES = (KILLED, SURVIVED, EQUIVALENT, STILLBORN)


@dataclass(frozen=True)
class Mutation:
    """One way an operator breaks one statement."""

    description: str  # what changed, e.g. "USING → true"
    statement: ast.Node | None  # the mutated statement; None removes it


@dataclass(frozen=True)
class Mutant:
    """A mutation at its place in the migration history."""

    number: int  # 1-based, in file and statement order
    operator: str
    file: str  # relative to the project root
    file_index: int  # position of the file in the migration history
    line: int
    description: str
    before: str  # the statement, deparsed
    after: str  # the mutated statement, deparsed ("" when removed)
    sql: str  # the mutated file's whole text
    context: str = ""  # "" at the top level, else where the statement sits ("DO block", "function ...")
    equivalent: str | None = None  # why it is known to be equivalent (not run)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Killer:
    """What noticed a mutant: a failing pgTAP test (or suite), an audit finding, or the seed file."""

    kind: str  # "test" | "audit" | "seed"
    name: str  # the suite file, the finding's check/rule, or the seed file
    detail: str  # the failing test, the finding's message, the seed's error

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "detail": self.detail}

    def __str__(self) -> str:
        return f"{self.name}: {self.detail}" if self.detail else self.name


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    status: str
    killed_by: Killer | None = None
    reason: str | None = None  # equivalent: why; stillborn: the error
    suites_run: int = 0
    elapsed_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        m = self.mutant
        return {
            "id": m.number, "operator": m.operator, "file": m.file, "line": m.line, "context": m.context or None,
            "description": m.description, "before": m.before, "after": m.after, "status": self.status,
            "killed_by": self.killed_by.to_json() if self.killed_by else None, "reason": self.reason,
            "suites_run": self.suites_run, "elapsed_s": round(self.elapsed_s, 3),
        }


@dataclass
class Score:
    """killed / (killed + survived): equivalent and stillborn mutants do not count."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @classmethod
    def of(cls, outcomes: list[Outcome]) -> "Score":
        score = cls()
        for outcome in outcomes:
            score.counts[outcome.status] += 1
        return score

    @property
    def counted(self) -> int:
        return self.counts[KILLED] + self.counts[SURVIVED]

    @property
    def percent(self) -> float | None:
        """None when no mutant counts (nothing to measure)."""
        return round(100.0 * self.counts[KILLED] / self.counted, 1) if self.counted else None
