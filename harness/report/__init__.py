"""Renderers: a Report in, text out. Renderers never compute; checks never print."""

from __future__ import annotations

from typing import Callable

from harness.findings import HarnessError
from harness.report.model import Report, SuiteResult, TestCase

FORMATS = ("text", "json", "sarif", "junit", "tap", "github")


def renderer(fmt: str) -> Callable[[Report], str]:
    """The function that renders `fmt` (imported lazily: most runs need one format)."""
    if fmt == "json":
        from harness.report.json_report import render_json

        return render_json
    if fmt == "sarif":
        from harness.report.sarif import render_sarif

        return render_sarif
    if fmt == "junit":
        from harness.report.junit import render_junit

        return render_junit
    if fmt == "tap":
        from harness.report.tap import render_tap

        return render_tap
    if fmt == "github":
        from harness.report.github import render_github

        return render_github
    raise HarnessError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")


__all__ = ["FORMATS", "Report", "SuiteResult", "TestCase", "renderer"]
