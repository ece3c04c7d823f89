"""Engine figures of the foundation issue: cold cache build, warm start, clone of a migrated database.

    .venv/bin/python benchmarks/bench_engine.py [--runs 10] [--project .]

Targets on a 2-core machine: a ready, platform-loaded server in < 0.3 s warm; a clone of the
migrated subject in < 30 ms. Prints medians and spreads; machines here are shared, so run it twice.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.config import load_config  # noqa: E402
from harness.engine.local import LocalEngine  # noqa: E402
from harness.migrate.run import migrate_template  # noqa: E402


def _fmt(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"median {statistics.median(ms):7.1f} ms   min {ms[0]:7.1f}   max {ms[-1]:7.1f}   (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()

    cold_cache = Path(tempfile.mkdtemp(prefix="harness-bench-cache-"))
    os.chmod(cold_cache, 0o755)
    previous = os.environ.get("HARNESS_CACHE_DIR")
    os.environ["HARNESS_CACHE_DIR"] = str(cold_cache)
    try:
        started = time.perf_counter()
        with LocalEngine():
            cold = time.perf_counter() - started
    finally:
        shutil.rmtree(cold_cache, ignore_errors=True)
        if previous is None:
            os.environ.pop("HARNESS_CACHE_DIR")
        else:
            os.environ["HARNESS_CACHE_DIR"] = previous
    print(f"cold start (initdb + platform layer + start):  {cold * 1000:7.1f} ms")

    with LocalEngine():  # make sure the real cache is warm
        pass
    starts, stops = [], []
    for _ in range(args.runs):
        engine = LocalEngine()
        t0 = time.perf_counter()
        server = engine.start()
        with server.connect("harness_platform") as conn:
            conn.execute("select auth.uid()")
        starts.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        engine.stop()
        stops.append(time.perf_counter() - t0)
    print(f"warm start to first query (target < 300 ms):  {_fmt(starts)}")
    print(f"stop and clean up:                            {_fmt(stops)}")

    config = load_config(args.project)
    with LocalEngine() as server:
        t0 = time.perf_counter()
        result = migrate_template(server, config)
        print(f"apply {len(result.migrations)} migrations once (+ snapshots):      {(time.perf_counter() - t0) * 1000:7.1f} ms")
        if result.template is None:
            print("the migrations failed; no clone figures")
            return
        clones, drops = [], []
        for _ in range(max(args.runs, 20)):
            t0 = time.perf_counter()
            name = server.clone(result.template, "bench")
            clones.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            server.drop_database(name)
            drops.append(time.perf_counter() - t0)
        print(f"clone the migrated database (target < 30 ms): {_fmt(clones)}")
        print(f"drop a clone:                                 {_fmt(drops)}")


if __name__ == "__main__":
    main()
