"""A migration names a table, column, constraint, index, policy, trigger, function, type or schema
with more than 63 bytes.

Why it matters: PostgreSQL silently truncates identifiers to 63 bytes (NAMEDATALEN - 1), with only a
NOTICE. The object exists under a different name than the migration says, so two long policy or
constraint names that share their first 63 bytes collide ("already exists"), and tools that compare
names (the Supabase dashboard, `supabase db diff`, tests naming the policy) see a name nobody wrote.
Multi-byte characters count by their UTF-8 bytes.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from pglast import ast

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import iter_nodes

NAMEDATALEN = 64
# A quoted identifier or a word of 61 bytes or more somewhere in the statement: only then is the tree
# walked (bytes, so that multi-byte characters count as PostgreSQL counts them).
LONG_WORD = re.compile(rb'"[^"]{61,}"|[\w$\x80-\xff]{61,}')

# Node type -> attributes that declare a name.
DECLARING = {
    ast.ColumnDef: ("colname",),
    ast.Constraint: ("conname",),
    ast.IndexStmt: ("idxname",),
    ast.CreatePolicyStmt: ("policy_name",),
    ast.CreateTrigStmt: ("trigname",),
    ast.CreateSchemaStmt: ("schemaname",),
    ast.RenameStmt: ("newname",),
    ast.CreateEventTrigStmt: ("trigname",),
}
# Statements whose own relation or name list is what they create.
CREATED_RELATION = {
    ast.CreateStmt: "relation",
    ast.ViewStmt: "view",
    ast.CreateSeqStmt: "sequence",
}
CREATED_NAME_LIST = {
    ast.CreateFunctionStmt: "funcname",
    ast.CreateEnumStmt: "typeName",
    ast.CreateDomainStmt: "domainname",
}


def declared_names(node: ast.Node) -> Iterator[str]:
    """Every identifier a statement declares (not the ones it only refers to)."""
    for item in iter_nodes(node):
        for attr in DECLARING.get(type(item), ()):
            name = getattr(item, attr, None)
            if isinstance(name, str):
                yield name
    relation_attr = CREATED_RELATION.get(type(node))
    relation = getattr(node, relation_attr, None) if relation_attr else None
    if isinstance(node, ast.CreateTableAsStmt):
        relation = node.into.rel
    if isinstance(node, ast.CompositeTypeStmt):
        relation = node.typevar
    if isinstance(relation, ast.RangeVar):
        yield relation.relname
    names_attr = CREATED_NAME_LIST.get(type(node))
    if names_attr:
        names = getattr(node, names_attr, None) or ()
        if names and isinstance(names[-1], ast.String):
            yield names[-1].sval


def truncated(name: str) -> str:
    """The name as PostgreSQL keeps it: at most 63 bytes, cut between characters."""
    return name.encode()[: NAMEDATALEN - 1].decode(errors="ignore")


def written_identifiers(sql: str) -> Iterator[str]:
    """The identifiers of a statement as written (the parser has already truncated those of its tree)."""
    from pglast.parser import scan  # only for the rare statement that declares a name this long

    for token in scan(sql):
        if token.name != "IDENT":
            continue
        text = sql[token.start : token.end + 1]
        yield text[1:-1].replace('""', '"') if text.startswith('"') else text.lower()


class IdentifierTooLong(Rule):
    id = "identifier-too-long"
    severity = Severity.WARNING

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        if not LONG_WORD.search(stmt.text.encode()):
            return
        # Cut names are 61 to 63 bytes long in the tree (a cut never splits a character).
        declared = {name for name in declared_names(stmt.node) if len(name.encode()) >= NAMEDATALEN - 3}
        if not declared:
            return
        seen: set[str] = set()
        for name in written_identifiers(stmt.text):
            size = len(name.encode())
            if size >= NAMEDATALEN and truncated(name) in declared and name not in seen:
                seen.add(name)
                yield self.hit(
                    stmt,
                    f"identifier {name!r} is {size} bytes; PostgreSQL silently truncates it to {truncated(name)!r}",
                    bytes=size,
                )
