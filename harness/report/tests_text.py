"""The pgTAP section of the human report: a line per suite, then every failure in full."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from harness.report.clip import clip, clip_lines
from harness.report.model import Report, SuiteResult, TestCase


def _counts(suite: SuiteResult) -> str:
    failed = sum(1 for c in suite.cases if not c.passed)
    skipped = sum(1 for c in suite.cases if c.directive == "SKIP")
    todo = sum(1 for c in suite.cases if c.directive == "TODO")
    ran = len(suite.cases)
    total = suite.planned if suite.planned is not None else ran
    parts = [f"{ran} test{'' if total == 1 else 's'}" if total == ran else f"{ran} of {total} tests"]
    if failed:
        parts.append(f"[red]{failed} failed[/]")
    if skipped:
        parts.append(f"{skipped} skipped")
    if todo:
        parts.append(f"{todo} todo")
    return ", ".join(parts)


def _suite_line(suite: SuiteResult) -> str:
    mark = "[green]✓[/]" if suite.ok else "[bold red]✗[/]"
    line = f" {mark} {escape(suite.file)}  [dim]{_counts(suite)} · {suite.elapsed_s:.2f} s[/]"
    if suite.error:
        line += f"\n     [red]{escape(clip(suite.error))}[/]"
    return line


def _failure(console: Console, case: TestCase) -> None:
    title = f"not ok {case.number}" + (f" - {case.description}" if case.description else "")
    console.print(f"   [bold red]{escape(clip(title))}[/]", highlight=False)
    for line in clip_lines(case.diagnostics):
        console.print(f"     {escape(line)}", highlight=False)


def _died(console: Console, suite: SuiteResult) -> None:
    console.print(f"   [bold red]{escape(clip(suite.error or 'failed'))}[/]", highlight=False)
    if suite.exit_code != 0:
        for line in clip_lines(suite.stderr.strip()):
            console.print(f"     [dim]{escape(line)}[/]", highlight=False)


def render_section(report: Report, console: Console, verbose: bool) -> None:
    details = report.details.get("test", {})
    console.rule("[bold]pgTAP suites")
    if not report.suites:
        if details.get("found") == 0:
            console.print(f" no suites found under {escape(str(details.get('tests_folder', 'the tests folder')))}")
        else:
            reason = details.get("skipped")
            console.print(" no suite ran" + (f": {escape(reason)}" if reason else ""))
        return
    for suite in report.suites:
        console.print(_suite_line(suite), highlight=False)
    for name in details.get("not_run", []):
        console.print(f" [yellow]-[/] {escape(name)}  [dim]not run (a suite bailed out)[/]")
    failing = [s for s in report.suites if not s.ok]
    if not failing:
        return
    console.print()
    console.rule("[bold red]Failures")
    for suite in failing:
        console.print(f"[bold]{escape(suite.file)}[/]")
        for case in suite.cases:
            if not case.passed:
                _failure(console, case)
        if suite.error:
            _died(console, suite)
