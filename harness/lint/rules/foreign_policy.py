"""A migration under review changes the row level security of a table that is not its own.

"Own" tables are those the change set creates; with `--whole-history`, those the file itself creates.
Platform tables (auth.users, storage.objects, ...) are never own, but creating a *new* policy on
storage.objects, storage.buckets or realtime.messages is the documented Supabase pattern and is fine;
altering, renaming or dropping an existing one is not.

Catches CREATE / ALTER / DROP / rename of a policy, ENABLE / DISABLE / FORCE / NO FORCE ROW LEVEL
SECURITY, and a CREATE OR REPLACE that changes the body of a function the policies of such a table
call (directly or through other functions), also inside DO blocks and literal EXECUTE strings.

Why it matters: a table's access rules belong with the migration that created it. A later migration
that quietly rewrites them (often a copy-pasted "fix" for another table) is how cross-tenant leaks
get in without anyone reviewing the table's security as a whole.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pglast import ast
from pglast.enums import ObjectType

from harness.changeset import OPEN_PLATFORM_TABLES
from harness.findings import Severity
from harness.lint.model import RLS_FLAGS
from harness.lint.rules.base import Hit, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import dotted, drop_keys, relation_name

RLS_VERBS = {
    ("rls", True): "enables row level security",
    ("rls", False): "disables row level security",
    ("forced", True): "forces row level security",
    ("forced", False): "stops forcing row level security",
}


def policy_changes(node: ast.Node) -> Iterator[tuple[str, str, str | None]]:
    """(table, what the statement does to it, the policy it creates or None) for every policy or RLS
    change of a statement."""
    if isinstance(node, ast.CreatePolicyStmt):
        yield relation_name(node.table), f"creates policy {node.policy_name!r}", node.policy_name
    elif isinstance(node, ast.AlterPolicyStmt):
        yield relation_name(node.table), f"alters policy {node.policy_name!r}", None
    elif isinstance(node, ast.RenameStmt) and node.renameType == ObjectType.OBJECT_POLICY:
        yield relation_name(node.relation), f"renames policy {node.subname!r}", None
    elif isinstance(node, ast.DropStmt) and node.removeType == ObjectType.OBJECT_POLICY:
        for _, table, name in drop_keys(node):
            yield table, f"drops policy {name!r}", None
    elif isinstance(node, ast.AlterTableStmt):
        for cmd in node.cmds or ():
            if cmd.subtype in RLS_FLAGS:
                yield relation_name(node.relation), RLS_VERBS[RLS_FLAGS[cmd.subtype]], None


def _dropped_or_altered(node: ast.Node) -> Iterator[tuple[str, str]]:
    """(table, policy) for every existing policy a statement alters, renames or drops."""
    if isinstance(node, ast.AlterPolicyStmt):
        yield relation_name(node.table), node.policy_name
    elif isinstance(node, ast.RenameStmt) and node.renameType == ObjectType.OBJECT_POLICY:
        yield relation_name(node.relation), node.subname
    elif isinstance(node, ast.DropStmt) and node.removeType == ObjectType.OBJECT_POLICY:
        for _, table, name in drop_keys(node):
            yield table, name


class ForeignPolicy(Rule):
    id = "foreign-policy"
    severity = Severity.ERROR

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        model = self.ctx.model
        touched = dict(_dropped_or_altered(stmt.node))
        for table, action, created in policy_changes(stmt.node):
            creator = model.creator(table)
            if self.ctx.own(creator, stmt.file):
                continue
            if table in OPEN_PLATFORM_TABLES and creator is None:
                name = created or touched.get(table)
                existing = model.policy(table, name) if name else None
                if existing is None or self.ctx.own(existing.statement.file, stmt.file):
                    continue  # a new policy (or one of this change's own) on storage/realtime: the documented pattern
            yield self.hit(stmt, f"{action} on {table}, {_owner(creator)}", table, created_by=creator)
        if isinstance(stmt.node, ast.CreateFunctionStmt):
            yield from self._redefined_function(stmt)

    def _redefined_function(self, stmt: Statement) -> Iterator[Hit]:
        model = self.ctx.model
        name = dotted(stmt.node.funcname)
        old = model.functions.get(name)
        if old is None or stmt.body is None or old.facts.key == stmt.body.key:
            return
        by_table: dict[str, list[str]] = {}
        for policy in model.policies_calling(name):
            creator = model.creator(policy.table)
            if self.ctx.own(creator, stmt.file):
                continue
            if policy.table in OPEN_PLATFORM_TABLES and creator is None and self.ctx.own(policy.statement.file, stmt.file):
                continue
            by_table.setdefault(policy.table, []).append(policy.name)
        for table, names in sorted(by_table.items()):
            policies = ", ".join(repr(n) for n in sorted(names))
            yield self.hit(
                stmt,
                f"changes the body of {name}(), which policies {policies} on {table} call; "
                f"{_owner(model.creator(table))}",
                table,
                created_by=model.creator(table),
                function=name,
            )


def _owner(creator: str | None) -> str:
    if creator is None:
        return "a table no migration of this project creates"
    return f"a table created by {creator}"
