"""The dynamic foreign-policy check: what one migration file changed on tables it did not create.

Before and after each file, the policy surface (RLS flags, policies, functions the policies call) of
every table is read from the catalog; any net change on a table that existed before the file is a
`foreign-policy` finding naming the file, the table and the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg

from harness.findings import Finding, Severity


@dataclass(frozen=True)
class TableSurface:
    name: str
    rls: bool
    force_rls: bool
    policies: dict[str, dict[str, Any]]
    functions: dict[str, dict[str, Any]]


def read_surfaces(conn: psycopg.Connection) -> dict[int, TableSurface]:
    query = (resources.files("harness.migrate") / "policy_surface.sql").read_bytes()
    return {
        oid: TableSurface(name, rls, force, policies, functions)
        for oid, name, rls, force, policies, functions in conn.execute(query).fetchall()
    }


def foreign_changes(
    before: dict[int, TableSurface],
    after: dict[int, TableSurface],
    file: str,
    creators: dict[int, str],
) -> list[Finding]:
    """Findings for every table in `before` whose surface differs in `after`."""
    findings = []
    for oid, old in sorted(before.items(), key=lambda item: item[1].name):
        new = after.get(oid)
        if new is None:
            continue  # dropped: its policies went with it; not a policy edit
        owner = creators.get(oid)
        for change in _describe(old, new):
            owned = f" (created by {owner})" if owner else ""
            findings.append(
                Finding(
                    check="migrate",
                    rule="foreign-policy",
                    severity=Severity.ERROR,
                    message=f"{change['text']} on {new.name}, a table this file did not create{owned}",
                    file=file,
                    table=new.name,
                    evidence={k: v for k, v in change.items() if k != "text"} | {"created_by": owner},
                )
            )
    return findings


def _describe(old: TableSurface, new: TableSurface) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    if old.rls != new.rls:
        changes.append({"text": "enabled row level security" if new.rls else "disabled row level security",
                        "object": "row level security", "before": old.rls, "after": new.rls})
    if old.force_rls != new.force_rls:
        changes.append({"text": "forced row level security" if new.force_rls else "stopped forcing row level security",
                        "object": "force row level security", "before": old.force_rls, "after": new.force_rls})
    for name in sorted(old.policies.keys() | new.policies.keys()):
        a, b = old.policies.get(name), new.policies.get(name)
        if a == b:
            continue
        if a is None:
            verb = "created policy"
        elif b is None:
            verb = "dropped policy"
        else:
            differing = ", ".join(k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k))
            verb = f"changed ({differing}) of policy"
        changes.append({"text": f"{verb} \"{name}\"", "object": f"policy {name}", "before": a, "after": b})
    for name in sorted(old.functions.keys() & new.functions.keys()):
        a, b = old.functions[name], new.functions[name]
        if a != b:
            differing = ", ".join(k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k))
            changes.append({"text": f"redefined function {name} ({differing}), which policies call,",
                            "object": f"function {name}", "before": a, "after": b})
    return changes

