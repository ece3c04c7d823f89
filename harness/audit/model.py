"""The audit's vocabulary: the rows of its world, the tables it probes, and what a probe observed.
(Tenants and actors are the world's: harness.world.model.)"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.world.model import ANON, DUAL, FORGED, MEMBER, UNAFFILIATED, Actor, Tenant

PROBE_SCHEMA = "harness_audit"  # where the audit's own helpers live (sql/install.sql)
NO_ACCESS = re.compile(r"permission denied for (table|view|materialized view|relation|schema|sequence) ")


@dataclass(frozen=True)
class WorldRow:
    """One row of an audited table as the superuser saw it after seeding."""

    identity: str  # harness_audit.harness_audit_identity(): the key values as a JSON array
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
        """Refused the way a database refuses: a privilege or policy error, or a trigger's RAISE.
        Never when the audit's own machinery failed: that is no answer about the project."""
        return not self.ok and self.state in ("42501", "P0001") and not self.probe_failed

    @property
    def probe_failed(self) -> bool:
        """The audit's own helpers raised (e.g. not executable): the probe tells nothing."""
        return not self.ok and PROBE_SCHEMA in (self.message or "")

    @property
    def no_access(self) -> bool:
        """Refused by a privilege on the relation itself (or its schema): "none" for a read.
        A permission error on anything else (a function a policy calls) is an error, not a scope."""
        return (not self.ok and self.state == "42501" and not self.probe_failed
                and NO_ACCESS.match(self.message or "") is not None)

    @property
    def accepted_insert(self) -> bool:
        """An insert the policies let through: it wrote a row (an INSERT ... SELECT that selects
        nothing wrote none: a rejection), or it failed on an integrity constraint after them."""
        return (self.ok and self.rows > 0) or (self.state or "").startswith("23")

    @property
    def passed_policies(self) -> bool:
        """An integrity error (unique, foreign key, check, not null) is raised only after the row
        passed every WITH CHECK policy: the policies accepted it."""
        return self.ok or (self.state or "").startswith("23")

    @property
    def retryable(self) -> bool:
        return self.state in ("40P01", "40001")  # deadlock or serialization failure between workers


__all__ = ["ANON", "DUAL", "FORGED", "MEMBER", "UNAFFILIATED", "Actor", "Column", "Outcome", "RowLike",
           "TableFacts", "Tenant", "WorldRow"]
