"""The world every command impersonates: tenants A and B, their members, and the outsiders.

One model for the audit, the emitted suites, explain and the pytest plugin (harness.world.build
creates it in a database). Ids are fixed (uuid5 of each label), so seeds, plans and emitted files are
reproducible.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from harness.personas import ANON as ANON_PERSONA
from harness.personas import SERVICE_ROLE, Persona

# How an actor relates to the spec's persona it is measured against.
MEMBER = "member"  # an ordinary member of one tenant
DUAL = "dual"  # a member of both tenants, same role in each (only with multi-membership)
UNAFFILIATED = "unaffiliated"  # signed in, no membership: the `authenticated` persona
ANON = "anon"  # the anon key
FORGED = "forged"  # put role names and the other tenant's id into its own user_metadata
OWNER = "owner"  # the primary owner of a tenant (`{owner}` in the tenant template); a member without a role

NAMESPACE = uuid.UUID("5f0b8a4e-2c1d-4f57-9a53-0e3c1a7b9d21")
TENANTS = ("A", "B")


def fixed_id(label: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, label)


@dataclass(frozen=True)
class Tenant:
    label: str  # "A" or "B"
    id: str  # the id the tenancy template was given ({tenant})
    key: str | None = None  # the tenant row's primary key, when it is not `id` (a bigint beside a uuid)
    owner: str | None = None  # its primary owner's user id ({owner})

    @property
    def value(self) -> str:
        """What a column that references the tenant holds."""
        return self.key or self.id

    def names(self, value: str | None) -> bool:
        return value is not None and value in (self.id, self.key)


@dataclass(frozen=True)
class Actor:
    """Somebody the world impersonates; the audit measures it against the spec of `persona`."""

    label: str  # unique, e.g. "coordinator A1", "coordinator A+B", "authenticated (forged org_admin)"
    persona: str  # a tenancy role, "authenticated" or "anon"
    kind: str
    db_role: str  # "anon" or "authenticated"
    claims: dict[str, Any]
    user_id: str | None = None
    tenants: tuple[str, ...] = ()  # labels of the tenants it is a member of
    role: str | None = None  # its tenancy role, for members
    forged: dict[str, Any] | None = None  # the user_metadata it forged
    forged_claim: str | None = None  # what that metadata claims, in words: "role org_admin in tenant B"

    @property
    def is_member(self) -> bool:
        return bool(self.tenants)

    def describe(self) -> str:
        """How a finding's message names this actor."""
        if self.kind == ANON:
            who = "anon"
        elif not self.tenants:
            who = "a signed-in user with no membership"
        elif len(self.tenants) > 1:
            who = f"{self.persona} of tenants {' and '.join(self.tenants)}"
        else:
            who = f"{self.persona} of tenant {self.tenants[0]}"
        if self.forged_claim:
            who += f" who forged user_metadata ({self.forged_claim})"
        return who

    def as_persona(self) -> Persona:
        """The request identity PostgREST would give this actor's access token."""
        user = uuid.UUID(self.user_id) if self.user_id else None
        tenant = self.tenants[0] if len(self.tenants) == 1 else None
        return Persona(name=self.persona, role=self.db_role, claims=self.claims, user_id=user, tenant=tenant)


@dataclass
class World:
    """Who exists. `actors` are everybody the world impersonates, anon included.

    The audit adds what it probes (`tables`, `rows`, `noop`: harness.audit.world)."""

    tenants: dict[str, Tenant]
    actors: list[Actor]
    member_tables: set[str] = field(default_factory=set)  # what tenancy.member inserts into
    tenant_tables: set[str] = field(default_factory=set)  # what tenancy.tenant inserts into
    multi_membership: bool = False  # the member template ran twice for one user: the A+B members exist
    spare_user: str = ""  # an auth user who is nobody's member: the "fresh user" of member inserts
    spare_tenant: str = ""  # a tenant id nobody has: the "fresh tenant" of tenant inserts
    pre_request: str | None = None  # PostgREST's db-pre-request function, run before every request

    @property
    def by_user(self) -> dict[str, Actor]:
        """Members by user id."""
        return {a.user_id: a for a in self.actors if a.user_id and a.tenants}

    def member_of(self, tenant: str, exclude: str | None = None) -> list[Actor]:
        return [a for a in self.actors if a.tenants == (tenant,) and a.forged is None and a.user_id != exclude]

    def tenant_label(self, tenant_id: str | None) -> str | None:
        """The label of the tenant a column value names (its id or its key)."""
        return next((t.label for t in self.tenants.values() if t.names(tenant_id)), None)

    # The small API of the pytest plugin and explain: one member of every role in each tenant.

    def actor(self, persona: str, tenant: str = "A") -> Actor:
        """The first ordinary member of role `persona` in `tenant`, or the built-in `authenticated` / `anon`."""
        for a in self.actors:
            if persona in ("anon", "authenticated") and a.kind in (ANON, UNAFFILIATED) and a.persona == persona:
                return a
            if a.kind == MEMBER and a.persona == persona and a.tenants == (tenant,):
                return a
        roles = sorted({a.persona for a in self.actors if a.kind == MEMBER})
        raise KeyError(f"no persona {persona!r} in tenant {tenant!r} (personas: service_role, anon, "
                       f"authenticated, {', '.join(roles)}; tenants: {', '.join(self.tenants)})")

    def persona(self, name: str, tenant: str = "A") -> Persona:
        """`tenant`'s member of the role `name`, or a built-in persona (service_role, anon, authenticated)."""
        if name == "service_role":
            return SERVICE_ROLE
        if name == "anon":
            return ANON_PERSONA
        return self.actor(name, tenant).as_persona()

    @property
    def members(self) -> dict[tuple[str, str], uuid.UUID]:
        """(tenant label, role) -> the user id of that tenant's first member of the role."""
        found: dict[tuple[str, str], uuid.UUID] = {}
        for a in self.actors:
            if a.kind == MEMBER and a.role and a.user_id:
                found.setdefault((a.tenants[0], a.role), uuid.UUID(a.user_id))
        return found

    @property
    def outsider(self) -> uuid.UUID:
        """The signed-in user with no membership."""
        return uuid.UUID(self.actor("authenticated").user_id or "")

    def tenant_id(self, label: str) -> uuid.UUID:
        return uuid.UUID(self.tenants[label].id)

    def placeholder_user(self, persona: Persona) -> uuid.UUID:
        """Who `{user}` is for `persona`: itself, or (service_role, anon) tenant A's first member."""
        if persona.user_id is not None:
            return persona.user_id
        first = next(a for a in self.actors if a.kind == MEMBER and a.tenants == ("A",))
        return uuid.UUID(first.user_id or "")
