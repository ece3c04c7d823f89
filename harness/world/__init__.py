"""A small two-tenant world from `[tenancy]`: who explain targets and pytest fixtures run as.

Tenants A and B, one member of every role in each (a real auth.users row, then the `member`
template), and one signed-in user with no membership. Ids are fixed (uuid5), so plans and seeds
are reproducible. The audit builds a fuller world of its own (two members per role, a member of
both tenants, forged-metadata attackers), because proving the spec needs more people than running
as one.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from harness.config import Tenancy
from harness.personas import ANON, SERVICE_ROLE, Persona, member, user_claims

AUTH_USER_SQL = (Path(__file__).parent / "auth_user.sql").read_text(encoding="utf-8")
NAMESPACE = uuid.UUID("5f0b8a4e-2c1d-4f57-9a53-0e3c1a7b9d21")
TENANTS = ("A", "B")


def fixed_id(label: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, label)


@dataclass(frozen=True)
class World:
    tenants: dict[str, uuid.UUID]  # "A" / "B" -> tenant id
    members: dict[tuple[str, str], uuid.UUID]  # (tenant label, role) -> user id
    outsider: uuid.UUID  # signed in, member of nothing
    tenancy: Tenancy

    def persona(self, name: str, tenant: str = "A") -> Persona:
        """`tenant`'s member of the role `name`, or a built-in persona (service_role, anon, authenticated)."""
        if name == "service_role":
            return SERVICE_ROLE
        if name == "anon":
            return ANON
        if name == "authenticated":
            return member(name, self.outsider, _email("outsider"))
        if (tenant, name) not in self.members:
            known = ", ".join(("service_role", "anon", "authenticated", *self.tenancy.roles))
            raise KeyError(f"no persona {name!r} in tenant {tenant!r} (personas: {known}; tenants: A, B)")
        user_id = self.members[(tenant, name)]
        claims = user_claims(user_id, _email(f"{name}.{tenant.lower()}"))
        extra = _extra_claims(self.tenancy, self.tenants[tenant], user_id, name)
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(claims.get(key), dict):
                claims[key] = {**claims[key], **value}
            else:
                claims[key] = value
        return Persona(name=name, role="authenticated", claims=claims, user_id=user_id, tenant=tenant)

    def placeholder_user(self, persona: Persona) -> uuid.UUID:
        if persona.user_id is not None:
            return persona.user_id
        return self.members[("A", self.tenancy.roles[0])]


def _email(label: str) -> str:
    return f"{label.replace('_', '-')}@explain.harness.test"


def _fill(template: str, tenant: uuid.UUID, user: uuid.UUID | None = None, role: str = "") -> str:
    text = template.replace("{tenant}", str(tenant)).replace("{role}", role)
    return text.replace("{user}", str(user)) if user is not None else text


def _extra_claims(tenancy: Tenancy, tenant: uuid.UUID, user: uuid.UUID, role: str) -> dict[str, Any]:
    if not tenancy.claims:
        return {}
    parsed = json.loads(_fill(tenancy.claims, tenant, user, role))
    return parsed if isinstance(parsed, dict) else {}


class WorldError(Exception):
    """A `[tenancy]` template failed; the message says which one."""


def plan_world(tenancy: Tenancy) -> World:
    """The world's ids (fixed, so seeds and plans can be known before any database exists)."""
    tenants = {label: fixed_id(f"tenant:{label}") for label in TENANTS}
    members = {(label, role): fixed_id(f"member:{label}:{role}") for label in TENANTS for role in tenancy.roles}
    return World(tenants=tenants, members=members, outsider=fixed_id("outsider"), tenancy=tenancy)


def create_world(conn: psycopg.Connection, world: World) -> None:
    """Create `world` in the database `conn` is on (as a superuser; committed)."""
    tenancy = world.tenancy
    with conn.transaction():
        for label, tenant in world.tenants.items():
            _run(conn, _fill(tenancy.tenant, tenant), "tenancy.tenant")
            for role in tenancy.roles:
                user = world.members[(label, role)]
                conn.execute(AUTH_USER_SQL, {"id": user, "email": _email(f"{role}.{label.lower()}")})
                _run(conn, _fill(tenancy.member, tenant, user, role), "tenancy.member")
        conn.execute(AUTH_USER_SQL, {"id": world.outsider, "email": _email("outsider")})


def _run(conn: psycopg.Connection, statement: str, key: str) -> None:
    try:
        with conn.transaction():
            conn.execute(statement)
    except psycopg.Error as exc:
        raise WorldError(f"[{key}] failed: {str(exc).strip()}") from None
