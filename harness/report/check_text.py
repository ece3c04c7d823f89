"""The summary table `harness check` prints above its findings."""

from __future__ import annotations

from rich.console import Console

from harness.report.model import Report
from harness.report.text import summary_table


def render_section(report: Report, console: Console, verbose: bool) -> None:
    console.print()
    console.rule("[bold]harness check")
    console.print(summary_table(report))
