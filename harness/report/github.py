"""GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` annotation per finding."""

from __future__ import annotations

from harness.findings import Finding, Severity
from harness.report.model import Report

COMMANDS = {Severity.CRITICAL: "error", Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = []
    if finding.file is not None:
        properties.append(("file", finding.file))
        if finding.line is not None:
            properties.append(("line", str(finding.line)))
            if finding.column is not None:
                properties.append(("col", str(finding.column)))
    properties.append(("title", f"{finding.check}/{finding.rule}"))
    rendered = ",".join(f"{key}={_escape_property(value)}" for key, value in properties)
    message = finding.message if finding.file or not finding.table else f"{finding.table}: {finding.message}"
    return f"::{COMMANDS[finding.severity]} {rendered}::{_escape_data(message)}"


def render_github(report: Report) -> str:
    return "".join(annotation(f) + "\n" for f in report.sorted_findings())
