"""A statement that fails, or does its work again, when the migrations are applied a second time.

Catches CREATE TABLE / INDEX / SEQUENCE / SCHEMA / EXTENSION / VIEW / FUNCTION / TRIGGER / POLICY /
TYPE / DOMAIN / PUBLICATION / EVENT TRIGGER / ROLE without its guard, ADD COLUMN / ADD CONSTRAINT /
DROP without IF [NOT] EXISTS, renames, INSERT without ON CONFLICT (or a NOT EXISTS guard), COPY FROM,
ALTER TYPE ... ADD VALUE without IF NOT EXISTS and ALTER PUBLICATION ADD/DROP TABLE. Guards: IF [NOT]
EXISTS, OR REPLACE, a DROP ... IF EXISTS of the same object earlier in the file, ON CONFLICT, or a DO
block that checks the catalog first (IF over pg_* / information_schema / to_reg*) or catches
duplicate_object-style errors.

Why it matters: `harness migrate` applies every migration twice because real deployments re-run
them (a failed deploy retried, a branch database reset, a squashed history). A migration that only
works once breaks those days, usually in production.
"""

from __future__ import annotations

from typing import Callable, Iterable

from pglast import ast
from pglast.enums import AlterPublicationAction, AlterTableType, ObjectType, SubLinkType

from harness.findings import Severity
from harness.lint.model import table_of
from harness.lint.rules.base import Hit, LintContext, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import (
    dotted,
    drop_keys,
    iter_nodes,
    object_kind,
    qualify,
    relation_name,
    role_names,
)

Key = tuple[str, ...]


class NotIdempotent(Rule):
    id = "not-idempotent"
    severity = Severity.ERROR

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.dropped: set[Key] = set()  # objects dropped IF EXISTS earlier in this file

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        self._remember_drops(stmt.node)
        if stmt.guarded:
            return
        check = CHECKS.get(type(stmt.node))
        for problem in check(stmt.node, self.dropped) if check else ():
            yield self.hit(stmt, problem, table_of(stmt.node))

    def end_file(self) -> Iterable[Hit]:
        self.dropped.clear()
        return ()

    def _remember_drops(self, node: ast.Node) -> None:
        if isinstance(node, ast.DropStmt) and node.missing_ok:
            self.dropped.update(drop_keys(node))
        elif isinstance(node, ast.DropRoleStmt) and node.missing_ok:
            self.dropped.update(("role", role) for role in role_names(node.roles))
        elif isinstance(node, ast.AlterTableStmt):
            table = relation_name(node.relation)
            for cmd in node.cmds or ():
                if cmd.missing_ok and cmd.subtype == AlterTableType.AT_DropConstraint:
                    self.dropped.add(("constraint", table, cmd.name))
                elif cmd.missing_ok and cmd.subtype == AlterTableType.AT_DropColumn:
                    self.dropped.add(("column", table, cmd.name))


CATALOG_CHECK = "guard it with a catalog check in a DO block"
DROP_FIRST = "drop it IF EXISTS first or create it in a DO block that checks the catalog"


def _unless(guarded: bool, what: str, fix: str = "") -> list[str]:
    """No problem when guarded, else "<what> fails on the second run[; <fix>]"."""
    return [] if guarded else [f"{what} fails on the second run" + (f"; {fix}" if fix else "")]


def _create_table(node: ast.CreateStmt, dropped: set[Key]) -> list[str]:
    name = relation_name(node.relation)
    guarded = node.if_not_exists or ("table", name) in dropped or node.relation.relpersistence == "t"
    return _unless(guarded, f"CREATE TABLE {name} without IF NOT EXISTS")


def _create_as(node: ast.CreateTableAsStmt, dropped: set[Key]) -> list[str]:
    name = relation_name(node.into.rel)
    kind = object_kind(node.objtype)
    guarded = node.if_not_exists or (kind, name) in dropped or node.into.rel.relpersistence == "t"
    label = "MATERIALIZED VIEW" if kind == "matview" else kind.upper()
    return _unless(guarded, f"CREATE {label} {name} without IF NOT EXISTS")


def _if_not_exists(what: Callable[[ast.Node], str]) -> Callable[[ast.Node, set[Key]], list[str]]:
    return lambda node, dropped: _unless(node.if_not_exists, f"CREATE {what(node)} without IF NOT EXISTS")


def _index(node: ast.IndexStmt, dropped: set[Key]) -> list[str]:
    if node.idxname is None:
        table = relation_name(node.relation)
        return [f"an unnamed index on {table} is created again on every run; name it and add IF NOT EXISTS"]
    name = qualify(node.relation.schemaname, node.idxname)
    guarded = node.if_not_exists or ("index", name) in dropped
    return _unless(guarded, f"CREATE INDEX {node.idxname} without IF NOT EXISTS")


def _needs_drop(kind: str, label: str, name: Callable[[ast.Node], Key]) -> Callable[[ast.Node, set[Key]], list[str]]:
    def check(node: ast.Node, dropped: set[Key]) -> list[str]:
        key = (kind, *name(node))
        shown = key[1] if len(key) == 2 else f"{key[2]} ON {key[1]}"
        fix = ("use OR REPLACE, " if hasattr(node, "replace") else "") + DROP_FIRST
        return _unless(getattr(node, "replace", False) or key in dropped, f"CREATE {label} {shown}", fix)

    return check


