"""What judging a pull request costs over `--whole-history`, on this repository's subject.

    .venv/bin/python benchmarks/bench_changeset.py [--runs 5] [--command check]

The subject is copied into a throwaway git repository: every migration but the newest is committed
on `main` (shipped), the newest is added on a branch (the pull request). Then `harness <command>
--whole-history` and `harness <command> --base main` run alternately, each in a fresh process, and
the script prints both medians and the difference (target: the PR costs < 1 s more). The base state
(the shipped files applied once, the catalog rules run on it) is what the PR adds; apply-twice and
the foreign-policy watch cover only the change set, which the whole history pays for every file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
       "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT})


def make_pull_request(target: Path) -> str:
    """The subject as a repository whose newest migration is the PR; returns that file's name."""
    shutil.copytree(ROOT / "supabase", target / "supabase")
    shutil.copy(ROOT / "harness.toml", target / "harness.toml")
    migrations = sorted((target / "supabase" / "migrations").glob("*.sql"))
    newest = migrations[-1]
    held = newest.read_bytes()
    newest.unlink()
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "shipped")
    git(target, "checkout", "-q", "-b", "pr")
    newest.write_bytes(held)
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "the pull request")
    return newest.name


def run(project: Path, command: str, *options: str) -> tuple[float, dict[str, float]]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_BASE_REF"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "harness", command, "--project", str(project),
                             "--format", "json", *options], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if result.returncode == 2:
        raise SystemExit(f"harness {command} {' '.join(options)} could not run: {result.stderr.strip()}")
    return wall, json.loads(result.stdout)["timings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--command", default="check", choices=("check", "migrate", "lint", "audit", "test"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="harness-bench-changeset-"))
    try:
        project = folder / "project"
        added = make_pull_request(project)
        run(project, args.command, "--whole-history")  # warm the cluster cache and the imports
        whole: list[float] = []
        pr: list[float] = []
        migrate_whole: list[float] = []
        migrate_pr: list[float] = []
        for _ in range(args.runs):
            wall, timings = run(project, args.command, "--whole-history")
            whole.append(wall)
            migrate_whole.append(timings.get("migrate", 0.0))
            wall, timings = run(project, args.command, "--base", "main")
            pr.append(wall)
            migrate_pr.append(timings.get("migrate", 0.0))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = statistics.median
    print(f"subject: {ROOT / 'supabase' / 'migrations'}; pull request adds {added}; harness {args.command}; "
          f"{args.runs} runs each, fresh process per run, cluster cache warm")
    print(f"  --whole-history   wall median {median(whole):6.2f} s   (migrate phase {median(migrate_whole):5.2f} s)")
    print(f"  --base main       wall median {median(pr):6.2f} s   (migrate phase {median(migrate_pr):5.2f} s)")
    difference = median(pr) - median(whole)
    verdict = "within" if difference < 1.0 else "OVER"
    print(f"  the PR costs {difference:+.2f} s over --whole-history ({verdict} the 1 s target)")


if __name__ == "__main__":
    main()
