"""What every rule is: an id, a severity, a docstring, and hooks that return hits."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

from pglast import ast

from harness.findings import Severity
from harness.lint.model import SchemaModel
from harness.lint.policies import PolicyStatement, policy_of
from harness.lint.statement import Statement
from harness.sql.nodes import relation_name


@dataclass
class LintContext:
    """What rules may read: the schema model (before the current statement), the API schemas, the file."""

    model: SchemaModel
    api_schemas: frozenset[str]
    file: str = ""
    reviewed: frozenset[str] | None = None  # the files under review (the change set); None: every file
    # The files of the change set; None for the whole history, where each file is its own change.
    changed: frozenset[str] | None = None

    def own(self, creator: str | None, file: str) -> bool:
        """Whether an object created by `creator` belongs to the change that `file` is part of."""
        if creator is None:
            return False
        if self.changed is None or file not in self.changed:
            return creator == file  # the whole history, or a shipped file: each file is its own change
        return creator in self.changed

    def in_api(self, name: str) -> bool:
        return name.split(".", 1)[0] in self.api_schemas

    def under_review(self, file: str) -> bool:
        return self.reviewed is None or file in self.reviewed

    def existed_before(self, table: str, must_exist: bool = True) -> bool:
        """Whether `table` exists before the files under review, so breaking changes and lock hazards
        on it matter: the one place rules ask "did the change set create this table?".

        A table a shipped migration created, or no migration at all (auth.users, a table made in the
        dashboard), existed before; one a file under review created did not (with the whole history
        under review, that is every table a migration created). A table the model has never seen
        existed when the statement requires it (`must_exist`: an ALTER without IF EXISTS).
        """
        relation = self.model.relations.get(table)
        if relation is None:
            return must_exist
        return relation.created_by is None or not self.under_review(relation.created_by)

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


class ExistingTableRule(Rule):
    """A rule about ALTER TABLE commands on a table that existed before the change set: override `command`."""

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        if not isinstance(node, ast.AlterTableStmt):
            return ()
        table = relation_name(node.relation)
        if not self.ctx.existed_before(table, must_exist=not node.missing_ok):
            return ()
        return [hit for cmd in node.cmds or () for hit in self.command(stmt, table, cmd)]

    def command(self, stmt: Statement, table: str, cmd: ast.AlterTableCmd) -> Iterable[Hit]:
        return ()
