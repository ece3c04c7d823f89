"""The audit's vocabulary: the world it builds (tenants, actors, rows) and what a probe observed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# How an actor relates to the spec's persona it is measured against.
MEMBER = "member"  # an ordinary member of one tenant
DUAL = "dual"  # a member of both tenants, same role in each (only with multi-membership)
UNAFFILIATED = "unaffiliated"  # signed in, no membership: the `authenticated` persona
ANON = "anon"  # the anon key
FORGED = "forged"  # put role names and the other tenant's id into its own user_metadata


@dataclass(frozen=True)
class Tenant:
    label: str  # "A" or "B"
    id: str  # the uuid the tenancy template was given


@dataclass(frozen=True)
class Actor:
    """Somebody the audit impersonates; measured against the spec of `persona`."""

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


@dataclass(frozen=True)
class WorldRow:
    """One row of an audited table as the superuser saw it after seeding."""

    identity: str  # harness_audit.identity(): the key values as a JSON array
    owner: str | None  # the owner column's value (a member's user id), if the table has one
    tenants: frozenset[str]  # labels of the tenants the row belongs to (empty: none of ours)
    owner_label: str | None = None  # the owning actor's label, for evidence


@dataclass(frozen=True)
class RowLike:
    """A row that an insert probe tries to create: whose it would be, and where."""

    owner: str | None
    tenants: frozenset[str]
    description: str  # "its own row", "a row of a member of tenant B", ...


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # format_type()
    generated: bool  # generated column or identity ALWAYS: cannot be set
    updatable_by: frozenset[str]  # API roles with UPDATE on it (table- or column-level)


@dataclass
class TableFacts:
    """What the catalog says about an audited relation."""

    name: str  # schema-qualified, as the spec spells it
    relkind: str  # r, p, v, m, f
    rls: bool
    forced: bool
    key: tuple[str, ...]  # the columns that address one row (spec `key` or the primary key)
    columns: dict[str, Column] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What one probe statement did (always rolled back)."""

    ok: bool
    rows: int = 0
    hits: frozenset[str] = frozenset()
    state: str | None = None  # SQLSTATE when it failed
    message: str | None = None

    @property
    def refused(self) -> bool:
        """Refused the way a database refuses: a privilege or policy error, or a trigger's RAISE."""
        return not self.ok and self.state in ("42501", "P0001")

    @property
    def passed_policies(self) -> bool:
        """An integrity error (unique, foreign key, check, not null) is raised only after the row
        passed every WITH CHECK policy: the policies accepted it."""
        return self.ok or (self.state or "").startswith("23")

    @property
    def retryable(self) -> bool:
        return self.state in ("40P01", "40001")  # deadlock or serialization failure between workers
