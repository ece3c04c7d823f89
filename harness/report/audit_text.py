"""The audit section of the text report: per table a grid, personas down, operations across, each
cell what the database allowed against what the spec allows, leaks in red."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.report.model import Report

LEGEND = ("cell: the scope the database allowed (none, own, tenant, all); [red]leak[/] when more than the "
          "spec, [yellow]denied[/] when less (the spec follows '≠'); * only part of that scope; "
          "'+move' rows can be moved out of scope")


def render_section(report: Report, console: Console, verbose: bool) -> None:
    details = report.details["audit"]
    console.print()
    console.rule("[bold]Audit")
    if details.get("skipped"):
        console.print(f"[dim]nothing audited: {escape(details['skipped'])}[/]")
        return
    console.print(f"[dim]{escape(world_summary(details))}[/]", highlight=False)
    for matrix in details["tables"]:
        console.print(grid(matrix))
    for matrix in surface_matrices(details):
        console.print(grid(matrix))
    if details["tables"] or details.get("functions") or details.get("buckets"):
        console.print(f"[dim]{LEGEND}[/]", highlight=False)
    if details.get("not_covered"):
        names = ", ".join(details["not_covered"])
        console.print(f"[dim]not in the access spec (catalog rules only): {escape(names)}[/]", highlight=False)
    if details.get("diff") is not None:
        console.print(diff_grid(details["diff"]))


def diff_grid(changes: list[dict[str, Any]]) -> Table | str:
    """The access diff: every cell whose scope changed between the base and the head."""
    if not changes:
        return "[dim]access diff: no persona can do more or less than at the base[/]"
    table = Table(title="Access diff (base → head)", title_justify="left", title_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    for column in ("table", "persona", "operation", "before → after", "migration"):
        table.add_column(column)
    for change in changes:
        style = "bold red" if change["widened"] else "yellow"
        arrow = f"[{style}]{escape(change['before'])} → {escape(change['after'])}[/]"
        table.add_row(escape(change["table"]), escape(change["persona"]), change["operation"], arrow,
                      escape(", ".join(change["migrations"])))
    return table


def coverage_note(details: Any) -> str | None:
    """For the verdict line: an audit that probed no table must not read as a plain pass."""
    if not isinstance(details, dict) or details.get("skipped") or details.get("world", {}) is not None:
        return None
    uncovered = len(details.get("not_covered") or [])
    return (f"no table audited ({uncovered} table{'s' if uncovered != 1 else ''} in the API schemas, "
            "none in the access spec: harness init --record writes one)")


def surface_matrices(details: dict[str, Any]) -> list[dict[str, Any]]:
    """The RPC functions' and the buckets' matrices, titled for the grids (functions: one `execute`
    column, "more"/"less" than the spec; buckets: storage.objects rows at the bucket's path)."""
    matrices = [{**m, "table": f"rpc {m['function']}", "kind": "function"} for m in details.get("functions", [])]
    matrices += [{**m, "table": f"bucket {m['bucket']} (storage.objects at {m['path']}, {m['objects']} objects)",
                  "kind": "bucket"} for m in details.get("buckets", [])]
    return matrices


def world_summary(details: dict[str, Any]) -> str:
    world = details["world"]
    if world is None:
        return "no table has an access spec ([tables.\"schema.table\"] in harness.toml): only the catalog rules ran"
    tables = [m for m in details["tables"] if m["kind"] == "table"]
    views = [m for m in details["tables"] if m["kind"] == "view"]
    both = "with members of both tenants" if world["multi_membership"] else "one tenant per member"
    surfaces = "".join(f", {len(details[k])} {k}" for k in ("functions", "buckets") if details.get(k))
    return (f"{len(world['tenants'])} tenants, {len(world['actors'])} actors ({both}), {len(tables)} tables, "
            f"{len(views)} views{surfaces}, {world['probes']} probes, each rolled back")


def grid(matrix: dict[str, Any]) -> Table:
    title = matrix["table"]
    if matrix["kind"] == "view":
        title += f" (view of {matrix['view_of']})"
    elif matrix.get("rls") is False:
        title += " [bold red](RLS disabled)[/]"
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  header_style="bold")
    table.add_column("persona", no_wrap=True)
    operations = matrix["operations"]
    for operation in operations:
        table.add_column(operation, min_width=len(operation))
    for row in matrix["rows"]:
        table.add_row(escape(row["persona"]), *[cell_text(row["cells"].get(op)) for op in operations])
    return table


def cell_text(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return "[dim]-[/]"
    status = cell["status"]
    if status == "not probed":
        return f"[dim]not probed ({cell['spec']})[/]"
    if status == "error":
        return f"[bold magenta]error[/] [dim]≠ {cell['spec']}[/]"
    observed = (cell["observed"] or "?") + ("*" if cell["partial"] else "")
    move = "+move" if cell.get("moved") else ""
    if status == "leak":
        return f"[bold red]{observed}{move}[/] [dim]≠ {cell['spec']}[/]"
    if status == "denied":
        return f"[yellow]{observed}[/] [dim]≠ {cell['spec']}[/]"
    return f"[green]{observed}[/]" if observed != "none" else "[dim]none[/]"
