"""The mutation section of the text report: the score, a row per operator, then every surviving
mutant with its place and its statement before and after (with -v, every mutant's outcome)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.report.model import Report

STATUS_STYLE = {"killed": "green", "survived": "bold red", "equivalent": "dim", "stillborn": "yellow"}


def render_section(report: Report, console: Console, verbose: bool) -> None:
    details = report.details["mutate"]
    console.print()
    console.rule("[bold]Mutation testing")
    if details.get("skipped"):
        console.print(f"[dim]no mutant judged: {escape(details['skipped'])}[/]")
        return
    console.print(_headline(details), highlight=False)
    if details["operators"]:
        console.print(_operators_table(details["operators"]))
    for outcome in details["outcomes"]:
        if outcome["status"] == "survived":
            _survivor(console, outcome)
    for status in ("stillborn", "equivalent"):
        _listed(console, details["outcomes"], status)
    if verbose:
        console.print()
        console.rule("[dim]every mutant", characters="·")
        for outcome in details["outcomes"]:
            console.print(_line(outcome), highlight=False)


def _headline(details: dict[str, Any]) -> str:
    score = details["score"]
    shown = "n/a (no mutant counts)" if score is None else f"{score:g}%"
    style = "bold green" if score is not None and not details["survived"] else "bold red" if score is not None else "bold"
    parts = [f"{details['mutants']} mutants", f"{details['killed']} killed", f"{details['survived']} survived",
             f"{details['equivalent']} equivalent", f"{details['stillborn']} stillborn"]
    against = f"{details['suites']} suites" + (" and the audit" if details["with_audit"] else "")
    floor = f" (--min-score {details['min_score']:g})" if details.get("min_score") is not None else ""
    return (f" score [{style}]{shown}[/]{floor} · {', '.join(parts)} · against {against} · "
            f"{details['seconds']:.1f} s on {details['jobs']} workers")


def _operators_table(operators: dict[str, dict[str, Any]]) -> Table:
    table = Table(box=box.SIMPLE, header_style="bold", pad_edge=False)
    table.add_column("operator")
    for column in ("mutants", "killed", "survived", "equivalent", "stillborn"):
        table.add_column(column, justify="right")
    for name, counts in operators.items():
        total = sum(counts[s] for s in STATUS_STYLE)
        survived = f"[bold red]{counts['survived']}[/]" if counts["survived"] else "0"
        table.add_row(name, str(total), str(counts["killed"]), survived, str(counts["equivalent"] or ""),
                      str(counts["stillborn"] or ""))
    return table


def _place(outcome: dict[str, Any]) -> str:
    where = f"{outcome['file']}:{outcome['line']}"
    return where + (f" ({outcome['context']})" if outcome.get("context") else "")


def _survivor(console: Console, outcome: dict[str, Any]) -> None:
    console.print(f"[bold red]survived[/] #{outcome['id']} [bold]{outcome['operator']}[/]  "
                  f"[dim]{escape(_place(outcome))}[/]", highlight=False)
    console.print(f"   {escape(outcome['description'])}", highlight=False)
    console.print(f"   [red]- {escape(outcome['before'])}[/]", highlight=False)
    console.print(f"   [green]+ {escape(outcome['after'] or '(statement removed)')}[/]", highlight=False)


def _listed(console: Console, outcomes: list[dict[str, Any]], status: str) -> None:
    chosen = [o for o in outcomes if o["status"] == status]
    if not chosen:
        return
    console.print(f"[{STATUS_STYLE[status]}]{status} (not counted):[/]")
    for outcome in chosen:
        console.print(f"   #{outcome['id']} {outcome['operator']} {escape(_place(outcome))}: "
                      f"{escape(outcome['description'])} [dim]— {escape(outcome['reason'] or '')}[/]", highlight=False)


def _line(outcome: dict[str, Any]) -> str:
    status = outcome["status"]
    killer = outcome.get("killed_by")
    why = f" by {killer['name']}: {killer['detail']}" if killer else ""
    return (f" [{STATUS_STYLE[status]}]{status:>10}[/] #{outcome['id']} {outcome['operator']} "
            f"[dim]{escape(_place(outcome))}[/] {escape(outcome['description'])}[dim]{escape(why)}[/]")
