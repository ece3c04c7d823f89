"""`-- harness: ignore foreign-policy <reason>` for the dynamic check.

The dynamic check sees net catalog changes, not statements, so a suppression written for the lint
rule is honoured by table: the tables that the suppressed statement names are waived for that file
(`ignore-file foreign-policy` waives every table). Typical use: policies on `storage.objects`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pglast import parse_sql
from pglast.ast import (
    AlterPolicyStmt,
    AlterTableStmt,
    CreatePolicyStmt,
    DoStmt,
    DropStmt,
    Node,
    RangeVar,
    String,
)
from pglast.enums import ObjectType
from pglast.parser import ParseError

from harness.migrate.statements import split_statements
from harness.sql.source import SourceText
from harness.sql.suppressions import parse_suppressions

RULE = "foreign-policy"
# Inside DO blocks and EXECUTE strings the tree is not at hand: what follows `on` / `alter table`.
TABLE_IN_TEXT = re.compile(r"\b(?:on|alter\s+table(?:\s+if\s+exists)?)\s+(?:only\s+)?([A-Za-z_\"][\w\".$]*)", re.I)


@dataclass(frozen=True)
class Waivers:
    every_table: bool = False
    tables: frozenset[str] = field(default_factory=frozenset)

    def waives(self, table: str) -> bool:
        return self.every_table or table in self.tables


def foreign_policy_waivers(text: str) -> Waivers:
    if "harness:" not in text.lower():
        return Waivers()
    source = SourceText(text)
    suppressions = parse_suppressions(source, {RULE})
    if RULE in suppressions.file_rules:
        return Waivers(every_table=True)
    tables: set[str] = set()
    for statement in split_statements(text):
        line, _ = source.position(statement.offset)
        if suppressions.covers(RULE, [line], source):
            tables |= tables_named(statement.sql)
    return Waivers(tables=frozenset(tables))


def _qualify(parts: list[str]) -> str:
    return ".".join(parts if len(parts) > 1 else ["public", *parts])


def tables_named(statement: str) -> set[str]:
    try:
        tree = parse_sql(statement)
    except ParseError:
        tree = None
    found: set[str] = set()
    for raw in tree or ():
        stmt = raw.stmt
        if isinstance(stmt, (CreatePolicyStmt, AlterPolicyStmt)):
            found.add(_name(stmt.table))
        elif isinstance(stmt, AlterTableStmt):
            found.add(_name(stmt.relation))
        elif isinstance(stmt, DropStmt) and stmt.removeType == ObjectType.OBJECT_POLICY:
            for names in stmt.objects or ():
                found.add(_qualify([n.sval for n in names if isinstance(n, String)][:-1]))
        else:  # a function or anything else: every table it names
            found |= {_name(node) for node in _walk(stmt) if isinstance(node, RangeVar)}
    if tree is None or any(isinstance(raw.stmt, DoStmt) for raw in tree):
        for match in TABLE_IN_TEXT.finditer(statement):
            found.add(_qualify(match.group(1).replace('"', "").split(".")))
    return found


def _name(relation: RangeVar) -> str:
    return _qualify([p for p in (relation.schemaname, relation.relname) if p])


def _walk(node: object) -> list[object]:
    out: list[object] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Node):
            out.append(item)
            stack.extend(getattr(item, name) for name in item)
    return out
