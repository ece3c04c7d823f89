"""Where the PostgreSQL server binaries are: --pg-bin, then `pg_config --bindir`, then usual paths."""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.findings import HarnessError

REQUIRED = ("initdb", "postgres")
USUAL_PATHS = (
    "/usr/lib/postgresql/*/bin",  # Debian, Ubuntu
    "/usr/pgsql-*/bin",  # RHEL, Fedora (PGDG)
    "/opt/homebrew/opt/postgresql@*/bin",  # macOS, Apple silicon
    "/usr/local/opt/postgresql@*/bin",  # macOS, Intel
    "/usr/local/pgsql/bin",  # built from source
    "/usr/bin",
)
INSTALL_HINT = (
    "install PostgreSQL 15's server (Debian/Ubuntu: `apt-get install postgresql-15`; "
    "macOS: `brew install postgresql@15`) or point --pg-bin at the folder that holds `initdb` and `postgres`"
)


@dataclass(frozen=True)
class PgBinaries:
    bindir: Path
    version: str  # e.g. "15.18"
    major: int
    sharedir: Path | None

    def path(self, name: str) -> str:
        return str(self.bindir / name)

    def has_extension(self, name: str) -> bool:
        return self.sharedir is not None and (self.sharedir / "extension" / f"{name}.control").is_file()


def _complete(bindir: Path) -> bool:
    return all((bindir / name).is_file() for name in REQUIRED)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def _candidates(explicit: Path | None) -> list[Path]:
    if explicit is not None:
        return [explicit]
    found: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            if out.returncode == 0 and out.stdout.strip():
                found.append(Path(out.stdout.strip()))
        except (OSError, subprocess.TimeoutExpired):
            pass
    for pattern in USUAL_PATHS:
        # Newest version first among the usual paths.
        found.extend(Path(p) for p in sorted(glob.glob(pattern), key=_version_key, reverse=True))
    return found


def find_binaries(explicit: Path | None = None) -> PgBinaries:
    """Find a complete server installation or raise a HarnessError that says what to install."""
    for bindir in _candidates(explicit):
        if _complete(bindir):
            return _describe(bindir)
    if explicit is not None:
        raise HarnessError(f"--pg-bin {explicit} does not hold `initdb` and `postgres`: {INSTALL_HINT}")
    raise HarnessError(f"no PostgreSQL server binaries found: {INSTALL_HINT}")


def _describe(bindir: Path) -> PgBinaries:
    try:
        out = subprocess.run([str(bindir / "postgres"), "-V"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"cannot run {bindir / 'postgres'}: {exc}") from None
    match = re.search(r"(\d+)(?:\.(\d+))?", out.stdout)
    if out.returncode != 0 or not match:
        raise HarnessError(f"{bindir / 'postgres'} -V did not report a version: {out.stderr.strip()}")
    major = int(match.group(1))
    if major < 15:
        raise HarnessError(
            f"{bindir} is PostgreSQL {major}; the harness needs PostgreSQL 15 or newer: {INSTALL_HINT}"
        )
    return PgBinaries(bindir=bindir, version=match.group(0), major=major, sharedir=_sharedir(bindir))


def _sharedir(bindir: Path) -> Path | None:
    pg_config = bindir / "pg_config"
    if pg_config.is_file():
        out = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    for guess in (bindir.parent / "share" / "postgresql", bindir.parent / "share"):
        if (guess / "extension").is_dir():
            return guess
    return None
