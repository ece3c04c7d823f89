"""A GRANT (or ALTER DEFAULT PRIVILEGES) gives `anon` something in an API schema.

Why it matters: `anon` is everyone on the internet who has the public anon key. A grant to it is
sometimes intended (a public catalogue), but it should be a decision someone reviewed, with RLS
and policies that say exactly which rows.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pglast import ast
from pglast.enums import GrantTargetType

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule
from harness.lint.statement import Statement
from harness.sql.nodes import dotted, option, relation_name, role_names


def granted_objects(grant: ast.GrantStmt, schemas: tuple[str, ...] = ()) -> Iterator[str]:
    """Names of what a grant covers: objects, `schema.*` for ALL ... IN SCHEMA and default privileges."""
    if grant.targtype == GrantTargetType.ACL_TARGET_OBJECT:
        for obj in grant.objects or ():
            if isinstance(obj, ast.RangeVar):
                yield relation_name(obj)
            elif isinstance(obj, ast.ObjectWithArgs):
                yield dotted(obj.objname)
    else:
        names = [o.sval for o in grant.objects or () if isinstance(o, ast.String)] or list(schemas)
        yield from (f"{schema}.*" for schema in names)


class GrantToAnon(Rule):
    id = "grant-to-anon"
    severity = Severity.WARNING

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        schemas: tuple[str, ...] = ()
        if isinstance(node, ast.AlterDefaultPrivilegesStmt):
            in_schemas = option(node.options, "schemas")
            schemas = tuple(s.sval for s in in_schemas.arg) if in_schemas else tuple(sorted(self.ctx.api_schemas))
            node = node.action
        if not isinstance(node, ast.GrantStmt) or not node.is_grant or "anon" not in role_names(node.grantees):
            return
        exposed = [name for name in granted_objects(node, schemas) if self.ctx.in_api(name)]
        if exposed:
            privileges = ", ".join(p.priv_name for p in node.privileges or ()) or "all"
            table = exposed[0] if len(exposed) == 1 and not exposed[0].endswith(".*") else None
            yield self.hit(
                stmt, f"grants {privileges} on {', '.join(exposed)} to anon (anyone with the anon key)", table
            )
