"""The access diff of a change: what each persona could do at the base against what it can do at the
head, cell by cell, from two audits' matrices (`details["tables"]`), with or without a spec.

    changes = access_diff(base_details, head_details, migrations={"supabase/migrations/2_x.sql": text})
    findings = diff_findings(changes)   # access-widened (error), access-narrowed (warning)

A cell's observed scope is ordered none < own < tenant < all; "part of a scope" (*) sits just below
the whole scope, and an update that can move rows out of scope sits above the same scope without the
move. Cells that errored at either side are not compared (their `policy-error` says why). Tables new
at the head have no base to compare with: their own audit judges them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from harness.audit.scope import SCOPES
from harness.findings import Finding, Severity


@dataclass(frozen=True)
class AccessChange:
    table: str
    persona: str  # as the grid names it: a role, anon, authenticated, "coordinator (both tenants)", ...
    operation: str
    before: str  # e.g. "own", "tenant*" (part of it), "own+move"
    after: str
    widened: bool
    migrations: tuple[str, ...] = ()  # the change-set files that name the table (else all of them)

    @property
    def arrow(self) -> str:
        return f"{self.before} → {self.after}"


def cell_label(cell: Mapping[str, Any]) -> str | None:
    observed = cell.get("observed")
    if observed is None or cell.get("status") == "error":
        return None
    return f"{observed}{'*' if cell.get('partial') else ''}{'+move' if cell.get('moved') else ''}"


def _rank(label: str) -> tuple[int, int, int]:
    scope = label.split("*")[0].split("+")[0]
    return SCOPES.index(scope), 0 if "*" in label else 1, 1 if "+move" in label else 0


def _cells(details: Mapping[str, Any]) -> dict[tuple[str, str, str], str]:
    cells: dict[tuple[str, str, str], str] = {}
    for matrix in details.get("tables") or []:
        for row in matrix.get("rows") or []:
            for operation, cell in (row.get("cells") or {}).items():
                label = cell_label(cell)
                if label is not None:
                    cells[(matrix["table"], row["persona"], operation)] = label
    return cells


def access_diff(base: Mapping[str, Any], head: Mapping[str, Any],
                migrations: Mapping[str, str] | None = None) -> list[AccessChange]:
    """Every cell whose observed scope differs between two audits of the same world."""
    before, after = _cells(base), _cells(head)
    changes = []
    for key in sorted(set(before) & set(after)):
        old, new = before[key], after[key]
        if old == new:
            continue
        table, persona, operation = key
        changes.append(AccessChange(table, persona, operation, old, new, _rank(new) > _rank(old),
                                    responsible(table, migrations or {})))
    return changes


def responsible(table: str, migrations: Mapping[str, str]) -> tuple[str, ...]:
    """The change-set files that mention the table (by its bare or qualified name), else all of them."""
    bare = table.split(".", 1)[1]
    pattern = re.compile(rf"(?<![\w$]){re.escape(bare)}(?![\w$])", re.IGNORECASE)
    naming = tuple(sorted(f for f, text in migrations.items() if pattern.search(text)))
    return naming or tuple(sorted(migrations))


def diff_findings(changes: list[AccessChange]) -> list[Finding]:
    findings = []
    for change in changes:
        what = "more" if change.widened else "less"
        by = f" (changed by {', '.join(change.migrations)})" if change.migrations else ""
        findings.append(Finding(
            check="audit",
            rule="access-widened" if change.widened else "access-narrowed",
            severity=Severity.ERROR if change.widened else Severity.WARNING,
            message=f"{change.persona} can {change.operation} {what} on {change.table} than at the base: "
                    f"{change.arrow}{by}",
            file=change.migrations[0] if len(change.migrations) == 1 else None,
            table=change.table,
            persona=change.persona.split(" (")[0],
            operation=change.operation,
            evidence={"before": change.before, "after": change.after, "persona_row": change.persona,
                      "migrations": list(change.migrations)},
        ))
    return findings


def diff_details(changes: list[AccessChange]) -> list[dict[str, Any]]:
    """For the JSON report and the renderers: details["audit"]["diff"]."""
    return [{"table": c.table, "persona": c.persona, "operation": c.operation, "before": c.before,
             "after": c.after, "widened": c.widened, "migrations": list(c.migrations)} for c in changes]


def audit_diff(server: Any, base_template: str, head_template: str, config: Any,
               migrations: Mapping[str, str], progress: Any = None) -> tuple[list[Finding], dict[str, Any]]:
    """Audit clones of the base and the head side by side with one configuration (its spec, or the
    spec `init` drafts: the diff needs no access spec to be right, only the same world), then diff
    them. Returns the diff findings and the head's audit details with `diff` added."""
    from concurrent.futures import ThreadPoolExecutor

    from harness.audit.run import audit_database

    def audit(template: str) -> Any:
        with server.scratch_database(template, "diff") as database:
            with server.connect(database) as conn:  # tables the change creates are not at the base
                there = [n for n in config.tables
                         if conn.execute("select to_regclass(%s)", [n]).fetchone() != (None,)]
            judged = replace(config, tables={n: config.tables[n] for n in there})
            return audit_database(lambda: server.connect(database), judged, progress or (lambda _: None),
                                  workers=1)

    with ThreadPoolExecutor(max_workers=2) as pool:
        base, head = pool.map(audit, (base_template, head_template))
    changes = access_diff(base.details, head.details, migrations)
    details = {**head.details, "diff": diff_details(changes)}
    return diff_findings(changes), details
