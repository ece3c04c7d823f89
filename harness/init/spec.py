"""The harness.toml `harness init` writes: the recognised tenancy model as templates, one section per
table of the API schemas, and (with --record) the access each persona has today as its spec.

Everything written is escaped: TOML strings by harness.toml_text, SQL identifiers by
harness.init.recognise.ident. Nothing of this repository's own subject is ever written: when the
model cannot be recognised the templates are empty and the file says what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

from harness import toml_text as T
from harness.audit.record import Recorded
from harness.init.recognise import AUTH_USERS, Recognised, TableInfo, insert_template, qualified

OWNER_PERSONA = "primary_owner"


def _tenant_value(found: Recognised) -> tuple[str, tuple[TableInfo, str, str] | None]:
    """The SQL that puts tenant `{tenant}` into a column referencing the tenant's key."""
    assert found.tenant is not None
    if found.tenant_handle and found.tenant_key and found.tenant_handle != found.tenant_key:
        return f"t.{found.tenant_key}", (found.tenant, found.tenant_key, found.tenant_handle)
    return "'{tenant}'", None


def tenancy_lines(found: Recognised) -> list[str]:
    lines = ["[tenancy]", f"# recognised: {found.description}"]
    if found.model == "user-owned" or found.tenant is None or found.member is None:
        lines += ["# no tenant table: every signed-in user is a member of role \"user\" on its own",
                  'tenant = ""', 'member = ""', f"roles = {T.array(found.roles or ['user'])}", ""]
        return lines
    fixed_tenant = {found.tenant_handle or found.tenant_key or "id": "'{tenant}'"}
    if found.primary_owner:
        fixed_tenant[found.primary_owner] = "'{owner}'"
        lines.append(f"# {{owner}}: a user the world creates per tenant as its primary owner "
                     f"(persona \"{OWNER_PERSONA}\")")
    value, through = _tenant_value(found)
    fixed_member = {found.member_user or "user_id": "'{user}'", found.member_tenant or "tenant_id": value}
    if found.role_column:
        fixed_member[found.role_column] = "'{role}'"
    lines += [
        f"# {found.tenant.name} is the tenant table, {found.member.name} the member table",
        f"tenant = {T.string(insert_template(found.tenant, fixed_tenant))}",
        f"member = {T.string(insert_template(found.member, fixed_member, through))}",
        f"roles = {T.array(found.roles)}",
        "",
    ]
    return lines


def table_lines(table: TableInfo, found: Recognised, access: Mapping[str, Mapping[str, str]] | None,
                personas: list[str]) -> list[str]:
    lines = [f"[tables.{T.string(table.name)}]"]
    owner = tenant_col = None
    if found.member is not None and table.name == found.member.name:
        owner, tenant_col = found.member_user, found.member_tenant
    elif found.tenant is not None and table.name == found.tenant.name:
        owner, tenant_col = found.primary_owner, found.tenant_key
    else:
        users = table.references(AUTH_USERS)
        profile = found.member if found.model == "organisation-profile" else None
        owners = (table.references(profile.name) if profile else []) or users
        owner = owners[0] if owners else None
        tenants = table.references(found.tenant.name) if found.tenant else []
        tenant_col = tenants[0] if tenants else None
        fixed: dict[str, str] = {}
        through = None
        if owner:
            fixed[owner] = "'{user}'"
        if tenant_col:
            fixed[tenant_col], through = _tenant_value(found)
        if fixed:
            lines.append(f"row = {T.string(insert_template(table, fixed, through))}")
    if owner:
        lines.append(f"owner = {T.string(owner)}")
    if tenant_col:
        lines.append(f"tenant = {T.string(tenant_col)}")
    if not table.primary_key:
        unique = [c for c in table.unique]
        lines.append(f"key = {T.string(unique[0])}" if unique else
                     "# TODO: no primary key or unique column: set `key` to the columns that address one row")
    if not owner and not tenant_col:
        lines.append("# no owner or tenant column: scoped as a whole (all / none)")
    if not table.rls:
        lines.append("# WARNING: row level security is not enabled on this table")
    lines += ["", f"[tables.{T.string(table.name)}.access]"]
    if access is not None:
        lines.append("# observed — review: what each persona could do when `harness init --record` ran")
        for persona, scopes in access.items():
            lines.append(f"{T.key(persona)} = {T.inline_table(dict(scopes))}")
    else:
        member_scope = "own" if owner else "tenant" if tenant_col else "none"
        lines += ["# TODO: what each persona may do; until written, the audit expects no access at all",
                  "# (or run `harness init --record` to write what the database allows today). For example:"]
        for persona in personas:
            scope = "none" if persona in ("anon", "authenticated") else member_scope
            lines.append(f"# {persona} = {{ select = \"{scope}\" }}")
    lines.append("")
    return lines


def draft_text(tables: list[TableInfo], found: Recognised, api_schemas: tuple[str, ...],
               recorded: Recorded | None = None, notes: list[str] | None = None) -> str:
    lines = [
        "# harness.toml drafted by `harness init` from the migrated catalog. Check the guesses, then the",
        "# access spec of each table: it is what the audit proves. Reference: the README's configuration section.",
    ]
    for missing in found.missing:
        lines.append(f"# MISSING: {missing}")
    for note in notes or []:
        lines.append(f"# NOTE: {note}")
    lines += ["", "[project]", f"api_schemas = {T.array(list(api_schemas))}", ""]
    lines += tenancy_lines(found)
    personas = [*found.roles, *([OWNER_PERSONA] if found.primary_owner else []), "anon", "authenticated"]
    for table in tables:
        if table.name == AUTH_USERS or table.schema not in api_schemas:
            continue
        lines += table_lines(table, found, (recorded or {}).get(table.name, {}) if recorded is not None else None,
                             personas)
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["OWNER_PERSONA", "draft_text", "qualified"]
