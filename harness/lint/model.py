"""The schema as the migrations build it, statement by statement: who created what, and the policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from pglast import ast
from pglast.enums import AlterTableType, ObjectType

from harness.lint.facts import facts_of
from harness.lint.statement import BodyFacts, Statement
from harness.sql.nodes import (
    KeyConstraint,
    added_elements,
    dotted,
    drop_keys,
    is_true,
    iter_nodes,
    option,
    qualify,
    relation_name,
    table_elements,
)

RLS_FLAGS = {
    AlterTableType.AT_EnableRowSecurity: ("rls", True),
    AlterTableType.AT_DisableRowSecurity: ("rls", False),
    AlterTableType.AT_ForceRowSecurity: ("forced", True),
    AlterTableType.AT_NoForceRowSecurity: ("forced", False),
}


@dataclass
class Policy:
    name: str
    table: str
    facts: BodyFacts
    statement: Statement
    command: str = "all"
    permissive: bool = True


@dataclass
class Relation:
    name: str  # schema-qualified
    kind: str  # "table", "partition", "view" or "matview"
    created_by: str | None  # the file that created it; None for tables no migration created (auth.users, ...)
    statement: Statement
    rls: bool = False
    forced: bool = False
    commented: bool = False
    security_invoker: bool = False
    reads: frozenset[str] = frozenset()  # for views: the relations the query reads
    policies: dict[str, Policy] = field(default_factory=dict)
    unique_columns: set[str] = field(default_factory=set)  # single-column primary keys and unique keys

    @property
    def schema(self) -> str:
        return self.name.split(".", 1)[0]


@dataclass
class Function:
    name: str
    created_by: str
    facts: BodyFacts
    statement: Statement


def table_of(node: ast.Node) -> str | None:
    """The relation a statement works on, when it has one."""
    for attr in ("relation", "table"):
        value = getattr(node, attr, None)
        if isinstance(value, ast.RangeVar):
            return relation_name(value)
    return None


def view_reads(query: ast.Node) -> frozenset[str]:
    ctes = {cte.ctename for node in iter_nodes(query) if isinstance(node, ast.WithClause) for cte in node.ctes}
    return frozenset(
        relation_name(node)
        for node in iter_nodes(query)
        if isinstance(node, ast.RangeVar) and not (node.schemaname is None and node.relname in ctes)
    )


class SchemaModel:
    """Relations, functions and policies after every statement applied so far."""

    def __init__(self) -> None:
        self.relations: dict[str, Relation] = {}
        self.functions: dict[str, Function] = {}
        self._created: dict[str, list[Relation]] = {}  # file -> relations it created, in order

    def created_in(self, file: str) -> list[Relation]:
        """The relations `file` created that still exist: what end-of-file rules look at, so a file
        costs what it creates, not the size of the history."""
        return [r for r in self._created.get(file, ()) if self.relations.get(r.name) is r and r.created_by == file]

    def creator(self, table: str) -> str | None:
        relation = self.relations.get(table)
        return relation.created_by if relation else None

    def closure(self, calls: frozenset[str]) -> dict[str, list[str]]:
        """Every known function reachable from `calls`, with the call path that reaches it."""
        paths: dict[str, list[str]] = {}
        todo = [(name, [name]) for name in calls]
        while todo:
            name, path = todo.pop()
            function = self.functions.get(name)
            if function is None or name in paths:
                continue
            paths[name] = path
            todo.extend((callee, path + [callee]) for callee in function.facts.calls)
        return paths

    def policy(self, table: str, name: str) -> Policy | None:
        relation = self.relations.get(table)
        return relation.policies.get(name) if relation else None

    def policies_calling(self, function: str) -> list[Policy]:
        """Policies whose expressions call `function`, directly or through other known functions."""
        return [
            policy
            for relation in self.relations.values()
            for policy in relation.policies.values()
            if function in self.closure(policy.facts.calls)
        ]

    def apply(self, stmt: Statement) -> None:
        handler = getattr(self, "_apply_" + type(stmt.node).__name__, None)
        if handler is not None:
            handler(stmt, stmt.node)

    def _create(self, stmt: Statement, name: str, kind: str, replace: bool = False) -> Relation:
        existing = self.relations.get(name)
        if existing is not None and existing.created_by is None:
            existing.created_by, existing.kind, existing.statement = stmt.file, kind, stmt
            self._created.setdefault(stmt.file, []).append(existing)
        if existing is not None and (replace or existing.kind == kind):
            if replace:
                existing.statement = stmt
            return existing
        relation = Relation(name, kind, stmt.file, stmt)
        self.relations[name] = relation
        self._created.setdefault(stmt.file, []).append(relation)
        return relation

    def _apply_CreateStmt(self, stmt: Statement, node: ast.CreateStmt) -> None:
        if node.relation.relpersistence == "t":
            return
        relation = self._create(stmt, relation_name(node.relation), "partition" if node.partbound else "table")
        self._add_keys(relation, table_elements(node.tableElts))

    def _apply_CreateTableAsStmt(self, stmt: Statement, node: ast.CreateTableAsStmt) -> None:
        if node.into.rel.relpersistence != "t":
            kind = "matview" if node.objtype == ObjectType.OBJECT_MATVIEW else "table"
            self._create(stmt, relation_name(node.into.rel), kind).reads = view_reads(node.query)

    def _apply_ViewStmt(self, stmt: Statement, node: ast.ViewStmt) -> None:
        relation = self._create(stmt, relation_name(node.view), "view", replace=True)
        invoker = option(node.options, "security_invoker")
        relation.security_invoker = invoker is not None and is_true(invoker.arg)
        relation.reads = view_reads(node.query)

    def _apply_IndexStmt(self, stmt: Statement, node: ast.IndexStmt) -> None:
        relation = self.relations.get(relation_name(node.relation))
        params: tuple[Any, ...] = node.indexParams or ()
        if relation is not None and node.unique and len(params) == 1 and params[0].name and not node.whereClause:
            relation.unique_columns.add(params[0].name)

    def _known(self, name: str, stmt: Statement) -> Relation:
        """The relation, or a placeholder for one no migration created (so its policies are tracked too)."""
        relation = self.relations.get(name)
        if relation is None:
            relation = self.relations[name] = Relation(name, "table", None, stmt)
        return relation

    def _apply_AlterTableStmt(self, stmt: Statement, node: ast.AlterTableStmt) -> None:
        if node.objtype != ObjectType.OBJECT_TABLE and relation_name(node.relation) not in self.relations:
            return
        relation = self._known(relation_name(node.relation), stmt)
        for cmd in node.cmds or ():
            if cmd.subtype in RLS_FLAGS:
                attr, value = RLS_FLAGS[cmd.subtype]
                setattr(relation, attr, value)
            elif cmd.subtype in (AlterTableType.AT_SetRelOptions, AlterTableType.AT_ResetRelOptions):
                invoker = option(cmd.def_, "security_invoker")
                if invoker is not None:
                    relation.security_invoker = cmd.subtype == AlterTableType.AT_SetRelOptions and is_true(invoker.arg)
        self._add_keys(relation, added_elements(node))

    def _add_keys(self, relation: Relation, elements: Iterable[object]) -> None:
        for element in elements:
            if isinstance(element, KeyConstraint) and element.kind != "foreign" and len(element.columns) == 1:
                relation.unique_columns.add(element.columns[0])

    def _apply_CommentStmt(self, stmt: Statement, node: ast.CommentStmt) -> None:
        if node.objtype in (ObjectType.OBJECT_TABLE, ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW):
            relation = self.relations.get(dotted(node.object))
            if relation is not None:
                relation.commented = node.comment is not None

    def _apply_CreatePolicyStmt(self, stmt: Statement, node: ast.CreatePolicyStmt) -> None:
        table = relation_name(node.table)
        facts = facts_of([node.qual, node.with_check])
        policy = Policy(node.policy_name, table, facts, stmt, node.cmd_name or "all", bool(node.permissive))
        self._known(table, stmt).policies[node.policy_name] = policy

    def _apply_AlterPolicyStmt(self, stmt: Statement, node: ast.AlterPolicyStmt) -> None:
        relation = self.relations.get(relation_name(node.table))
        policy = relation.policies.get(node.policy_name) if relation else None
        if policy is not None and (node.qual is not None or node.with_check is not None):
            old = policy.facts
            new = facts_of([node.qual, node.with_check])
            policy.facts = BodyFacts(old.calls | new.calls, old.reads_user_metadata or new.reads_user_metadata)

    def _apply_CreateFunctionStmt(self, stmt: Statement, node: ast.CreateFunctionStmt) -> None:
        name = dotted(node.funcname)
        facts = stmt.body or BodyFacts()
        existing = self.functions.get(name)
        created_by = existing.created_by if existing else stmt.file
        self.functions[name] = Function(name, created_by, facts, stmt)

    def _apply_RenameStmt(self, stmt: Statement, node: ast.RenameStmt) -> None:
        if node.relation is None:
            return
        old = relation_name(node.relation)
        relation = self.relations.get(old)
        if relation is None:
            return
        if node.renameType == ObjectType.OBJECT_POLICY and node.subname in relation.policies:
            policy = relation.policies.pop(node.subname)
            policy.name = node.newname
            relation.policies[node.newname] = policy
        elif node.renameType in (ObjectType.OBJECT_TABLE, ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW):
            relation.name = qualify(node.relation.schemaname, node.newname)
            self.relations[relation.name] = self.relations.pop(old)

    def _apply_DropStmt(self, stmt: Statement, node: ast.DropStmt) -> None:
        for key in drop_keys(node):
            if key[0] == "policy":
                relation = self.relations.get(key[1])
                if relation is not None:
                    relation.policies.pop(key[2], None)
            elif key[0] in ("table", "view", "matview"):
                self.relations.pop(key[1], None)
