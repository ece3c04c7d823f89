"""Who lives in the audit's world: tenants A and B, their members, and the outsiders.

Two members of every role in each tenant, one member of both tenants per role (when the member
template allows it), a signed-in user with no membership, anon, and attackers who wrote every role
name and the other tenant's id into their own user_metadata (users can edit it themselves).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from harness.config import PRIMARY_OWNER, Config
from harness.personas import user_claims
from harness.world.model import ANON, DUAL, FORGED, MEMBER, OWNER, TENANTS, UNAFFILIATED, Actor, Tenant, fixed_id
from harness.world.templates import render

MEMBERS_PER_ROLE = 2
EMAIL_DOMAIN = "world.harness.test"
# Keys a policy might trust in user_metadata, besides those found in the catalog.
COMMON_METADATA_KEYS = (
    "role", "roles", "user_role", "app_role", "is_admin",
    "organisation_id", "organization_id", "org_id", "tenant_id", "team_id", "company_id", "account_id",
)
METADATA_KEY = re.compile(
    r"(?:user_metadata|raw_user_meta_data)['\"]?(?:::\w+)?\)*\s*->>?\s*'(\w+)'", re.IGNORECASE
)


@dataclass(frozen=True)
class Person:
    """An actor plus what the world builder needs to create it."""

    actor: Actor
    email: str
    app_metadata: dict[str, Any]
    user_metadata: dict[str, Any]


def make_tenants() -> dict[str, Tenant]:
    return {label: Tenant(label, str(fixed_id(f"tenant:{label}"))) for label in TENANTS}


def metadata_keys(texts: list[str], config: Config) -> list[str]:
    found = {m.group(1) for text in texts for m in METADATA_KEY.finditer(text)}
    columns = {c for spec in config.tables.values() for c in (spec.owner, spec.tenant) if c}
    return sorted(found | set(COMMON_METADATA_KEYS) | columns)


def forged_metadata(keys: list[str], role: str, roles: tuple[str, ...], tenant: Tenant) -> dict[str, Any]:
    """Every key a policy could trust: role-like keys name `role`, the others the victim tenant."""
    forged: dict[str, Any] = {}
    for key in keys:
        if key == "roles":
            forged[key] = list(roles)
        elif key == "is_admin":
            forged[key] = True
        elif "role" in key:
            forged[key] = role
        else:
            forged[key] = tenant.id
    return forged


def plan_people(config: Config, tenants: dict[str, Tenant], keys: list[str]) -> list[Person]:
    """Everybody but anon, in a stable order. The members of both tenants are planned too; the world
    builder drops them when the member template cannot run twice for one user."""
    roles = config.tenancy.roles
    people: list[Person] = []

    def add(label: str, persona: str, kind: str, member_of: tuple[str, ...], role: str | None,
            forged: dict[str, Any] | None = None, claim: str | None = None) -> None:
        user_id = str(fixed_id(f"user:{label}"))
        app_metadata = {"provider": "email", "providers": ["email"]}
        claims = user_claims(user_id, f"{_slug(label)}@{EMAIL_DOMAIN}", app_metadata=app_metadata,
                             user_metadata=forged or {})
        if member_of and config.tenancy.claims:
            extra = _render_json(config.tenancy.claims, user_id, tenants[member_of[0]].id, role or "")
            claims = _merge(claims, extra)
            app_metadata = claims["app_metadata"]
            if forged:  # what the attacker wrote wins over what the project's claims template puts there
                claims["user_metadata"] = {**claims.get("user_metadata", {}), **forged}
        actor = Actor(label=label, persona=persona, kind=kind, db_role="authenticated", claims=claims,
                      user_id=user_id, tenants=member_of, role=role, forged=forged, forged_claim=claim)
        people.append(Person(actor, claims["email"], app_metadata, claims.get("user_metadata") or {}))

    for tenant in tenants:
        for role in roles:
            for n in range(1, MEMBERS_PER_ROLE + 1):
                add(f"{role} {tenant}{n}", role, MEMBER, (tenant,), role)
    for role in roles:
        add(f"{role} A+B", role, DUAL, tuple(tenants), role)
    if config.tenancy.primary_owner:  # the user `{owner}` names; the project's own triggers make it a member
        for tenant in tenants:
            add(owner_label(tenant), PRIMARY_OWNER, OWNER, (tenant,), None)
    add("authenticated", "authenticated", UNAFFILIATED, (), None)
    victim = tenants["B"]
    for role in roles:
        forged = forged_metadata(keys, role, roles, victim)
        claim = f"role {role}, tenant {victim.label}"
        add(f"authenticated (forged {role})", "authenticated", FORGED, (), None, forged, claim)
        add(f"{roles[0]} A (forged {role})", roles[0], FORGED, ("A",), roles[0], forged, claim)
    return people


def owner_label(tenant: str) -> str:
    return f"{PRIMARY_OWNER} {tenant}"


def anon_actor() -> Actor:
    return Actor(label="anon", persona="anon", kind=ANON, db_role="anon", claims={"role": "anon"})


def _render_json(template: str, user: str, tenant: str, role: str) -> dict[str, Any]:
    value = json.loads(render(template, user, tenant, role))  # validated when the config was read
    return value if isinstance(value, dict) else {}


def _merge(claims: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(claims)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", label.lower()).strip(".")