def _alter_table(node: ast.AlterTableStmt, dropped: set[Key]) -> list[str]:
    table = relation_name(node.relation)
    problems = []
    for cmd in node.cmds or ():
        if cmd.subtype == AlterTableType.AT_AddColumn and not cmd.missing_ok:
            column = cmd.def_.colname
            problems += _unless(("column", table, column) in dropped, f"ADD COLUMN {column} without IF NOT EXISTS")
        elif cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            name = cmd.def_.conname
            guarded = name is not None and ("constraint", table, name) in dropped
            problems += _unless(guarded, f"ADD CONSTRAINT {name or '(unnamed)'}", "DROP CONSTRAINT IF EXISTS first")
        elif cmd.subtype in (AlterTableType.AT_DropColumn, AlterTableType.AT_DropConstraint):
            what = "COLUMN" if cmd.subtype == AlterTableType.AT_DropColumn else "CONSTRAINT"
            problems += _unless(cmd.missing_ok, f"DROP {what} {cmd.name} without IF EXISTS")
        elif cmd.subtype == AlterTableType.AT_AttachPartition:
            problems += _unless(False, f"ATTACH PARTITION {relation_name(cmd.def_.name)}", CATALOG_CHECK)
    return problems


def _rename(node: ast.RenameStmt, dropped: set[Key]) -> list[str]:
    # IF EXISTS covers a renamed table; a renamed column of a table that exists still fails
    guarded = node.missing_ok and node.renameType != ObjectType.OBJECT_COLUMN
    return _unless(guarded, f"RENAME to {node.newname}", CATALOG_CHECK)


def _drop(node: ast.DropStmt, dropped: set[Key]) -> list[str]:
    kind = object_kind(node.removeType).replace("_", " ").upper()
    return _unless(node.missing_ok, f"DROP {kind} without IF EXISTS")


def _drop_role(node: ast.DropRoleStmt, dropped: set[Key]) -> list[str]:
    return _unless(node.missing_ok, "DROP ROLE without IF EXISTS")


def _insert(node: ast.InsertStmt, dropped: set[Key]) -> list[str]:
    guarded = node.onConflictClause is not None or _has_not_exists(node.selectStmt)
    table = relation_name(node.relation)
    return (
        [] if guarded else [f"INSERT INTO {table} without ON CONFLICT adds its rows again (or fails) on the second run"]
    )


def _has_not_exists(select: ast.Node | None) -> bool:
    """INSERT ... SELECT ... WHERE NOT EXISTS (...): the classic idempotent insert."""
    where = getattr(select, "whereClause", None)
    for node in iter_nodes(where):
        if isinstance(node, ast.BoolExpr) and node.boolop.name == "NOT_EXPR":
            if any(isinstance(a, ast.SubLink) and a.subLinkType == SubLinkType.EXISTS_SUBLINK for a in node.args):
                return True
    return False


def _copy(node: ast.CopyStmt, dropped: set[Key]) -> list[str]:
    table = relation_name(node.relation) if node.relation else "(query)"
    return [f"COPY {table} FROM adds its rows again on the second run"] if node.is_from else []


def _alter_enum(node: ast.AlterEnumStmt, dropped: set[Key]) -> list[str]:
    guarded = node.newVal is None or node.oldVal is not None or node.skipIfNewValExists
    return _unless(guarded, f"ALTER TYPE {dotted(node.typeName)} ADD VALUE without IF NOT EXISTS")


def _alter_publication(node: ast.AlterPublicationStmt, dropped: set[Key]) -> list[str]:
    guarded = node.action == AlterPublicationAction.AP_SetObjects
    return _unless(guarded, f"ALTER PUBLICATION {node.pubname} ADD/DROP", "use SET, or a catalog check")


CHECKS: dict[type, Callable[..., list[str]]] = {
    ast.CreateStmt: _create_table,
    ast.CreateTableAsStmt: _create_as,
    ast.CreateSeqStmt: _if_not_exists(lambda n: f"SEQUENCE {relation_name(n.sequence)}"),
    ast.CreateSchemaStmt: _if_not_exists(lambda n: f"SCHEMA {n.schemaname}"),
    ast.CreateExtensionStmt: _if_not_exists(lambda n: f"EXTENSION {n.extname}"),
    ast.IndexStmt: _index,
    ast.CreateEnumStmt: _needs_drop("type", "TYPE", lambda n: (dotted(n.typeName),)),
    ast.CompositeTypeStmt: _needs_drop("type", "TYPE", lambda n: (relation_name(n.typevar),)),
    ast.CreateRangeStmt: _needs_drop("type", "TYPE", lambda n: (dotted(n.typeName),)),
    ast.CreateDomainStmt: _needs_drop("domain", "DOMAIN", lambda n: (dotted(n.domainname),)),
    ast.CreateTrigStmt: _needs_drop("trigger", "TRIGGER", lambda n: (relation_name(n.relation), n.trigname)),
    ast.CreatePolicyStmt: _needs_drop("policy", "POLICY", lambda n: (relation_name(n.table), n.policy_name)),
    ast.CreateFunctionStmt: _needs_drop("function", "FUNCTION", lambda n: (dotted(n.funcname),)),
    ast.ViewStmt: _needs_drop("view", "VIEW", lambda n: (relation_name(n.view),)),
    ast.CreatePublicationStmt: _needs_drop("publication", "PUBLICATION", lambda n: (n.pubname,)),
    ast.CreateEventTrigStmt: _needs_drop("event_trigger", "EVENT TRIGGER", lambda n: (n.trigname,)),
    ast.CreateRoleStmt: _needs_drop("role", "ROLE", lambda n: (n.role,)),
    ast.AlterTableStmt: _alter_table,
    ast.RenameStmt: _rename,
    ast.DropStmt: _drop,
    ast.DropRoleStmt: _drop_role,
    ast.InsertStmt: _insert,
    ast.CopyStmt: _copy,
    ast.AlterEnumStmt: _alter_enum,
    ast.AlterPublicationStmt: _alter_publication,
}
