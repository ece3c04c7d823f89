"""Run a suite file through psql exactly as pg_prove does, and read where psql stopped.

pg_prove (TAP::Parser::SourceHandler::pgTAP) runs
`psql --no-psqlrc --no-align --quiet --pset pager=off --pset tuples_only=true --set ON_ERROR_STOP=1
--file FILE`; so do we, so every meta-command (`\\set`, `\\pset`, `\\i`, `\\ir`, `:'var'`, ...) behaves
as it does there. psql exits 0 when assertions fail (that is in the TAP), 3 when the script stopped on
an error (ON_ERROR_STOP), 1 or 2 when it could not run at all.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness.engine.local import die_with_parent
from harness.engine.server import Server
from harness.findings import HarnessError

PG_PROVE_FLAGS = (
    "--no-psqlrc",
    "--no-align",
    "--quiet",
    "--pset", "pager=off",
    "--pset", "tuples_only=true",
    "--set", "ON_ERROR_STOP=1",
)

# psql:FILE:LINE: ERROR:  message  (server errors are upper case, psql's own, e.g. a bad meta-command,
# are lower case: "psql:x.sql:3: error: invalid command \foo")
_LOCATED = re.compile(r"^psql:(?P<file>.+?):(?P<line>\d+): (?P<level>ERROR|FATAL|PANIC|error|fatal):\s+(?P<message>.*)$")
_UNLOCATED = re.compile(r"^psql: (?P<level>error|fatal): (?P<message>.*)$")


@dataclass(frozen=True)
class PsqlRun:
    stdout: str
    stderr: str
    returncode: int
    elapsed_s: float
    timed_out: bool = False  # killed by --timeout


@dataclass(frozen=True)
class PsqlError:
    """Where and why psql stopped."""

    level: str  # ERROR, FATAL, ... (the server's) or error, fatal (psql's own)
    message: str  # the first line, e.g. `relation "nope" does not exist`
    detail: str  # the lines psql printed after it (LINE n:, caret, DETAIL, HINT, CONTEXT)
    file: str | None  # as psql named it: relative to psql's working folder, or absolute
    line: int | None
    client_side: bool  # psql's own error (a meta-command), not the server's


def find_psql(bindir: Path | None) -> str:
    """psql next to the server binaries (same version), else the one on PATH."""
    if bindir is not None and (bindir / "psql").is_file():
        return str(bindir / "psql")
    found = shutil.which("psql")
    if found is None:
        raise HarnessError(
            "psql not found next to the PostgreSQL binaries or on PATH: install the PostgreSQL client "
            "(Debian/Ubuntu: `apt-get install postgresql-client-15`)"
        )
    return found


def psql_environment(server: Server) -> dict[str, str]:
    """The caller's environment without PG* settings that could redirect or reconfigure psql."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "PSQLRC"}
    env["LC_ALL"] = "C.UTF-8"  # psql's own messages in English, so they can be read back
    env["PGAPPNAME"] = "harness-test"
    if server.password:
        env["PGPASSWORD"] = server.password
    return env


def _psql_dies_with_us() -> None:
    die_with_parent(signal.SIGTERM)


class PsqlRunner:
    """Starts psql processes for one server and can stop every one still running."""

    def __init__(self, psql: str, server: Server, cwd: Path) -> None:
        self.psql = psql
        self.server = server
        self.cwd = cwd
        self.env = psql_environment(server)
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopped = False

    def command(self, dbname: str, file: str) -> list[str]:
        return [
            self.psql, *PG_PROVE_FLAGS,
            # every connection parameter (a --db-url's sslmode too); the password goes by environment
            "--dbname", self.server.conninfo(dbname, with_password=False),
            "--file", file,
        ]

    def run(self, dbname: str, file: str) -> PsqlRun:
        started = time.perf_counter()
        with self._lock:
            if self._stopped:
                raise InterruptedError("the run was stopped")
            process = subprocess.Popen(
                self.command(dbname, file), cwd=self.cwd, env=self.env,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                preexec_fn=_psql_dies_with_us,  # a SIGKILL of the harness must not leave a suite running
            )
            self._running.add(process)
        timed_out = False
        try:
            try:
                stdout, stderr = process.communicate(timeout=self.server.timeout_s or None)
            except subprocess.TimeoutExpired:
                timed_out = True  # the clone is dropped WITH (FORCE): its backend goes too
                process.kill()
                stdout, stderr = process.communicate()
        finally:
            with self._lock:
                self._running.discard(process)
        return PsqlRun(
            stdout=stdout.decode("utf-8", errors="replace"),
            stderr=stderr.decode("utf-8", errors="replace"),
            returncode=process.returncode,
            elapsed_s=time.perf_counter() - started,
            timed_out=timed_out,
        )

    def stop_all(self) -> None:
        """Kill every psql still running and refuse to start more (Ctrl-C, SIGTERM, bail out)."""
        with self._lock:
            self._stopped = True
            for process in self._running:
                if process.poll() is None:
                    process.kill()


def psql_error(stderr: str) -> PsqlError | None:
    """The error that stopped psql: the last error-level message on its standard error."""
    lines = stderr.splitlines()
    found: PsqlError | None = None
    for index, line in enumerate(lines):
        located = _LOCATED.match(line)
        unlocated = None if located else _UNLOCATED.match(line)
        match = located or unlocated
        if match is None:
            continue
        detail = []
        for following in lines[index + 1:]:
            if following.startswith("psql:"):
                break
            detail.append(following)
        found = PsqlError(
            level=match.group("level"),
            message=match.group("message").strip(),
            detail="\n".join(detail).rstrip(),
            file=located.group("file") if located else None,
            line=int(located.group("line")) if located else None,
            client_side=match.group("level").islower(),
        )
    return found
