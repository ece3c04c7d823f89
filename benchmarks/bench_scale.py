"""A product-sized project end to end: migrate, check cold / warm / with a warm cache, harness test
against pg_prove, and sharded test and mutate run one part after another.

    .venv/bin/python benchmarks/bench_scale.py [--files 300] [--suites 60] [--mutate-files 12] [--skip-mutate]

The project is generated (benchmarks/history.py, write_product): tables in two API schemas with a
trigger and four policies each, RPCs, storage buckets with their policies, and one pgTAP suite per
table sharing a setup include. Every figure is the wall time of the real CLI in a fresh process.
- migrate: `harness migrate` (whole history, apply-twice), warm cluster cache, template cache off.
- check cold: an empty HARNESS_CACHE_DIR (the platform cluster is built too); check warm: the
  cluster cached, the template cache off; check with a warm cache: the migrated template cached.
- test -j2 against pg_prove -j2: both on the database `harness up` serves (migrated, helpers loaded);
  harness's figure is its suites phase (report timings.test), pg_prove's its wall time.
- sharded: `harness test --shard K/N -j2` for N = 1, 2, 4 one after another (template cached), the
  sum of the parts against the unsharded run; the same for `harness mutate` on a smaller history
  (mutants grow with the history times the suites).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history import write_product  # noqa: E402


def harness(args: list[str], env: dict[str, str]) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "harness", *args, "--format", "json"], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done.returncode == 2 or not done.stdout.strip():
        raise SystemExit(f"harness {' '.join(args)} exited {done.returncode}: {done.stderr[-3000:]}")
    return wall, json.loads(done.stdout)


def pg_prove_on_up(project: Path, env: dict[str, str], jobs: int) -> tuple[float, int]:
    """Start `harness up`, run pg_prove -j on its database, stop it. (wall, pg_prove exit code)"""
    up = subprocess.Popen([sys.executable, "-m", "harness", "up", "--project", str(project), "--format", "json"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert up.stdout is not None
        ready = json.loads(up.stdout.readline())
        if not ready.get("ready"):
            raise SystemExit(f"harness up: {ready}")
        argv = shlex.split(ready["psql"])[1:]  # -h H -p P -U U -d D
        tests = project / "supabase" / "tests"
        suites = sorted(str(p) for p in tests.rglob("*.test.sql"))
        started = time.perf_counter()
        done = subprocess.run(["pg_prove", "-j", str(jobs), *argv, *suites], capture_output=True, text=True, cwd=project)
        return time.perf_counter() - started, done.returncode
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--suites", type=int, default=60)
    parser.add_argument("--mutate-files", type=int, default=12)
    parser.add_argument("--mutate-suites", type=int, default=3)
    parser.add_argument("--skip-mutate", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="harness-bench-scale-"))
    cache = work / "cache"
    cache.mkdir()
    os.chmod(work, 0o755)
    os.chmod(cache, 0o755)
    project = write_product(work / "product", args.files, args.suites)
    cached = {**os.environ, "HARNESS_CACHE_DIR": str(cache)}
    uncached = {**cached, "HARNESS_NO_TEMPLATE_CACHE": "1"}
    rows: list[tuple[str, str]] = []

    def say(label: str, value: str) -> None:
        rows.append((label, value))
        print(f"{label:<46} {value}", flush=True)

    try:
        print(f"project: {args.files} migration files, {args.suites} suites ({project})")
        wall, report = harness(["check", "--project", str(project)], cached)
        say("check cold (empty cache: cluster built)", f"{wall:7.2f} s   exit {report['exit_code']}")
        wall, report = harness(["check", "--project", str(project)], cached)
        say("check with a warm cache (template reused)", f"{wall:7.2f} s   migrate {report['timings'].get('migrate', 0):.2f} s")
        wall, report = harness(["check", "--project", str(project)], uncached)
        say("check warm (cluster cached, template cache off)", f"{wall:7.2f} s   migrate {report['timings'].get('migrate', 0):.2f} s")
        wall, report = harness(["migrate", "--project", str(project)], uncached)
        say("migrate (whole history, apply-twice)", f"{wall:7.2f} s   exit {report['exit_code']}")

        wall, report = harness(["test", "--project", str(project), "-j", "2"], cached)
        say("harness test -j2 (command / suites phase)", f"{wall:7.2f} s / {report['timings'].get('test', 0):.2f} s   "
            f"{report['summary']['tests']['passed']} passed {report['summary']['tests']['failed']} failed")
        if shutil.which("pg_prove"):
            prove, code = pg_prove_on_up(project, cached, 2)
            say("pg_prove -j2 on the database harness up serves", f"{prove:7.2f} s   exit {code}")
        whole = wall
        for count in (1, 2, 4):
            parts = [harness(["test", "--project", str(project), "-j", "2", "--shard", f"{k}/{count}"], cached)
                     for k in range(1, count + 1)]
            total = sum(w for w, _ in parts)
            say(f"harness test --shard K/{count}, parts one after another", f"{total:7.2f} s   "
                f"({100 * (total - whole) / whole:+.0f}% against one run)   parts: "
                + ", ".join(f"{w:.1f}" for w, _ in parts))

        if not args.skip_mutate:
            small = write_product(work / "small", args.mutate_files, args.mutate_suites)
            wall, report = harness(["mutate", "--project", str(small), "-j", "2"], cached)
            mutants = report.get("details", {}).get("mutate", {}).get("mutants")
            say(f"harness mutate ({args.mutate_files} files, {mutants} mutants)", f"{wall:7.2f} s")
            whole = wall
            for count in (1, 2, 4):
                parts = [harness(["mutate", "--project", str(small), "-j", "2", "--shard", f"{k}/{count}"], cached)
                         for k in range(1, count + 1)]
                total = sum(w for w, _ in parts)
                say(f"harness mutate --shard K/{count}, one after another", f"{total:7.2f} s   "
                    f"({100 * (total - whole) / whole:+.0f}% against one run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
