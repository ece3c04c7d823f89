"""Every difference between the catalog the migrations build and the live project's, as a
`policy-drift` finding with both versions side by side.

Compared, for the project's own schemas (the API schemas, and every schema Supabase does not
manage): which tables exist, their RLS flags (enabled, forced), their policies, the functions those
policies call, and, in the API schemas, the grants on every table and view. In the schemas Supabase
manages (auth, storage, ...) only the policies of tables both sides have: what migrations add there
(storage.objects policies, typically) is the project's; the rest is the platform's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.findings import Finding, Severity
from harness.migrate.snapshot import show_value
from harness.remote.surface import Grant, Relation, Surface

RULE = "policy-drift"
MIGRATIONS, LIVE = "migrations", "live"
# Schemas that belong to the Supabase platform, not to the project's migrations.
MANAGED_SCHEMAS = frozenset({
    "auth", "storage", "extensions", "realtime", "_realtime", "graphql", "graphql_public", "vault", "pgsodium",
    "pgsodium_masks", "supabase_functions", "supabase_migrations", "net", "cron", "pgbouncer", "_analytics",
    "pgmq", "pgtle", "topology", "tiger", "tiger_data", "_supavisor",
})
# The platform's administrative roles: their grants are Supabase's plumbing, not the project's access model.
PLATFORM_ROLES = frozenset({
    "supabase_admin", "supabase_read_only_user", "supabase_replication_admin", "supabase_realtime_admin",
    "supabase_etl_admin",
})
MAINTAIN_SINCE = 170000  # the MAINTAIN privilege exists from PostgreSQL 17 on


@dataclass(frozen=True)
class Scope:
    api_schemas: tuple[str, ...]

    def owned(self, schema: str) -> bool:
        """A schema whose every table the migrations should build."""
        return schema in self.api_schemas or schema not in MANAGED_SCHEMAS

    def exposed(self, schema: str) -> bool:
        return schema in self.api_schemas


def compare(migrations: Surface, live: Surface, scope: Scope) -> list[Finding]:
    """Every drift of `live` from `migrations`; nothing when they match."""
    ignored = _unshared_privileges(migrations, live)
    findings: list[Finding] = []
    for name in sorted(migrations.relations.keys() | live.relations.keys()):
        local, remote = migrations.relations.get(name), live.relations.get(name)
        schema = (local or remote).schema  # type: ignore[union-attr]
        if local is None or remote is None:
            if scope.owned(schema) and ((local or remote).kind == "table" or scope.exposed(schema)):  # type: ignore[union-attr]
                findings.append(_existence(local, remote))
            continue
        if scope.owned(schema):
            findings.extend(_flags(local, remote))
        findings.extend(_policies(local, remote))
        if scope.exposed(schema):
            findings.extend(_grants(local, remote, ignored))
    findings.extend(_functions(migrations, live, scope))
    return findings


def _finding(table: str, message: str, obj: str, before: Any, after: Any, **more: Any) -> Finding:
    return Finding(
        check="audit",
        rule=RULE,
        severity=Severity.ERROR,
        message=message,
        table=table,
        evidence={"object": obj, MIGRATIONS: before, LIVE: after, **more},
    )


def _existence(local: Relation | None, remote: Relation | None) -> Finding:
    if local is None:
        assert remote is not None
        return _finding(remote.name, f"the live project has this {remote.kind}, but no migration creates it",
                        remote.kind, None, remote.summary())
    return _finding(local.name, f"the migrations create this {local.kind}, but the live project does not have it "
                                "(migrations not deployed, or dropped by hand)", local.kind, local.summary(), None)


def _flags(local: Relation, remote: Relation) -> list[Finding]:
    if local.kind != "table":
        return []
    out = []
    if local.rls != remote.rls:
        live = "enabled" if remote.rls else "disabled"
        mine = "enable it" if local.rls else "leave it disabled"
        out.append(_finding(local.name, f"row level security is {live} on the live project; the migrations {mine}",
                            "row level security", local.rls, remote.rls))
    if local.force_rls != remote.force_rls:
        live = "forced" if remote.force_rls else "not forced"
        mine = "force it" if local.force_rls else "do not force it"
        out.append(_finding(local.name, f"row level security is {live} on the live project; the migrations {mine}",
                            "forced row level security", local.force_rls, remote.force_rls))
    return out


def _policies(local: Relation, remote: Relation) -> list[Finding]:
    out = []
    for name in sorted(local.policies.keys() | remote.policies.keys()):
        a, b = _policy(local.policies.get(name)), _policy(remote.policies.get(name))
        obj = f'policy "{name}"'
        if a == b:
            continue
        if b is None:
            out.append(_finding(local.name, f"{obj} is missing on the live project (the migrations create it)",
                                obj, a, b))
        elif a is None:
            out.append(_finding(local.name, f"{obj} exists on the live project, but no migration creates it: "
                                            f"{_policy_text(b)}", obj, a, b))
        else:
            keys = _differing(a, b)
            out.append(_finding(local.name, f"{obj} differs on the live project: {_side_by_side(a, b, keys)}",
                                obj, a, b, differs=keys))
    return out


def _policy(policy: dict[str, Any] | None) -> dict[str, Any] | None:
    """Roles as a sorted list: policy_surface.sql aggregates them in catalog order, which is no meaning."""
    if policy is None or not isinstance(policy.get("roles"), list):
        return policy
    return policy | {"roles": sorted(policy["roles"])}


def _policy_text(policy: dict[str, Any]) -> str:
    kind = "permissive" if policy.get("permissive", True) else "restrictive"
    text = f"{kind} for {policy.get('command')} to {', '.join(policy.get('roles') or ['public'])}"
    if policy.get("using") is not None:
        text += f" using ({show_value(policy['using'])})"
    if policy.get("with check") is not None:
        text += f" with check ({show_value(policy['with check'])})"
    return text


def _unshared_privileges(migrations: Surface, live: Surface) -> frozenset[str]:
    """Privilege kinds one of the two servers does not have (MAINTAIN before 17): not drift."""
    if min(migrations.server_version_num, live.server_version_num) < MAINTAIN_SINCE:
        return frozenset({"MAINTAIN"})
    return frozenset()


def _grants(local: Relation, remote: Relation, ignored: frozenset[str]) -> list[Finding]:
    skip = PLATFORM_ROLES | {local.owner, remote.owner}  # an owner's own rights are implicit

    def by_grantee(grants: frozenset[Grant]) -> dict[str, set[Grant]]:
        out: dict[str, set[Grant]] = {}
        for grant in grants:
            if grant.grantee not in skip and grant.privilege not in ignored:
                out.setdefault(grant.grantee, set()).add(grant)
        return out

    mine, theirs = by_grantee(local.grants), by_grantee(remote.grants)
    out = []
    for grantee in sorted(mine.keys() | theirs.keys()):
        a, b = mine.get(grantee, set()), theirs.get(grantee, set())
        if a == b:
            continue
        only_live = sorted(g.text() for g in b - a)
        only_migrations = sorted(g.text() for g in a - b)
        parts = []
        if only_live:
            parts.append(f"granted only on the live project: {', '.join(only_live)}")
        if only_migrations:
            parts.append(f"granted by the migrations but not on the live project: {', '.join(only_migrations)}")
        obj = f"grants to {grantee}"
        out.append(_finding(local.name, f"{obj} differ: {'; '.join(parts)}", obj,
                            sorted(g.text() for g in a), sorted(g.text() for g in b),
                            only_live=only_live, only_migrations=only_migrations))
    return out


def _functions(migrations: Surface, live: Surface, scope: Scope) -> list[Finding]:
    """Functions of the project's schemas that policies call on both sides, defined differently live.

    The platform's functions (auth.uid() and the like) and extensions' are not the migrations' to
    compare; a policy that calls a function on one side only is already a policy difference.
    """
    out = []
    for name in sorted(migrations.functions.keys() & live.functions.keys()):
        a, b = migrations.functions[name], live.functions[name]
        if not scope.owned(a.schema) or a.extension_member or b.extension_member:
            continue
        keys = _differing(_comparable(a.definition), _comparable(b.definition))
        if not keys:
            continue
        tables = sorted(set(a.tables) | set(b.tables))
        obj = f"function {name}"
        out.append(_finding(tables[0], f"{obj}, which the policies of {', '.join(tables)} call, differs on the live "
                                       f"project: {_side_by_side(a.definition, b.definition, keys)}",
                            obj, a.definition, b.definition, differs=keys, called_by=tables))
    return out


def _comparable(definition: dict[str, Any]) -> dict[str, Any]:
    """A function as compared: a body that differs only in line endings or trailing blanks is the same."""
    body = definition.get("body")
    if not isinstance(body, str):
        return definition
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return definition | {"body": "\n".join(line.rstrip() for line in lines).strip()}


def _differing(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [key for key in sorted(a.keys() | b.keys()) if a.get(key) != b.get(key)]


def _side_by_side(a: dict[str, Any], b: dict[str, Any], keys: list[str]) -> str:
    return "; ".join(f"{key}: migrations {show_value(a.get(key))}, live {show_value(b.get(key))}" for key in keys)
