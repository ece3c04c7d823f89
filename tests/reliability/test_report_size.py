"""Issue 18, item 10: the text report shows a huge assertion clipped (the JSON keeps it whole).
Its speed is measured by benchmarks/bench_report.py, not here."""

from __future__ import annotations

import io
import json
import sys

from rich.console import Console

from harness.report.json_report import render_json
from harness.report.text import render_text

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_report import report_with  # noqa: E402


def test_a_huge_description_is_clipped_in_text_and_whole_in_json() -> None:
    description = "x" * 300_000 + "THE END"
    report = report_with(description)
    out = io.StringIO()
    render_text(report, Console(file=out, width=120), True)
    text = out.getvalue()
    assert "more characters: --format json has them all" in text and "THE END" not in text
    assert len(text) < 100_000
    assert json.loads(render_json(report))["findings"][0]["message"].endswith("THE END")
