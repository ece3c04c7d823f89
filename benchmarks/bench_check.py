"""`harness check` on a project, cold (empty cache) and warm, with where the time goes.

    .venv/bin/python benchmarks/bench_check.py [--project .] [--runs 5] [--profile]

Targets on this repository, 2 cores: under 5 s cold and under 3 s warm. Each run is the real CLI
in a fresh process (`python -m harness check --format json`), so imports and interpreter start are
counted; the phases come from the report's own timings. `--profile` adds a cProfile of one warm run
(top functions by cumulative time, in this process).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(project: Path, env: dict[str, str]) -> tuple[float, dict[str, float], int]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "harness", "check", "--project", str(project), "--format", "json"],
        capture_output=True, text=True, env=env,
    )
    wall = time.perf_counter() - started
    if result.returncode == 2:
        raise SystemExit(f"harness check could not run: {result.stderr.strip()}")
    return wall, json.loads(result.stdout)["timings"], result.returncode


def describe(samples: list[float]) -> str:
    return f"median {statistics.median(samples):6.2f} s   min {min(samples):6.2f}   max {max(samples):6.2f}   (n={len(samples)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    colds = []
    for _ in range(max(1, args.runs // 2)):
        cache = Path(tempfile.mkdtemp(prefix="harness-bench-cold-"))
        os.chmod(cache, 0o755)
        try:
            wall, _, code = run_check(args.project, {**os.environ, "HARNESS_CACHE_DIR": str(cache)})
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        colds.append(wall)
    run_check(args.project, dict(os.environ))  # warm the real cache
    warms, phases = [], []
    for _ in range(args.runs):
        wall, timings, code = run_check(args.project, dict(os.environ))
        warms.append(wall)
        phases.append(timings)
    print(f"harness check on {args.project} (exit {code}), {os.cpu_count()} cores")
    print(f"cold (empty cache; target < 5 s): {describe(colds)}")
    print(f"warm (target < 3 s):              {describe(warms)}")
    print("where the time goes (medians of the warm runs' report timings; checks overlap):")
    for key in sorted({k for p in phases for k in p}, key=lambda k: -statistics.median(p.get(k, 0.0) for p in phases)):
        print(f"  {key:<16} {statistics.median(p.get(key, 0.0) for p in phases):6.3f} s")
    if args.profile:
        sys.path.insert(0, str(ROOT))
        from harness.cli import main as harness_main

        profiler = cProfile.Profile()
        profiler.enable()
        try:
            harness_main(["check", "--project", str(args.project), "--format", "json", "--output", os.devnull])
        except SystemExit:
            pass
        profiler.disable()
        print("\ncProfile of one warm run in this process (top 15 by cumulative time; threads not included):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
