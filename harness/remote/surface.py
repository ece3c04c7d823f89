"""What one catalog says about who may touch what: per relation its RLS flags, its policies, the
functions they call, and its grants. Read through an executor, so it is the same for the live
project and for the database the migrations build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.remote.executor import CatalogQueries, Executor

POLICY_SURFACE = ("harness.migrate", "policy_surface.sql")  # shared with the migrate check
POLICY_FUNCTIONS = ("harness.remote", "sql/policy_functions.sql")
GRANTS = ("harness.remote", "sql/grants.sql")
SESSION = ("harness.remote", "sql/session.sql")


@dataclass(frozen=True, order=True)
class Grant:
    grantee: str
    privilege: str
    column: str | None = None
    grantable: bool = False

    def text(self) -> str:
        column = f" ({self.column})" if self.column else ""
        option = " with grant option" if self.grantable else ""
        return f"{self.privilege}{column}{option}"


@dataclass(frozen=True)
class Relation:
    name: str  # schema-qualified, quoted where PostgreSQL would quote it
    schema: str
    kind: str  # table, view, materialized view, foreign table
    owner: str
    rls: bool = False
    force_rls: bool = False
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    grants: frozenset[Grant] = frozenset()

    def summary(self) -> dict[str, Any]:
        """The relation as a reader compares it, for evidence."""
        out: dict[str, Any] = {"kind": self.kind, "owner": self.owner}
        if self.kind == "table":
            out |= {"row level security": self.rls, "forced row level security": self.force_rls,
                    "policies": self.policies}
        out["grants"] = sorted(f"{g.grantee}: {g.text()}" for g in self.grants)
        return out


@dataclass(frozen=True)
class PolicyFunction:
    """A function that policies call."""

    name: str  # its regprocedure text: schemas on the search_path left out, as in the policies
    schema: str
    extension_member: bool
    definition: dict[str, Any]
    tables: tuple[str, ...]  # whose policies call it


@dataclass(frozen=True)
class Surface:
    relations: dict[str, Relation]
    functions: dict[str, PolicyFunction]
    session: dict[str, Any]

    @property
    def server_version_num(self) -> int:
        """e.g. 150008; 0 when unknown."""
        text = str(self.session.get("server_version_num") or "0")
        return int(text) if text.isdigit() else 0


def read_session(run: Executor, queries: CatalogQueries) -> dict[str, Any]:
    rows = run(queries.file(*SESSION))
    return rows[0] if rows else {}


def read_surface(run: Executor, queries: CatalogQueries, session: dict[str, Any] | None = None) -> Surface:
    session = read_session(run, queries) if session is None else session
    policy_rows = {row["table_name"]: row for row in run(queries.file(*POLICY_SURFACE))}
    relations: dict[str, Relation] = {}
    for row in run(queries.file(*GRANTS)):
        name = row["table_name"]
        surface = policy_rows.get(name, {})
        relations[name] = Relation(
            name=name,
            schema=row["schema"],
            kind=row["kind"],
            owner=row["owner"],
            rls=bool(surface.get("rls", False)),
            force_rls=bool(surface.get("force_rls", False)),
            policies=surface.get("policies") or {},
            grants=frozenset(
                Grant(g["grantee"], g["privilege"], g.get("column"), bool(g.get("grantable"))) for g in row["grants"]
            ),
        )
    functions = {
        row["function"]: PolicyFunction(row["function"], row["schema"], bool(row["extension_member"]),
                                        row["definition"], tuple(sorted(row["tables"])))
        for row in run(queries.file(*POLICY_FUNCTIONS))
    }
    return Surface(relations=relations, functions=functions, session=session)
