"""`harness init`: a starter harness.toml drafted from the migrated catalog.

It guesses what it can see (the tenant table, the member table and its roles, each table's owner
and tenant columns, a `row` template per table) and leaves the access spec for the user to write,
with comments that say how. Guesses are marked as such in the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg

TENANT_WORDS = ("organisation", "organization", "org", "tenant", "team", "account", "workspace", "company",
                "chapter", "club", "school", "group")
AUTH_USERS = "auth.users"


@dataclass(frozen=True)
class TableInfo:
    name: str
    rls: bool
    primary_key: list[str]
    columns: list[dict[str, Any]]
    foreign_keys: list[dict[str, Any]]
    checks: list[str]

    def references(self, table: str) -> list[str]:
        return [fk["column"] for fk in self.foreign_keys if fk["references"] == table]

    def column(self, name: str) -> dict[str, Any] | None:
        return next((c for c in self.columns if c["name"] == name), None)


def read_tables(conn: psycopg.Connection, schemas: tuple[str, ...]) -> list[TableInfo]:
    query = (resources.files("harness.init") / "tables.sql").read_bytes()
    tables = [TableInfo(name, rls, list(pk), columns or [], fks, [c["definition"] for c in checks])
              for name, rls, pk, columns, fks, checks in conn.execute(query).fetchall()]
    return [t for t in tables if t.name.split(".", 1)[0] in schemas or t.name == AUTH_USERS]


def _bare(table: str) -> str:
    return table.split(".", 1)[1].strip('"')


def guess_tenant(tables: list[TableInfo]) -> TableInfo | None:
    def referenced(t: TableInfo) -> int:
        return sum(len(other.references(t.name)) for other in tables if other is not t)

    named = [t for t in tables if t.name != AUTH_USERS and any(w in _bare(t.name).lower() for w in TENANT_WORDS)]
    pool = named or [t for t in tables if t.name != AUTH_USERS and referenced(t) > 0]
    return max(pool, key=referenced, default=None)


def guess_member(tables: list[TableInfo], tenant: TableInfo | None) -> TableInfo | None:
    if tenant is None:
        return None
    candidates = [t for t in tables if t.references(AUTH_USERS) and t.references(tenant.name)]
    # A profile (its key is the auth user's id) beats a membership table.
    return max(candidates, key=lambda t: (bool(set(t.references(AUTH_USERS)) & set(t.primary_key)),
                                          bool(role_column(t))), default=None)


def role_column(table: TableInfo) -> tuple[str, list[str]] | None:
    """A `role`-like column with a CHECK that lists its values."""
    for definition in table.checks:
        match = re.search(r"\(\(?(\w*role\w*)\b.*?(?:ANY \(ARRAY\[|IN \()(.*?)\]?\)", definition, re.IGNORECASE)
        if match:
            values = re.findall(r"'((?:[^']|'')*)'", match.group(2))
            if values:
                return match.group(1), values
    return None


SAMPLES = {
    "uuid": "gen_random_uuid()", "text": "'sample'", "character varying": "'sample'", "integer": "1",
    "bigint": "1", "smallint": "1", "numeric": "1", "boolean": "false", "date": "current_date",
    "timestamp with time zone": "now()", "timestamp without time zone": "now()", "jsonb": "'{}'", "json": "'{}'",
    "double precision": "1", "real": "1",
}


def _sample(table: TableInfo, column: dict[str, Any]) -> str:
    for definition in table.checks:
        if re.search(rf"\b{re.escape(column['name'])}\b", definition):
            values = re.findall(r"'((?:[^']|'')*)'", definition)
            if values:
                return f"'{values[0]}'"
    base = re.sub(r"\(.*\)", "", column["type"]).strip()
    return SAMPLES.get(base, "null /* TODO: a value of type " + column["type"] + " */")


def insert_template(table: TableInfo, fixed: dict[str, str]) -> str:
    """An INSERT of `fixed` columns plus every required column with a sample value."""
    columns = list(fixed)
    values = list(fixed.values())
    for column in table.columns:
        if column["required"] and column["name"] not in fixed:
            columns.append(column["name"])
            values.append(_sample(table, column))
    return f"insert into {table.name} ({', '.join(columns)}) values ({', '.join(values)})"


def draft(tables: list[TableInfo], api_schemas: tuple[str, ...]) -> str:
    tenant = guess_tenant(tables)
    member = guess_member(tables, tenant)
    lines = [
        "# harness.toml drafted by `harness init` from the migrations. The guesses are marked; check",
        "# them, then write each table's access spec: it is what the audit proves.",
        "# Reference: the README's configuration section.",
        "",
        "[project]",
        'migrations = "supabase/migrations"',
        'tests = "supabase/tests"',
        'seed = "supabase/seed.sql"',
        f"api_schemas = {json.dumps(list(api_schemas))}",
        "",
    ]
    roles: list[str] = []
    member_user_col = member_tenant_col = None
    if tenant and member:
        member_user_col = member.references(AUTH_USERS)[0]
        member_tenant_col = member.references(tenant.name)[0]
        found = role_column(member)
        fixed = {member_user_col: "'{user}'", member_tenant_col: "'{tenant}'"}
        if found:
            fixed[found[0]] = "'{role}'"
            roles = found[1]
        tenant_key = tenant.primary_key[0] if tenant.primary_key else "id"
        lines += [
            "[tenancy]",
            f"# guessed: {tenant.name} is the tenant table, {member.name} the member table",
            f"tenant = {json.dumps(insert_template(tenant, {tenant_key: chr(39) + '{tenant}' + chr(39)}))}",
            f"member = {json.dumps(insert_template(member, fixed))}",
            f"roles = {json.dumps(roles)}" + ("" if roles else "  # TODO: the member roles (no CHECK lists them)"),
            "",
        ]
    else:
        lines += ["# TODO: [tenancy] could not be guessed: no tenant table referenced by a table that also",
                  "# references auth.users. See the README for `tenant`, `member` and `roles`.", ""]
    personas = [*roles, "anon", "authenticated"]
    for table in tables:
        if table.name == AUTH_USERS:
            continue
        lines += _table_section(table, tenant, member, member_user_col, member_tenant_col, personas)
    return "\n".join(lines).rstrip() + "\n"


def _table_section(table: TableInfo, tenant: TableInfo | None, member: TableInfo | None,
                   member_user_col: str | None, member_tenant_col: str | None, personas: list[str]) -> list[str]:
    lines = [f'[tables."{table.name}"]']
    owner = tenant_col = None
    if member is not None and table.name == member.name:
        owner, tenant_col = member_user_col, member_tenant_col
    elif tenant is not None and table.name == tenant.name:
        tenant_col = tenant.primary_key[0] if tenant.primary_key else None
    else:
        owners = (table.references(member.name) if member else []) or table.references(AUTH_USERS)
        owner = owners[0] if owners else None
        tenants = table.references(tenant.name) if tenant else []
        tenant_col = tenants[0] if tenants else None
        fixed = {}
        if owner:
            fixed[owner] = "'{user}'"
        if tenant_col:
            fixed[tenant_col] = "'{tenant}'"
        if fixed:
            lines.append(f"row = {json.dumps(insert_template(table, fixed))}")
    if owner:
        lines.append(f'owner = "{owner}"  # guessed')
    if tenant_col:
        lines.append(f'tenant = "{tenant_col}"  # guessed')
    if not owner and not tenant_col:
        lines.append("# no owner or tenant column found: scoped as a whole (all / none)")
    if not table.rls:
        lines.append("# WARNING: row level security is not enabled on this table")
    lines += [
        "",
        f'[tables."{table.name}".access]',
        "# TODO: what each persona may do; until written, the audit expects no access at all.",
        "# scopes: none | own | tenant | all; operations: select, insert, update, delete, or all. For example:",
    ]
    member_scope = "own" if owner else "tenant" if tenant_col else "none"
    for persona in personas:
        scope = "none" if persona in ("anon", "authenticated") else member_scope
        lines.append(f'# {persona} = {{ select = "{scope}" }}')
    lines.append("")
    return lines
