"""A GRANT (or ALTER DEFAULT PRIVILEGES) gives `anon` something in an API schema.

Grants equal to Supabase's defaults are not reported: `grant all on table|sequence|function public.x
to anon` and `alter default privileges ... in schema public grant all on tables|sequences|functions
to anon`, which `supabase db dump` and `db diff` write for every object. Once the project revokes
anon's privileges (on the object, or its default privileges in `public`), such a grant is a decision
again and is reported.

Why it matters: `anon` is everyone on the internet who has the public anon key. A grant to it is
sometimes intended (a public catalogue), but it should be a decision someone reviewed, with RLS
and policies that say exactly which rows.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pglast import ast
from pglast.enums import GrantTargetType, ObjectType

from harness.findings import Severity
from harness.lint.rules.base import Hit, LintContext, Rule
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


# Supabase grants ALL on these to anon, authenticated and service_role by default (in `public` only).
DEFAULT_SCHEMA = "public"
DEFAULT_KINDS = {
    ObjectType.OBJECT_TABLE,
    ObjectType.OBJECT_SEQUENCE,
    ObjectType.OBJECT_FUNCTION,
    ObjectType.OBJECT_ROUTINE,
}


class GrantToAnon(Rule):
    id = "grant-to-anon"
    severity = Severity.WARNING

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.revoked: set[str] = set()  # objects, and `public.*` for default privileges, revoked from anon

    def statement(self, stmt: Statement) -> Iterable[Hit]:
        node = stmt.node
        schemas: tuple[str, ...] = ()
        if isinstance(node, ast.AlterDefaultPrivilegesStmt):
            in_schemas = option(node.options, "schemas")
            schemas = tuple(s.sval for s in in_schemas.arg) if in_schemas else tuple(sorted(self.ctx.api_schemas))
            node = node.action
        if not isinstance(node, ast.GrantStmt) or "anon" not in role_names(node.grantees):
            return
        objects = list(granted_objects(node, schemas))
        if not node.is_grant:
            self.revoked.update(objects)
            return
        exposed = [name for name in objects if self.ctx.in_api(name) and not self.supabase_default(node, name)]
        if exposed:
            privileges = ", ".join(p.priv_name for p in node.privileges or ()) or "all"
            table = exposed[0] if len(exposed) == 1 and not exposed[0].endswith(".*") else None
            yield self.hit(
                stmt, f"grants {privileges} on {', '.join(exposed)} to anon (anyone with the anon key)", table
            )

    def supabase_default(self, grant: ast.GrantStmt, name: str) -> bool:
        """The grant gives what Supabase's default privileges already give, and the project kept them."""
        per_object = grant.targtype == GrantTargetType.ACL_TARGET_OBJECT
        defaults = grant.targtype == GrantTargetType.ACL_TARGET_DEFAULTS
        return (
            (per_object or defaults)
            and not grant.privileges
            and not grant.grant_option
            and grant.objtype in DEFAULT_KINDS
            and name.split(".", 1)[0] == DEFAULT_SCHEMA
            and f"{DEFAULT_SCHEMA}.*" not in self.revoked
            and name not in self.revoked
        )
