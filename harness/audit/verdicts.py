"""Cells -> findings: `leak` (critical), `denied` (error), `policy-error` (error).

Actors that stand for the same persona and failed the same way make one finding (the message names
the first, the evidence lists all). Members of both tenants and forged-claims attackers get findings
of their own, so their particular holes are not lost among the ordinary members'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from harness.audit.catalog_facts import applying_policies
from harness.audit.compare import Cell
from harness.audit.model import DUAL, FORGED
from harness.findings import Finding, Severity

EXAMPLES = 5
Policies = Callable[[str, str, str], list[dict[str, Any]]]  # (table, db role, operation) -> policies


def cell_findings(cells: list[Cell], policies: dict[str, list[dict[str, Any]]]) -> list[Finding]:
    def applying(table: str, db_role: str, operation: str) -> list[dict[str, Any]]:
        return applying_policies(policies.get(table, []), db_role, operation)

    groups: dict[tuple[str, str, str, str], list[Cell]] = {}
    for cell in cells:
        kind = cell.actor.kind if cell.actor.kind in (DUAL, FORGED) else ""
        groups.setdefault((cell.table, cell.actor.persona, cell.operation, kind), []).append(cell)
    ordinary: list[Finding] = []
    special: list[Finding] = []
    for (_table, _persona, _operation, kind), group in groups.items():
        found = [*_errors(group, applying), *_leaks(group, applying, moves=False),
                 *_leaks(group, applying, moves=True), *_denials(group, applying)]
        (special if kind else ordinary).extend(found)
    return ordinary + _only_new(special, ordinary)


def _only_new(special: list[Finding], ordinary: list[Finding]) -> list[Finding]:
    """A forged-claims attacker or a member of both tenants is reported only where it fails in a way
    the ordinary members of its persona do not (else the same hole would be reported twice)."""
    seen = {(f.rule, f.table, f.persona, f.operation, "column" in str(f.evidence.get("moved", ""))) for f in ordinary}
    return [f for f in special
            if (f.rule, f.table, f.persona, f.operation, "column" in str(f.evidence.get("moved", ""))) not in seen]


def _finding(rule: str, severity: Severity, cells: list[Cell], message: str, evidence: dict[str, Any],
             applying: Policies) -> Finding:
    first = cells[0]
    actor = first.actor
    evidence = {
        "actors": [c.actor.label for c in cells],
        "spec": first.spec,
        "observed": first.observed + (" (part of it)" if first.partial else ""),
        **evidence,
    }
    if first.base:
        evidence["view_of"] = first.base
    if actor.forged is not None:
        evidence["forged_user_metadata"] = actor.forged
    evidence["policies"] = applying(first.base or first.table, actor.db_role, first.operation)
    return Finding(check="audit", rule=rule, severity=severity, message=message, table=first.table,
                   persona=actor.persona, operation=first.operation, evidence=evidence)


def _also(cells: list[Cell]) -> str:
    others = len(cells) - 1
    return f" (and {others} more {cells[0].actor.persona} actor{'s' if others != 1 else ''} likewise)" if others else ""


def _errors(cells: list[Cell], applying: Policies) -> list[Finding]:
    failing = [c for c in cells if c.errors]
    if not failing:
        return []
    first = failing[0]
    outcome = first.errors[0][1]
    examples = [{"actor": c.actor.label, "sqlstate": o.state, "error": o.message, "statement": p.statement,
                 **({"row": p.target} if p.target else {})}
                for c in failing for p, o in c.errors][:EXAMPLES]
    if outcome.probe_failed:  # the audit's own machinery: the cell is unknown, not a verdict on the project
        message = (f"the audit could not probe {first.operation} on {first.table} as {first.actor.describe()}: "
                   f"its own helper failed with {outcome.message} (SQLSTATE {outcome.state}){_also(failing)}; "
                   "nothing is concluded about this cell")
        return [_finding("probe-error", Severity.ERROR, failing, message,
                         {"errors": examples, "sqlstate": outcome.state}, applying)]
    message = (f"{first.operation} on {first.table} as {first.actor.describe()} raises an error: "
               f"{outcome.message} (SQLSTATE {outcome.state}){_also(failing)}")
    return [_finding("policy-error", Severity.ERROR, failing, message,
                     {"errors": examples, "sqlstate": outcome.state}, applying)]


def _leaks(cells: list[Cell], applying: Policies, moves: bool) -> list[Finding]:
    def chosen(cell: Cell) -> list[dict[str, Any]]:
        return [leak for leak in cell.leaks if ("column" in leak) == moves]

    leaking = [c for c in cells if chosen(c)]
    if not leaking:
        return []
    first = leaking[0]
    rows = chosen(first)
    who = first.actor.describe()
    if moves:
        ways = sorted({(r["column"], r["category"]) for r in rows})
        more = f" (and {_count(len(ways) - 1, 'more way')})" if len(ways) > 1 else ""
        message = (f"{who} can move {_count(len({r['key'] for r in rows}), 'row')} out of its {first.spec} scope: "
                   f"setting {rows[0]['column']}, the row is {rows[0]['category']}{more}{_also(leaking)}")
        evidence = {"moved": rows[:EXAMPLES], "statement": rows[0]["statement"],
                    "how": "UPDATE without WHERE or RETURNING, narrowed to the one row by a trigger; "
                           "a WITH CHECK that lets the new row leave the scope is the hole"}
    elif first.operation == "insert":
        message = f"{who} can insert {rows[0]['row']}{_more(rows)} (spec: {first.spec}){_also(leaking)}"
        evidence = {"accepted": [r["row"] for r in rows], "statement": rows[0]["statement"]}
    else:
        through = f" through the view {first.table} (spec on {first.base}: {first.spec})" if first.base \
            else f" (spec: {first.spec})"
        taken = sorted({r["taken_over_by_setting"] for r in rows if "taken_over_by_setting" in r})
        how = (f" by taking them over (setting {' or '.join(taken)} brings them into its scope, and the "
               "UPDATE policy's USING reaches them)") if taken else ""
        message = f"{who} can {first.operation} {_summary(rows)}{through}{how}{_also(leaking)}"
        evidence = {"count": len(rows), "by_category": dict(Counter(r["category"] for r in rows)),
                    "example_rows": rows[:EXAMPLES]}
    return [_finding("leak", Severity.CRITICAL, leaking, message, evidence, applying)]


def _denials(cells: list[Cell], applying: Policies) -> list[Finding]:
    denied = [c for c in cells if c.denials and not c.errors]
    if not denied:
        return []
    first = denied[0]
    rows = first.denials
    who = first.actor.describe()
    if first.operation == "insert":
        message = (f"{who} cannot insert {rows[0]['row']}{_more(rows)}, which the spec allows "
                   f"(spec: {first.spec}){_also(denied)}")
        evidence: dict[str, Any] = {"refused": [{"row": r["row"], "error": r.get("error")} for r in rows],
                                    "statement": rows[0]["statement"]}
    else:
        message = (f"{who} cannot {first.operation} {_summary(rows)}, which the spec allows "
                   f"(spec: {first.spec}){_also(denied)}")
        evidence = {"count": len(rows), "by_category": dict(Counter(r["category"] for r in rows)),
                    "example_rows": rows[:EXAMPLES]}
    return [_finding("denied", Severity.ERROR, denied, message, evidence, applying)]


def _summary(rows: list[dict[str, Any]]) -> str:
    counts = Counter(r["category"] for r in rows)
    parts = []
    for category, n in counts.most_common():
        if category == "its own":
            parts.append("its own row" if n == 1 else f"{n} of its own rows")
        else:
            parts.append(f"{_count(n, 'row')} of {category}")
    return " and ".join(parts)


def _more(rows: list[dict[str, Any]]) -> str:
    return f" (and {len(rows) - 1} more)" if len(rows) > 1 else ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"
