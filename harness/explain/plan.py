"""Reading EXPLAIN's JSON: a compact tree, sequential scans, indexes, and what RLS added.

Row level security shows in a plan in two ways. Policy helpers written as `(select fn())` become
InitPlans: computed once per statement, cheap. A helper called bare, or a correlated sub-query,
shows as a function call in a scan's Filter or as a SubPlan: evaluated once per row, the classic
cause of RLS queries that are fast on ten rows and slow on a million.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

CONDITION_KEYS = ("Index Cond", "Recheck Cond", "Filter", "Join Filter", "Hash Cond", "Merge Cond", "One-Time Filter")
PER_ROW_KEYS = ("Filter", "Join Filter")  # evaluated for every row the node looks at
SCAN_SEQ = ("Seq Scan",)
# A call `name(` or `schema.name(`; casts with a type modifier (`::character varying(255)`) go first.
_CALL = re.compile(r"(?<![\w.$\"])(?<!::)((?:[A-Za-z_][\w$]*\.)?[A-Za-z_][\w$]*)\(")
_TYPMOD_CAST = re.compile(r"::[^()',]*\(\d+(?:,\s*\d+)?\)")


@dataclass(frozen=True)
class NodeRef:
    plan: dict[str, Any]
    depth: int
    once: bool  # inside an InitPlan: runs once per statement


def walk(plan: dict[str, Any], depth: int = 0, once: bool = False) -> Iterator[NodeRef]:
    yield NodeRef(plan, depth, once)
    for child in plan.get("Plans", []):
        inner_once = once or child.get("Parent Relationship") == "InitPlan"
        yield from walk(child, depth + 1, inner_once)


def relation(node: dict[str, Any]) -> str | None:
    name = node.get("Relation Name")
    if name is None:
        return None
    return f"{node.get('Schema', 'public')}.{name}"


def compact(node: dict[str, Any]) -> dict[str, Any]:
    """One node for people: type, table, index, estimated vs actual rows, buffers, conditions."""
    loops = node.get("Actual Loops", 1) or 1
    out: dict[str, Any] = {
        "node": node.get("Node Type"),
        "relation": relation(node),
        "alias": node.get("Alias"),
        "index": node.get("Index Name"),
        "role": node.get("Parent Relationship"),
        "subplan": node.get("Subplan Name"),
        "estimated_rows": node.get("Plan Rows"),
        "actual_rows": node.get("Actual Rows"),
        "loops": loops,
        "time_ms": round(float(node.get("Actual Total Time", 0.0)) * loops, 3),
        "removed_by_filter": node.get("Rows Removed by Filter"),
        "buffers": {
            "hit": node.get("Shared Hit Blocks", 0),
            "read": node.get("Shared Read Blocks", 0),
        },
        "conditions": {key: node[key] for key in CONDITION_KEYS if key in node},
    }
    if "Sort Key" in node:
        out["conditions"]["Sort Key"] = ", ".join(node["Sort Key"])
    out["children"] = [compact(child) for child in node.get("Plans", [])]
    return out


def function_calls(expression: str) -> list[str]:
    return sorted(set(_CALL.findall(_TYPMOD_CAST.sub("", expression))))


def analyse(explain: dict[str, Any], policy_tables: dict[str, list[str]]) -> dict[str, Any]:
    """The JSON-ready analysis of one EXPLAIN (ANALYZE, FORMAT JSON) result.

    `policy_tables`: table -> "name (command)" of the row level security policies that apply to the
    persona; only those for the statement's command (and `all`) are kept.
    """
    root = explain["Plan"]
    operation = str(root.get("Operation", "select")).lower() if root.get("Node Type") == "ModifyTable" else "select"
    commands = {f"({operation})", "(all)"} | ({"(select)"} if operation in ("update", "delete") else set())
    nodes = list(walk(root))
    seq_scans = [
        {"relation": relation(n.plan), "rows": n.plan.get("Actual Rows"), "loops": n.plan.get("Actual Loops"),
         "removed_by_filter": n.plan.get("Rows Removed by Filter"), "filter": n.plan.get("Filter")}
        for n in nodes if n.plan.get("Node Type") in SCAN_SEQ and relation(n.plan)
    ]
    indexes = sorted({n.plan["Index Name"] for n in nodes if "Index Name" in n.plan})
    tables = sorted({r for n in nodes if (r := relation(n.plan))})
    init_plans = [n.plan.get("Subplan Name") for n in nodes if n.plan.get("Parent Relationship") == "InitPlan"]
    sub_plans = [
        {"name": n.plan.get("Subplan Name"), "loops": n.plan.get("Actual Loops")}
        for n in nodes if n.plan.get("Parent Relationship") == "SubPlan" and not n.once
    ]
    per_row_calls = [
        {"node": n.plan.get("Node Type"), "relation": relation(n.plan), "functions": calls, "expression": n.plan[key],
         "rows_seen": (n.plan.get("Actual Rows", 0) + (n.plan.get("Rows Removed by Filter") or 0))
         * (n.plan.get("Actual Loops", 1) or 1)}
        for n in nodes if not n.once
        for key in PER_ROW_KEYS if key in n.plan
        if (calls := function_calls(n.plan[key]))
    ]
    return {
        "plan": compact(root),
        "node_types": sorted({n.plan.get("Node Type", "?") for n in nodes}),
        "tables": tables,
        "indexes": indexes,
        "seq_scans": seq_scans,
        "rls": {
            "policies": {
                t: kept for t in tables
                if (kept := [p for p in policy_tables.get(t, []) if p.rsplit(" ", 1)[-1] in commands])
            },
            "init_plans": init_plans,
            "sub_plans": sub_plans,
            "per_row_calls": per_row_calls,
        },
    }
