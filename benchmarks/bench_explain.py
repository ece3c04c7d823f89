"""The project's `[[explain]]` targets at 10 000, 100 000 and 1 000 000 rows, medians side by side.

    python benchmarks/bench_explain.py [--project DIR] [--rows 10000,100000,1000000] [--apply FILE.sql ...]

Targets come from the project's configuration. `--apply` runs SQL files on a copy of the migrated template first: a proposed index or policy change,
measured before it is written as a migration. Each row count gets one seeded database per
distinct seed; medians are of 7 runs after a warm-up, as in `harness explain`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.config import Config, load_config  # noqa: E402
from harness.explain.model import ExplainResult  # noqa: E402
from harness.explain.runner import run_targets  # noqa: E402
from harness.findings import HarnessError  # noqa: E402
from harness.workspace import Workspace  # noqa: E402


def targets_config(project: Path) -> Config:
    config = load_config(project)
    if not config.explain:
        raise HarnessError(f"{project} has no [[explain]] targets in its configuration")
    return config


def with_changes(workspace: Workspace, files: list[Path]) -> str:
    """The migrated template, or a copy of it with `files` applied."""
    template = workspace.migration.template
    if template is None:
        raise HarnessError("the migrations did not apply; run `harness migrate` to see why")
    if not files:
        return template
    changed = workspace.server.clone(template, "bench")
    with workspace.server.connect(changed) as conn:
        for file in files:
            conn.execute(file.read_text(encoding="utf-8"))
    return changed


def cell(result: ExplainResult, name: str) -> str:
    target = next(t for t in result.targets if t.name == name)
    if target.timings is None:
        return f"[red]{target.error}[/]"
    seq = " [red]seq[/]" if any(s["relation"] in target.forbid_seq_scan for s in target.analysis["seq_scans"]) else ""
    median = target.timings.median_ms
    headroom = f" ({target.headroom:.2g}×)" if target.headroom is not None and target.headroom < 10 else (
        f" ({target.headroom:.0f}×)" if target.headroom is not None else "")
    colour = "red" if target.max_ms is not None and median > target.max_ms else "green"
    return f"[{colour}]{median:.2f} ms[/]{headroom} ±{target.timings.spread_ms:.2f}{seq}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--rows", default="10000,100000,1000000", help="comma-separated row counts")
    parser.add_argument("--apply", type=Path, action="append", default=[], help="SQL run on the template first")
    args = parser.parse_args()
    console = Console(highlight=False, width=max(Console().width, 140))
    counts = [int(part) for part in args.rows.split(",") if part.strip()]
    config = targets_config(args.project)
    if not config.explain:
        console.print("no [[explain]] targets")
        return 2
    results: dict[int, ExplainResult] = {}
    seeding: dict[int, float] = {}
    with Workspace(config, progress=lambda m: console.print(f"[dim]· {m}[/]")) as workspace:
        template = with_changes(workspace, args.apply)
        for rows in counts:
            started = time.perf_counter()
            results[rows] = run_targets(workspace.server, template, config, rows, lambda m: None)
            seeding[rows] = max((t.seed_s for t in results[rows].targets), default=0.0)
            console.print(f"[dim]· {rows} rows done in {time.perf_counter() - started:.1f} s[/]")
    table = Table(title="harness explain: median of 7 runs (headroom = budget / median) ± spread", header_style="bold")
    table.add_column("target")
    table.add_column("as")
    table.add_column("budget", justify="right")
    for rows in counts:
        table.add_column(f"{rows:,} rows", justify="right")
    for target in config.explain:
        budget = f"{target.max_ms:g} ms" if target.max_ms is not None else "-"
        table.add_row(target.name, target.persona, budget, *[cell(results[r], target.name) for r in counts])
    table.add_row("[dim](seed + vacuum analyze)[/]", "", "", *[f"[dim]{seeding[r]:.1f} s[/]" for r in counts])
    console.print(table)
    if args.apply:
        console.print("with " + ", ".join(str(f) for f in args.apply) + " applied to the migrated template")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except HarnessError as exc:
        print(f"bench_explain: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
