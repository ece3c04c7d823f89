"""The world the emitted suites build, planned from harness.toml alone (no database).

Tenants A and B with fixed ids (uuid5 of their names, so files are byte-identical between runs), two
members of every role in each, a signed-in user with no membership ("outsider"), and a user who is
nobody's member yet ("fresh user", for inserts into the member table). Members are the audit's
`Actor`s, so the audit's own scope rules and insert planner decide what each may do; their user id
is their label, which the emitted SQL turns into the real id (tests.get_supabase_uid's identifier).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from harness.config import Config
from harness.world import World, fixed_id, plan_world as plan_shared_world
from harness.world.model import ANON, MEMBER, TENANTS, UNAFFILIATED, Actor, Tenant

OUTSIDER = "outsider"
FRESH_USER = "fresh user"
FRESH_TENANT = "fresh"
# The insert planner renders templates; this one renders to "user<NUL>tenant<NUL>role", read back by
# `parse_probe`. NUL, because it is the one character no label can hold (PostgreSQL text cannot store it),
# while a role name may hold `|` or any other printable character.
PROBE_SEPARATOR = "\0"
PROBE_TEMPLATE = PROBE_SEPARATOR.join(("{user}", "{tenant}", "{role}"))


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
    user, tenant, _role = statement.split(PROBE_SEPARATOR)
    return user or None, tenant


def plan_world(config: Config) -> EmitWorld:
    """The shared world's plan (harness.world), its members, outsider and anon named by label."""
    shared = plan_shared_world(config)
    actors: list[Actor] = []
    for actor in shared.actors:
        if actor.kind == MEMBER:
            actors.append(replace(actor, user_id=actor.label, claims={}))
        elif actor.kind == UNAFFILIATED:
            actors.append(replace(actor, label=OUTSIDER, user_id=OUTSIDER, claims={}))
        elif actor.kind == ANON:
            actors.append(actor)
    member_tables = frozenset(shared.member_tables) & set(config.tables)
    tenant_tables = frozenset(shared.tenant_tables) & set(config.tables) - member_tables
    tenants = {label: Tenant(label, label) for label in TENANTS}
    world = World(tenants=tenants, actors=actors, member_tables=set(member_tables),
                  tenant_tables=set(tenant_tables), spare_user=FRESH_USER, spare_tenant=FRESH_TENANT)
    ids = {label: str(fixed_id(f"emit:tenant:{label}")) for label in (*TENANTS, FRESH_TENANT)}
    return EmitWorld(config, world, ids, member_tables, tenant_tables, _probe_config(config))
