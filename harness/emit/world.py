"""The world the emitted suites build, planned from harness.toml alone (no database).

Tenants A and B with fixed ids (uuid5 of their names, so files are byte-identical between runs), two
members of every role in each, a signed-in user with no membership ("outsider"), and a user who is
nobody's member yet ("fresh user", for inserts into the member table). Members are the audit's
`Actor`s, so the audit's own scope rules and insert planner decide what each may do; their user id
is their label, which the emitted SQL turns into the real id (tests.get_supabase_uid's identifier).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pglast

from harness.audit.model import ANON, MEMBER, UNAFFILIATED, Actor, Tenant
from harness.audit.people import MEMBERS_PER_ROLE, anon_actor
from harness.audit.world import World
from harness.config import Config
from harness.sql.nodes import iter_nodes, relation_name
from harness.world import fixed_id

TENANTS = ("A", "B")
OUTSIDER = "outsider"
FRESH_USER = "fresh user"
FRESH_TENANT = "fresh"
# The insert planner renders templates; this one renders to "user|tenant|role", read back by `parse_probe`.
PROBE_TEMPLATE = "{user}|{tenant}|{role}"


@dataclass(frozen=True)
class EmitWorld:
    config: Config
    world: World  # the audit's world model, with labels for ids
    tenant_ids: dict[str, str]  # "A", "B", "fresh" -> fixed uuid
    member_tables: frozenset[str]
    tenant_tables: frozenset[str]
    probe_config: Config  # every template replaced by PROBE_TEMPLATE, for the audit's insert planner

    @property
    def members(self) -> list[Actor]:
        return [a for a in self.world.actors if a.kind == MEMBER]

    @property
    def actors(self) -> list[Actor]:
        """Who the suites impersonate, in file order: the first member of every role in A, then in B,
        role by role; then the outsider and anon."""
        ordered = [next(a for a in self.members if a.role == role and a.tenants == (tenant,))
                   for role in self.config.tenancy.roles for tenant in TENANTS]
        return [*ordered, *(a for a in self.world.actors if a.kind in (UNAFFILIATED, ANON))]


def _probe_config(config: Config) -> Config:
    """The configuration with every template replaced by PROBE_TEMPLATE (see `parse_probe`)."""
    tables = {name: replace(spec, row=PROBE_TEMPLATE if spec.row else None) for name, spec in config.tables.items()}
    tenancy = replace(config.tenancy, tenant=PROBE_TEMPLATE, member=PROBE_TEMPLATE)
    return replace(config, tables=tables, tenancy=tenancy)


def parse_probe(statement: str) -> tuple[str | None, str]:
    """(member label or None, tenant label) of a statement rendered from PROBE_TEMPLATE."""
    user, tenant, _role = statement.split("|")
    return user or None, tenant


def plan_world(config: Config) -> EmitWorld:
    tenants = {label: Tenant(label, label) for label in TENANTS}
    actors: list[Actor] = []
    for tenant in TENANTS:
        for role in config.tenancy.roles:
            for n in range(1, MEMBERS_PER_ROLE + 1):
                label = f"{role} {tenant}{n}"
                actors.append(Actor(label=label, persona=role, kind=MEMBER, db_role="authenticated", claims={},
                                    user_id=label, tenants=(tenant,), role=role))
    actors.append(Actor(label=OUTSIDER, persona="authenticated", kind=UNAFFILIATED, db_role="authenticated",
                        claims={}, user_id=OUTSIDER))
    actors.append(anon_actor())
    member_tables = frozenset(_inserted_tables(config.tenancy.member)) & set(config.tables)
    tenant_tables = frozenset(_inserted_tables(config.tenancy.tenant)) & set(config.tables) - member_tables
    world = World(tenants=tenants, actors=actors, tables={}, member_tables=set(member_tables),
                  tenant_tables=set(tenant_tables), spare_user=FRESH_USER, spare_tenant=FRESH_TENANT)
    ids = {label: str(fixed_id(f"emit:tenant:{label}")) for label in (*TENANTS, FRESH_TENANT)}
    return EmitWorld(config, world, ids, member_tables, tenant_tables, _probe_config(config))


def _inserted_tables(template: str) -> list[str]:
    """The tables a tenancy template inserts into (the audit observes this; we read the SQL)."""
    text = template.replace("{user}", str(fixed_id("user"))).replace("{tenant}", str(fixed_id("tenant")))
    try:
        statements = pglast.parse_sql(text.replace("{role}", "role"))
    except pglast.parser.ParseError:
        return []
    return [relation_name(node.relation) for node in iter_nodes(statements)
            if isinstance(node, pglast.ast.InsertStmt) and node.relation is not None]
