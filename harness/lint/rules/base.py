"""What every rule is: an id, a severity, a docstring, and hooks that return hits."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

from harness.findings import Severity
from harness.lint.model import SchemaModel
from harness.lint.policies import PolicyStatement, policy_of
from harness.lint.statement import Statement


@dataclass
class LintContext:
    """What rules may read: the schema model (before the current statement), the API schemas, the file."""

    model: SchemaModel
    api_schemas: frozenset[str]
    file: str = ""

    def in_api(self, name: str) -> bool:
        return name.split(".", 1)[0] in self.api_schemas

    def command_of(self, policy: PolicyStatement) -> str:
        """The command of a policy; ALTER POLICY cannot change it, so the model knows."""
        if policy.command is not None:
            return policy.command
        known = self.model.policy(policy.table, policy.name)
        return known.command if known else "all"


@dataclass(frozen=True)
class Hit:
    """A rule's finding before the engine adds file, position and suppression handling."""

    rule: str
    severity: Severity
    message: str
    stmt: Statement
    table: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


class Rule:
    """One lint rule. Subclasses set `id` and `severity` and override the hooks they need.

    The module docstring is the rule's documentation: its first paragraph is the summary.
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        """Called for every statement, in order, before the model applies it."""
        return ()

    def end_file(self) -> Iterable[Hit]:
        """Called after the last statement of a file was applied to the model."""
        return ()

    def end_project(self) -> Iterable[Hit]:
        """Called after the last file."""
        return ()

    def hit(
        self, stmt: Statement, message: str, table: str | None = None, severity: Severity | None = None, **evidence: Any
    ) -> Hit:
        return Hit(self.id, severity or self.severity, message, stmt, table, evidence)

    @classmethod
    def documentation(cls) -> str:
        return (sys.modules[cls.__module__].__doc__ or "").strip()

    @classmethod
    def summary(cls) -> str:
        return " ".join(cls.documentation().split("\n\n", 1)[0].split())


class PolicyRule(Rule):
    """A rule about CREATE POLICY / ALTER POLICY statements: override `policy`."""

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        policy = policy_of(stmt.node)
        return () if policy is None else self.policy(stmt, policy)

    def policy(self, stmt: Statement, policy: PolicyStatement) -> Iterable[Hit]:
        return ()
