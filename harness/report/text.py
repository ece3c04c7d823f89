"""The human report (rich): per-check sections, then the findings, most severe first, then a verdict."""

from __future__ import annotations

import importlib
import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.findings import CHECKS, Finding, Severity, count_by_severity
from harness.report.audit_text import coverage_note
from harness.report.clip import clip, clip_lines
from harness.report.model import Report

STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}

def _sections(report: Report) -> list[str]:
    """The sections to draw above the findings: each check's own (its `text_section`), in registry
    order, then `harness check`'s summary table, which sits between the gate's checks and mutate's."""
    from harness.checks import CHECKS as REGISTRY
    from harness.checks import get_check

    drawn = [name for name in REGISTRY if name in report.details or (name == "test" and report.suites)]
    modules = [get_check(name).text_section for name in drawn if get_check(name).in_gate]
    if "check" in report.details:
        modules.append("check_text")
    modules += [get_check(name).text_section for name in drawn if not get_check(name).in_gate]
    return [module for module in modules if module]


def render_text(report: Report, console: Console, verbose: bool = False) -> None:
    if report.platform:
        console.print(f"[dim]{escape(report.platform)}[/]", highlight=False)
    for line in report.header:  # what was judged, changed rule severities
        console.print(f"[bold]{escape(line)}[/]" if line is report.header[0] else f"[dim]{escape(line)}[/]",
                      highlight=False)
    for module_name in _sections(report):
        importlib.import_module(f"harness.report.{module_name}").render_section(report, console, verbose)
    findings = report.sorted_findings()
    if not verbose:
        hidden = sum(1 for f in findings if f.severity == Severity.INFO)
        findings = [f for f in findings if f.severity != Severity.INFO]
    else:
        hidden = 0
    if findings and report.command == "lint":
        _render_by_file(console, findings, verbose)
    elif findings:
        console.print()
        console.rule("[bold]Findings")
        for finding in findings:
            render_finding(console, finding, verbose)
    if hidden:
        console.print(f"[dim]{hidden} info finding{'s' if hidden != 1 else ''} not shown (-v shows them)[/]")
    render_verdict(report, console)


def render_finding(console: Console, finding: Finding, verbose: bool) -> None:
    badge = f"[{STYLE[finding.severity]}]{finding.severity.value.upper():>8}[/]"
    where = [w for w in (finding.location, finding.table, finding.persona, finding.operation) if w]
    head = f"{badge} [bold]{finding.check}/{finding.rule}[/]"
    if finding.pre_existing:
        head += " [dim](pre-existing: at the base too, does not fail the gate)[/]"
    if where:
        head += f"  [dim]{escape(' · '.join(where))}[/]"
    console.print(head)
    console.print(f"         {escape(clip(finding.message))}", highlight=False)
    source = finding.evidence.get("source")
    if isinstance(source, str) and source.strip():
        at = f"{finding.line:>5} │ " if finding.line else "      │ "
        console.print(f"    [dim]{at}{escape(clip(source.rstrip()))}[/]", highlight=False)
    if verbose and finding.evidence:
        text = json.dumps(finding.evidence, indent=2, default=str, ensure_ascii=False)
        for line in clip_lines(text):
            console.print(f"         [dim]{escape(line)}[/]", highlight=False)


def _render_by_file(console: Console, findings: list[Finding], verbose: bool) -> None:
    """Static findings read best file by file, in line order."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file or "(no file)", []).append(finding)
    for file in sorted(by_file):
        console.print()
        console.rule(f"[bold]{escape(file)}", align="left")
        for finding in sorted(by_file[file], key=lambda f: (f.line or 0, f.column or 0, -f.severity.rank)):
            render_finding(console, finding, verbose)


def render_verdict(report: Report, console: Console) -> None:
    counts = count_by_severity(report.findings)
    parts = [f"{n} {sev}" for sev, n in counts.items() if n]
    older = sum(1 for f in report.findings if f.pre_existing)
    if older:
        parts.append(f"{older} of them pre-existing")
    if report.ran_tests or report.suites:
        parts.insert(0, f"{report.tests_passed} tests passed, {report.tests_failed} failed")
    total = report.timings.get("total_s")
    timing = f" in {total:.2f} s" if total is not None else ""
    note = coverage_note(report.details.get("audit"))
    if note:
        parts.append(note)
    summary = ", ".join(parts) if parts else "no findings"
    if report.ok:
        console.print(f"\n[bold green]PASSED[/] harness {report.command}{timing}: {summary}")
    else:
        console.print(f"\n[bold red]FAILED[/] harness {report.command}{timing}: {summary}")


def summary_table(report: Report) -> Table:
    """One row per check that ran: status, findings by severity, time."""
    table = Table(title=None, show_edge=False, header_style="bold")
    table.add_column("check")
    table.add_column("status")
    for severity in Severity:
        table.add_column(severity.value, justify="right")
    table.add_column("time", justify="right")
    checks = [c for c in CHECKS if c in report.timings or any(f.check == c for f in report.findings)]
    for check in checks:
        mine = [f for f in report.findings if f.check == check]
        counts = count_by_severity(mine)
        failed = any(f.fails_gate for f in mine) or (check == "test" and report.tests_failed > 0)
        status = "[red]failed[/]" if failed else "[green]passed[/]"
        seconds = report.timings.get(check)
        table.add_row(
            check,
            status,
            *[str(counts[s.value] or "") for s in Severity],
            f"{seconds:.2f} s" if seconds is not None else "",
        )
    return table
