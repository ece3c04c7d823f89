"""`harness explain`: EXPLAIN (ANALYZE, BUFFERS) of the project's `[[explain]]` targets, seeded at
scale, run as the target's persona so row level security is part of every plan.

The public entry point is `run_explain(workspace, rows_override, progress)`; the `check` command
calls it on its shared workspace, the `explain` command through `harness.explain.command`.
"""

from harness.explain.model import ExplainResult, TargetResult
from harness.explain.runner import run_explain

__all__ = ["ExplainResult", "TargetResult", "run_explain"]
