"""The two-tenant world every command impersonates (the audit, explain, the pytest plugin; the
emitted suites render the same plan as SQL).

    world = plan_world(config)                          # who exists, with fixed ids (no database)
    world = create_world(conn, config, world)           # ... created as a superuser, in conn's transaction
    world.persona("coordinator", "B")                   # a PostgREST request identity (harness.personas)
    world.members[("A", "peer_mentor")]                 # a member's user id
    world.pre_request                                   # PostgREST's db-pre-request function, if any
"""

from __future__ import annotations

from harness.world.build import WorldError, create_world, plan_world
from harness.world.model import Actor, Tenant, World, fixed_id

__all__ = ["Actor", "Tenant", "World", "WorldError", "create_world", "fixed_id", "plan_world"]
