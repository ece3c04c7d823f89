"""pg_prove, the reference runner: run it on the same suites and read its counts.

Used by the tests that prove our suites also pass under pg_prove with the same counts, and by
benchmarks/bench_test.py. pg_prove comes with pgTAP's Perl tooling (Debian/Ubuntu:
`libtap-parser-sourcehandler-pgtap-perl`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from harness.engine.server import Server
from harness.pgtap.psql import psql_environment

_TOTALS = re.compile(r"^Files=(\d+), Tests=(\d+),", re.MULTILINE)
_RESULT = re.compile(r"^Result: (\w+)", re.MULTILINE)
_FAILED = re.compile(r"^\S.* \(Wstat: \d+.* Tests: \d+ Failed: (\d+)\)$", re.MULTILINE)


@dataclass(frozen=True)
class ProveRun:
    files: int
    tests: int
    failed: int  # failed assertions, from the "Test Summary Report"
    result: str  # PASS, FAIL, NOTESTS
    returncode: int
    stdout: str
    stderr: str
    elapsed_s: float


def find_pg_prove() -> str | None:
    return shutil.which("pg_prove")


def run_pg_prove(server: Server, dbname: str, files: list[str], cwd: Path, jobs: int = 1,
                 verbose: bool = False) -> ProveRun:
    """`pg_prove [-j N] -h <socket dir> -p <port> -U <user> -d <db> FILE...` from `cwd`."""
    pg_prove = find_pg_prove()
    if pg_prove is None:
        raise FileNotFoundError("pg_prove is not installed (libtap-parser-sourcehandler-pgtap-perl)")
    command = [pg_prove, "-j", str(jobs), "-h", server.host, "-p", str(server.port), "-U", server.user,
               "-d", dbname, *(["-v"] if verbose else []), *files]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=psql_environment(server), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    totals, result = _TOTALS.search(done.stdout), _RESULT.search(done.stdout)
    return ProveRun(
        files=int(totals.group(1)) if totals else 0,
        tests=int(totals.group(2)) if totals else 0,
        failed=sum(int(n) for n in _FAILED.findall(done.stdout)),
        result=result.group(1) if result else "?",
        returncode=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        elapsed_s=elapsed,
    )
