"""The JSON report of the README (Usage: the JSON report)."""

from __future__ import annotations

import json

from harness.report.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, default=str) + "\n"
