"""The explain section of the text report: one row per target; with -v each plan as a tree."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from harness.report.model import Report


def render_section(report: Report, console: Console, verbose: bool) -> None:
    details = report.details["explain"]
    console.print()
    console.rule("[bold]Explain")
    if details.get("skipped"):
        console.print(f"[dim]nothing measured: {escape(details['skipped'])}[/]")
        return
    console.print(targets_table(details["targets"], details.get("measured_runs")))
    for target in details["targets"]:
        console.print(f"[dim]  {escape(target['name'])}{_planning(target)} · {escape(plan_summary(target))}[/]",
                      highlight=False)
    if verbose:
        for target in details["targets"]:
            if target.get("plan"):
                console.print()
                console.print(plan_tree(target))
                console.print(f"  [dim]{escape(rls_summary(target['rls']))}[/]", highlight=False)


def targets_table(targets: list[dict[str, Any]], runs: int | None) -> Table:
    """One row per target; the row count moves to the caption when every target has the same."""
    counts = {t["rows"] for t in targets}
    seeded = f", seeded with {counts.pop():,} rows" if len(counts) == 1 else ""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold", caption_justify="left",
                  caption=f"median ± spread (fastest to slowest) of {runs} runs after a warm-up{seeded}")
    table.add_column("target", min_width=14, ratio=1)
    columns = ("as", "budget", "median", "headroom", "result") if seeded else (
        "as", "rows", "budget", "median", "headroom", "result")
    for column in columns:
        table.add_column(column, justify="left" if column in ("as", "result") else "right", no_wrap=True)
    for t in targets:
        cells = {
            "as": t["as"], "rows": f"{t['rows']:,}", "budget": _budget(t["budget_ms"]),
            "median": f"{_ms(t['median_ms'])} [dim]±{_number(t['spread_ms'])}[/]",
            "headroom": _headroom(t["headroom"]), "result": status(t),
        }
        table.add_row(escape(t["name"]), *[cells[c] for c in columns])
    return table


def _planning(target: dict[str, Any]) -> str:
    return f" · planning {_ms(target['planning_ms'])}" if target.get("planning_ms") is not None else ""


def status(target: dict[str, Any]) -> str:
    if target.get("error"):
        return "[red]too slow[/]" if target.get("timed_out") else "[red]error[/]"
    problems = []
    forbidden = set(target["forbid_seq_scan"])
    if any(scan["relation"] in forbidden for scan in target.get("seq_scans", [])):
        problems.append("seq scan")
    budget, median = target["budget_ms"], target["median_ms"]
    if budget is not None and median is not None and median > budget:
        problems.append("too slow")
    return f"[red]{', '.join(problems)}[/]" if problems else "[green]ok[/]"


def plan_summary(target: dict[str, Any]) -> str:
    """How the plan reaches its tables, in a few words: 'Index Scan x_idx', 'Seq Scan public.t'."""
    if target.get("error"):
        return str(target["error"])
    parts: list[str] = []

    def visit(node: dict[str, Any]) -> None:
        if node["role"] == "InitPlan":
            return
        if node["node"] == "Bitmap Heap Scan":
            indexes = [n["index"] for n in _descendants(node) if n["index"]]
            parts.append(f"Bitmap {', '.join(dict.fromkeys(indexes))}")
            return
        if node["index"]:
            parts.append(f"{node['node']} {node['index']}")
        elif node["relation"]:
            parts.append(f"{node['node']} {node['relation']}")
        for child in node["children"]:
            visit(child)

    visit(target["plan"])
    return "; ".join(dict.fromkeys(parts)) or target["plan"]["node"]


def _descendants(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for child in node["children"]:
        found.append(child)
        found.extend(_descendants(child))
    return found


def plan_tree(target: dict[str, Any]) -> Tree:
    tree = Tree(f"[bold]{escape(target['name'])}[/] [dim]as {target['as']}, {target['rows']:,} rows[/]")
    _add(tree, target["plan"])
    return tree


def _add(parent: Tree, node: dict[str, Any]) -> None:
    branch = parent.add(node_label(node), highlight=False)
    for key, expression in node["conditions"].items():
        branch.add(f"[dim]{escape(key)}: {escape(str(expression))}[/]", highlight=False)
    for child in node["children"]:
        _add(branch, child)


def node_label(node: dict[str, Any]) -> str:
    head = f"[bold]{escape(node['node'])}[/]"
    if node["index"]:
        head += f" using {escape(node['index'])}"
    if node["relation"]:
        head += f" on {escape(node['relation'])}"
    if node["subplan"]:
        head = f"[cyan]{escape(node['subplan'])}[/] {head}"
    facts = [f"rows {node['actual_rows']} (est. {node['estimated_rows']})"]
    if node["loops"] and node["loops"] > 1:
        facts.append(f"× {node['loops']} loops")
    if node["removed_by_filter"]:
        facts.append(f"{node['removed_by_filter']} removed by filter")
    facts.append(f"{node['time_ms']:.3f} ms")
    buffers = node["buffers"]
    facts.append(f"buffers hit {buffers['hit']}" + (f" read {buffers['read']}" if buffers["read"] else ""))
    style = "red" if node["node"] == "Seq Scan" else "dim"
    return f"{head}  [{style}]{escape(' · '.join(facts))}[/]"


def rls_summary(rls: dict[str, Any]) -> str:
    policies = sum(len(names) for names in rls["policies"].values())
    if not policies:
        return "RLS: no policy applies (the persona bypasses RLS, or the tables have none)"
    parts = [f"RLS: {policies} polic{'y' if policies == 1 else 'ies'} on {', '.join(rls['policies'])}",
             f"{len(rls['init_plans'])} InitPlans (once per statement)"]
    if rls["sub_plans"]:
        loops = sum(p["loops"] or 0 for p in rls["sub_plans"])
        parts.append(f"{len(rls['sub_plans'])} SubPlans run {loops} times (per row)")
    calls = sorted({f for c in rls["per_row_calls"] for f in c["functions"]})
    if calls:
        parts.append(f"per-row function calls: {', '.join(calls)}")
    else:
        parts.append("no per-row function calls")
    return "; ".join(parts)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if value >= 0.01 else f"{value:.3f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{_number(value)} ms"


def _budget(value: float | None) -> str:
    return "-" if value is None else f"{value:g} ms"


def _headroom(value: float | None) -> str:
    if value is None:
        return "-"
    colour = "green" if value >= 10 else "yellow" if value >= 1 else "red"
    return f"[{colour}]{value:g}×[/]" if value < 10 else f"[{colour}]{value:.0f}×[/]"
