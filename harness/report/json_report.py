"""The JSON report of CONTRACT.md §2."""

from __future__ import annotations

import json

from harness.report.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, default=str) + "\n"
