"""PostgreSQL refuses to run as root: which OS user the server binaries run as, and how.

As a normal user everything runs as that user. As root (CI), only initdb and postgres run as an
unprivileged user (`$HARNESS_PG_USER`, else `postgres`, else a `harness` system user we create),
and the folders they write are handed to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.findings import HarnessError

FALLBACK_USER = "harness"


@dataclass(frozen=True)
class RunAs:
    """Keyword arguments for subprocess that start a server binary as the right user."""

    name: str
    uid: int
    gid: int
    switch: bool  # True when we are root and must drop to `uid`

    def popen_kwargs(self) -> dict[str, Any]:
        if not self.switch:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def own(self, path: Path) -> None:
        """Hand a folder we created to the server's user."""
        if self.switch:
            os.chown(path, self.uid, self.gid)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.switch:
            env["HOME"] = "/"
            env["USER"] = env["LOGNAME"] = self.name
        env.pop("PGDATA", None)
        return env


def server_user() -> RunAs:
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return RunAs(name=me.pw_name, uid=me.pw_uid, gid=me.pw_gid, switch=False)
    wanted = os.environ.get("HARNESS_PG_USER")
    for name in ([wanted] if wanted else ["postgres", FALLBACK_USER]):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_uid == 0:
            raise HarnessError(f"HARNESS_PG_USER={name} is root; PostgreSQL refuses to run as root")
        return RunAs(name=name, uid=entry.pw_uid, gid=entry.pw_gid, switch=True)
    if wanted:
        raise HarnessError(f"HARNESS_PG_USER={wanted}: no such OS user")
    return _create_user(FALLBACK_USER)


def _create_user(name: str) -> RunAs:
    useradd = shutil.which("useradd")
    if useradd is None:
        raise HarnessError(
            "running as root and no unprivileged user to start PostgreSQL as; create one "
            f"(e.g. `useradd --system {name}`) or set HARNESS_PG_USER"
        )
    result = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 9):  # 9: it appeared meanwhile
        raise HarnessError(f"cannot create OS user {name!r} for PostgreSQL: {result.stderr.strip()}")
    entry = pwd.getpwnam(name)
    return RunAs(name=name, uid=entry.pw_uid, gid=entry.pw_gid, switch=True)
