"""`harness test` against pg_prove -j 1 and -j 2: the same suites, the same prepared database.

    .venv/bin/python benchmarks/bench_test.py [--runs 7] [--project .] [--jobs N]

The prepared database is the workspace's test template (migrations + pgTAP helpers + seed), exactly
what `harness up` serves. pg_prove runs every suite against one clone of it (its suites roll back);
the harness clones the template once per suite, runs the suite, and drops the clone: those clones
are included in its time. Also shown: the whole `harness test` command, boot and migrations
included. Target: the harness at least as fast as pg_prove -j 2. Machines here are shared: medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.config import load_config  # noqa: E402
from harness.pgtap import discover_suites, run_suites  # noqa: E402
from harness.pgtap.reference import find_pg_prove, run_pg_prove  # noqa: E402
from harness.workspace import Workspace  # noqa: E402


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _fmt(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"median {statistics.median(ms):7.1f} ms   min {ms[0]:7.1f}   max {ms[-1]:7.1f}   (n={len(ms)})"


def _interleaved(runs: int, variants: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Time every variant once per round, rotating their order, so a load change on a shared
    machine hits them all alike; one warm-up round first (file cache, first connections)."""
    names = list(variants)
    for name in names:
        variants[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            started = time.perf_counter()
            variants[name]()
            samples[name].append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="harness -j (default: cores)")
    args = parser.parse_args()
    project = args.project.resolve()
    if find_pg_prove() is None:
        sys.exit("pg_prove is not installed (Debian/Ubuntu: apt-get install libtap-parser-sourcehandler-pgtap-perl)")

    config = load_config(project)
    files = [p.relative_to(project).as_posix() for p in discover_suites(config.project.tests, config.root)]
    ours_name = f"harness test -j {args.jobs} (suites, clones included)"
    whole_name = "harness test, whole command (boot, migrate, seed, suites)"
    with Workspace(config) as workspace:
        template = workspace.test_template()
        if template is None:
            sys.exit("the migrations did not apply")
        server = workspace.server
        with server.scratch_database(template, "bench") as prepared:
            def prove(jobs: int) -> Callable[[], None]:
                def run() -> None:
                    done = run_pg_prove(server, prepared, files, project, jobs=jobs)
                    if done.result != "PASS":
                        sys.exit(f"pg_prove -j {jobs} did not pass:\n{done.stdout}{done.stderr}")
                return run

            def ours() -> None:
                done = run_suites(workspace, None, args.jobs, lambda _: None)
                if done.findings:
                    sys.exit(f"harness test did not pass: {done.findings[0].message}")

            def whole_command() -> None:
                done = subprocess.run([sys.executable, "-m", "harness", "test", "--project", str(project)],
                                      capture_output=True, cwd=Path(__file__).resolve().parent.parent, check=False)
                if done.returncode != 0:
                    sys.exit(f"harness test exited {done.returncode}")

            results = _interleaved(args.runs, {
                "pg_prove -j 1": prove(1), "pg_prove -j 2": prove(2), ours_name: ours, whole_name: whole_command,
            })
        tests = sum(len(s.cases) for s in run_suites(workspace, None, args.jobs, lambda _: None).suites)

    print(f"{len(files)} suites, {tests} assertions, {os.cpu_count()} cores, {args.runs} runs each\n")
    width = max(len(name) for name in results)
    for name, samples in results.items():
        print(f"{name:<{width}}  {_fmt(samples)}")
    ours_ms = _median_ms(results[ours_name])
    prove2_ms = _median_ms(results["pg_prove -j 2"])
    verdict = "met" if ours_ms <= prove2_ms else "NOT met"
    print(f"\ntarget (harness <= pg_prove -j 2 on the same suites): {verdict}; "
          f"pg_prove -j 2 / harness = {prove2_ms / ours_ms:.2f}")


if __name__ == "__main__":
    main()
