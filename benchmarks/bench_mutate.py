"""`harness mutate` on the subject: how many mutants, how long, at which -j.

    .venv/bin/python benchmarks/bench_mutate.py [--runs 3] [--project .] [--jobs 2,4,8] [--with-audit]

Runs the whole command (boot, migrate, the suites on the unmutated migrations, every mutant) once
per round for each -j, rotating their order so a load change on a shared machine hits them all
alike, and prints medians: the whole command, the mutants alone, and per mutant. Target (issue 7):
the subject's mutants (40 or more) in under 30 s on this machine. Also prints the score and the
suites that killed most, so a regression in either shows here too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.checks.runner import run_command
from harness.context import CheckArgs, MutateArgs  # noqa: E402
from harness.options import Common  # noqa: E402
from harness.workspace import EngineOptions  # noqa: E402


def once(project: Path, jobs: int, with_audit: bool) -> tuple[float, dict[str, Any]]:
    common = Common(project, "json", None, EngineOptions(), False)
    started = time.perf_counter()
    report = run_command(common, ("mutate",), "mutate", CheckArgs(jobs=jobs, mutate=MutateArgs(None, with_audit)))
    return time.perf_counter() - started, report.details["mutate"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--jobs", default="2,4,8", help="comma-separated -j values (default: 2,4,8)")
    parser.add_argument("--with-audit", action="store_true")
    args = parser.parse_args()
    jobs = [int(j) for j in args.jobs.split(",")]
    whole: dict[int, list[float]] = {j: [] for j in jobs}
    mutants: dict[int, list[float]] = {j: [] for j in jobs}
    details: dict[str, Any] = {}
    for round_ in range(args.runs):
        for j in jobs[round_ % len(jobs):] + jobs[:round_ % len(jobs)]:
            seconds, details = once(args.project.resolve(), j, args.with_audit)
            if details.get("skipped"):
                sys.exit(f"nothing measured: {details['skipped']}")
            whole[j].append(seconds)
            mutants[j].append(details["seconds"])
    count = details["mutants"]
    print(f"{count} mutants ({details['killed']} killed, {details['survived']} survived, "
          f"{details['equivalent']} equivalent, {details['stillborn']} stillborn), score {details['score']}%, "
          f"{details['suites']} suites{' and the audit' if args.with_audit else ''}; medians of {args.runs} runs")
    for j in jobs:
        median = statistics.median(mutants[j])
        print(f"  -j {j:<2}  whole command {statistics.median(whole[j]):6.2f} s   mutants {median:6.2f} s "
              f"(min {min(mutants[j]):5.2f}, max {max(mutants[j]):5.2f})   {1000 * median / count:5.0f} ms per mutant")
    killers = Counter(o["killed_by"]["name"] for o in details["outcomes"] if o["killed_by"])
    print("killed most (last run):")
    for name, kills in killers.most_common(5):
        print(f"  {kills:3}  {name}")


if __name__ == "__main__":
    main()
