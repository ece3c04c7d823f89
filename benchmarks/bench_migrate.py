"""`harness migrate` (whole history, apply-twice) and `harness up` on generated histories of N files.

    .venv/bin/python benchmarks/bench_migrate.py [--sizes 50,100,200,300,500] [--runs 1] [--no-up]

Each file is a tenant-scoped table with RLS, two indexes and four policies (benchmarks/history.py).
Every run is the real CLI in a fresh process with a warm cluster cache and no migrated-template cache
(HARNESS_NO_TEMPLATE_CACHE=1), so the history is applied every time. `up` is timed until it prints
its JSON line (migrated, helpers and seed loaded), then stopped with SIGTERM.
Targets on this 2-core machine: 500 files, migrate < 15 s; up < 8 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history import write_project  # noqa: E402


def environment() -> dict[str, str]:
    return {**os.environ, "HARNESS_NO_TEMPLATE_CACHE": "1"}


def time_migrate(project: Path) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "harness", "migrate", "--project", str(project), "--format", "json"],
                          capture_output=True, text=True, env=environment())
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"harness migrate exited {done.returncode}: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return wall, json.loads(done.stdout)["timings"]


def time_up(project: Path) -> float:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "harness", "up", "--project", str(project), "--format", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment())
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        wall = time.perf_counter() - started
        if not line or not json.loads(line).get("ready"):
            raise SystemExit(f"harness up did not get ready: {line} {process.stderr.read() if process.stderr else ''}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200,300,500")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-up", action="store_true")
    args = parser.parse_args()
    print(f"{'files':>6} {'migrate wall s':>15} {'migrate s (report)':>19} {'up wall s':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        root = Path(tempfile.mkdtemp(prefix="harness-bench-history-"))
        try:
            write_project(root, size)
            walls, phases, ups = [], [], []
            for _ in range(args.runs):
                wall, timings = time_migrate(root)
                walls.append(wall)
                phases.append(timings)
                if not args.no_up:
                    ups.append(time_up(root))
            inside = statistics.median(t.get("migrate", 0.0) for t in phases)
            up = f"{statistics.median(ups):10.2f}" if ups else f"{'-':>10}"
            print(f"{size:>6} {statistics.median(walls):15.2f} {inside:19.2f} {up}", flush=True)
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
