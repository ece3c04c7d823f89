"""The output formats, registered once: every command offers the formats that fit the checks it runs.

A format is a function Report -> str (text is drawn with rich on a console instead). Adding a format
is one entry here and its module.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable, Iterable

from harness.findings import HarnessError
from harness.report.model import Report


@dataclass(frozen=True)
class Format:
    name: str
    help: str
    target: str | None  # "module:function" rendering a Report to a string; None for text (rich)
    needs: tuple[str, ...] = ()  # offered only to commands that run one of these checks

    def offered_for(self, checks: Iterable[str]) -> bool:
        return not self.needs or any(check in self.needs for check in checks)


FORMATS: tuple[Format, ...] = (
    Format("text", "for people (the default)", None),
    Format("json", "the JSON report of the README", "harness.report.json_report:render_json"),
    Format("sarif", "SARIF 2.1.0 for code scanning", "harness.report.sarif:render_sarif"),
    Format("junit", "JUnit XML", "harness.report.junit:render_junit"),
    Format("tap", "TAP 13 as pg_prove prints it", "harness.report.tap:render_tap", needs=("test",)),
    Format("github", "GitHub Actions annotations", "harness.report.github:render_github", needs=("lint",)),
)
BY_NAME = {f.name: f for f in FORMATS}


def formats_for(checks: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(checks)
    return tuple(f.name for f in FORMATS if f.offered_for(chosen))


def renderer(name: str) -> Callable[[Report], str]:
    """The function that renders format `name` (imported on first use: a run needs one format)."""
    known = BY_NAME.get(name)
    if known is None or known.target is None:
        raise HarnessError(f"unknown format {name!r} (expected one of: {', '.join(BY_NAME)})")
    module, _, function = known.target.partition(":")
    render: Callable[[Report], str] = getattr(import_module(module), function)
    return render
