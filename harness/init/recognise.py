"""Which tenancy model a migrated project follows, read from its catalog (issue 17, item 3):

- (a) "organisation-profile": a profile per user (its key is the auth user) naming its tenant and a role;
- (b) "accounts": tenants with a primary owner (basejump-style accounts: personal and team accounts, a
  membership table with a role), in any schema;
- (c) "claims": a membership table whose trigger keeps the user's app_metadata (the JWT claims);
- (d) "user-owned": no tenant at all, rows belong to the user who wrote them;
- (e) "membership": a join table between users and tenants, with a role column.

Tenant keys of any type: when the tenant's primary key is not a uuid but it has a unique uuid column,
`{tenant}` goes into that column and every other template finds the key through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import psycopg
from pglast.keywords import RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

AUTH_USERS = "auth.users"
MODELS = {
    "organisation-profile": "(a) organisation + profile with a role column",
    "accounts": "(b) accounts with a primary owner and a membership table with a role",
    "claims": "(c) group membership with roles carried in JWT app_metadata claims (kept by a trigger)",
    "user-owned": "(d) user-owned rows only",
    "membership": "(e) a membership join table with a role column",
}
TENANT_WORDS = ("organisation", "organization", "org", "tenant", "team", "account", "workspace", "company",
                "group", "project", "club", "school")
SAMPLES = {
    "uuid": "gen_random_uuid()", "text": "'sample'", "character varying": "'sample'", "integer": "1",
    "bigint": "1", "smallint": "1", "numeric": "1", "boolean": "false", "date": "current_date",
    "timestamp with time zone": "now()", "timestamp without time zone": "now()", "jsonb": "'{}'", "json": "'{}'",
    "double precision": "1", "real": "1",
}


@dataclass(frozen=True)
class TableInfo:
    name: str
    rls: bool
    primary_key: list[str]
    columns: list[dict[str, Any]]
    foreign_keys: list[dict[str, Any]]
    unique: list[str]
    checks: list[str]
    maintains_claims: bool = False

    def references(self, table: str) -> list[str]:
        return [fk["column"] for fk in self.foreign_keys if fk["references"] == table]

    def column(self, name: str) -> dict[str, Any] | None:
        return next((c for c in self.columns if c["name"] == name), None)

    @property
    def schema(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def bare(self) -> str:
        return self.name.split(".", 1)[1].strip('"')


def read_catalog(conn: psycopg.Connection) -> list[TableInfo]:
    query = (resources.files("harness.init") / "catalog.sql").read_bytes()
    return [TableInfo(name, rls, list(pk), columns or [], fks, unique, checks, claims)
            for name, rls, pk, columns, fks, unique, checks, claims in conn.execute(query).fetchall()]


def ident(name: str) -> str:
    """An SQL identifier, quoted unless it is a plain lower-case name that is no keyword."""
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", name) and name not in RESERVED_KEYWORDS \
            and name not in TYPE_FUNC_NAME_KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(table: str) -> str:
    schema, _, name = table.partition(".")
    return f"{ident(schema.strip(chr(34)))}.{ident(name.strip(chr(34)))}"


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Recognised:
    model: str | None = None
    tenant: TableInfo | None = None
    member: TableInfo | None = None
    member_user: str | None = None  # the member table's column naming the user
    member_tenant: str | None = None  # ... and the tenant
    role_column: str | None = None
    roles: list[str] = field(default_factory=list)
    tenant_key: str | None = None  # the tenant's key other tables reference
    tenant_handle: str | None = None  # the uuid column `{tenant}` is written into
    primary_owner: str | None = None  # the tenant's column naming its primary owner (`{owner}`)
    missing: list[str] = field(default_factory=list)  # what could not be guessed, said exactly

    @property
    def description(self) -> str:
        return MODELS.get(self.model or "", "no tenancy model recognised")


def role_values(table: TableInfo) -> tuple[str, list[str]] | None:
    """A role-like column and its values: from an enum type or a CHECK that lists them."""
    for column in table.columns:
        if "role" in column["name"].lower() and column.get("enum"):
            return column["name"], list(column["enum"])
    for definition in table.checks:
        match = re.search(r"\(\(?(\w*role\w*)\b.*?(?:ANY \(ARRAY\[|IN \()(.*?)\]?\)", definition, re.IGNORECASE)
        if match:
            values = re.findall(r"'((?:[^']|'')*)'", match.group(2))
            if values:
                return match.group(1), [v.replace("''", "'") for v in values]
    return None


def _references_user(table: TableInfo) -> list[str]:
    return table.references(AUTH_USERS)


def recognise(tables: list[TableInfo]) -> Recognised:
    project = [t for t in tables if t.name != AUTH_USERS]
    by_name = {t.name: t for t in project}
    referenced = {t.name: sum(len(o.references(t.name)) for o in project if o is not t) for t in project}
    candidates: list[tuple[tuple[int, ...], TableInfo, TableInfo]] = []
    for table in project:
        users = _references_user(table)
        if not users:
            continue
        for fk in table.foreign_keys:
            tenant = by_name.get(fk["references"])
            if tenant is None or tenant is table or _references_user(tenant) == [] and tenant.name == table.name:
                continue
            score = (bool(role_values(table)), any(w in tenant.bare.lower() for w in TENANT_WORDS),
                     referenced[tenant.name], bool(set(users) & set(table.primary_key)))
            candidates.append((tuple(int(s) for s in score), table, tenant))
    found = Recognised()
    if not candidates:
        if any(_references_user(t) for t in project):
            found.model = "user-owned"
            found.roles = ["user"]
        else:
            found.missing.append("no table references auth.users: no member table and no user-owned rows to audit")
        return found
    _, member, tenant = max(candidates, key=lambda c: c[0])
    found.member, found.tenant = member, tenant
    found.member_user = _references_user(member)[0]
    found.member_tenant = member.references(tenant.name)[0]
    key = next((fk["referenced_column"] for fk in member.foreign_keys if fk["column"] == found.member_tenant), None)
    found.tenant_key = key or (tenant.primary_key[0] if tenant.primary_key else None)
    found.tenant_handle = _handle(tenant, found.tenant_key)
    if found.tenant_handle is None:
        found.missing.append(f"{tenant.name} has no uuid key or unique uuid column to hold the world's tenant "
                             "ids: write [tenancy] tenant and member by hand")
    roles = role_values(member)
    if roles:
        found.role_column, found.roles = roles
    else:
        found.missing.append(f"{member.name} has no role column with an enum type or a CHECK listing its values: "
                             "write [tenancy] roles (and put '{role}' where the role goes)")
        found.roles = ["member"]
    owners = [c for c in _references_user(tenant)
              if (col := tenant.column(c)) and col["not_null"] and "auth.uid()" in (col.get("default") or "")
              or (col and col["required"])]
    found.primary_owner = owners[0] if owners else None
    if found.primary_owner:
        found.model = "accounts"
    elif member.maintains_claims:
        found.model = "claims"
    elif set(member.primary_key) == {found.member_user}:
        found.model = "organisation-profile"
    else:
        found.model = "membership"
    return found


def _handle(tenant: TableInfo, key: str | None) -> str | None:
    column = tenant.column(key or "")
    if column is not None and column["type"] == "uuid":
        return key
    return next((c["name"] for c in tenant.columns if c["type"] == "uuid" and c["name"] in tenant.unique), None)


def sample(table: TableInfo, column: dict[str, Any], placeholder: str = "{tenant}") -> str:
    """A value for a required column: a value its CHECK lists, a unique one per tenant, or a typed sample."""
    if column.get("enum"):
        return literal(column["enum"][0])
    for definition in table.checks:
        if re.search(rf"\b{re.escape(column['name'])}\b", definition):
            values = re.findall(r"'((?:[^']|'')*)'", definition)
            if values:
                return literal(values[0].replace("''", "'"))
    base = re.sub(r"\(.*\)", "", column["type"]).strip()
    if column["name"] in table.unique and base in ("text", "character varying"):
        return literal(f"{column['name']}-{placeholder}")
    return SAMPLES.get(base, f"null /* TODO: a value of type {column['type']} */")


def _needs_value(table: TableInfo, column: dict[str, Any]) -> bool:
    """Required, or unique text that a CHECK ties to other columns (a team account's slug)."""
    if column.get("generated"):
        return False
    if column["required"]:
        return True
    base = re.sub(r"\(.*\)", "", column["type"]).strip()
    return column["name"] in table.unique and base in ("text", "character varying") \
        and any(re.search(rf"\b{re.escape(column['name'])}\b", c) for c in table.checks)


def insert_template(table: TableInfo, fixed: dict[str, str], through: tuple[TableInfo, str, str] | None = None,
                    placeholder: str = "{tenant}") -> str:
    """An INSERT of `fixed` columns (SQL expressions) plus every column that needs a value. `through`
    (tenant table, key, handle): the tenant column's value is looked up by `{tenant}` in its handle."""
    columns = list(fixed)
    values = list(fixed.values())
    for column in table.columns:
        if column["name"] not in fixed and _needs_value(table, column):
            columns.append(column["name"])
            values.append(sample(table, column, placeholder))
    names = ", ".join(ident(c) for c in columns)
    if through is None:
        return f"insert into {qualified(table.name)} ({names}) values ({', '.join(values)})"
    tenant, _key, handle = through
    return (f"insert into {qualified(table.name)} ({names}) select {', '.join(values)} "
            f"from {qualified(tenant.name)} as t where t.{ident(handle)} = '{{tenant}}'")
