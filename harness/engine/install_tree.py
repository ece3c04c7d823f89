"""A private installation of the PostgreSQL server: the harness's own share folder.

PostgreSQL finds its share and library folders relative to the real path of its binary (it
resolves symlinks first, then strips the compiled-in bindir's tail and appends the compiled-in
sharedir's: `make_relative_path` in src/port/path.c). So a private installation keeps the
installation's layout below a root of its own: the binaries are copied (a symlink would lead the
server back to the system's share folder), the share folder and the library folders are copied
(a link would only work where the server's OS user may enter the source: a package installed in a
checkout under a private temporary folder is out of its reach). Into `share/extension/` go

- every file of the package folder `harness/extensions/` (stand-in extensions, written as
  `<name>.control` + `<name>--<version>.sql`),
- pgTAP's SQL from another installed major when this one lacks it (pgTAP is plain SQL),

and the control file of every extension that supautils lets `postgres` create on hosted Supabase
(`privileged_extensions.txt`) gets `trusted = true`, so the NOSUPERUSER `postgres` can
`create extension` it, the script running as the bootstrap superuser as under supautils.

`install_tree(binaries, root)` is the one entry point; it returns the binaries of the private
installation, building it once under `root` (keyed by the source installation and the contents
of everything copied into it).
"""

from __future__ import annotations

import fcntl
import functools
import glob
import hashlib
import os
import re
import shutil
from importlib import resources
from pathlib import Path

from harness.engine.binaries import PgBinaries
from harness.findings import HarnessError

TREE_FORMAT = "2"  # bump when the layout or the rewriting changes
SERVER_PROGRAMS = ("postgres", "initdb", "pg_ctl", "pg_config", "psql")
PGTAP_DONORS = ("/usr/share/postgresql/*/extension",)
TRUSTED_LINE = re.compile(r"^\s*trusted\s*=.*$", re.MULTILINE)


@functools.cache
def harness_extension_files() -> tuple[tuple[str, bytes], ...]:
    """(file name, contents) of the package folder harness/extensions/, READMEs excepted."""
    folder = resources.files("harness") / "extensions"
    paths = sorted(Path(str(p)) for p in folder.iterdir() if p.is_file() and not p.name.lower().startswith("readme"))
    return tuple((path.name, path.read_bytes()) for path in paths)


@functools.cache
def privileged_extensions() -> frozenset[str]:
    """The extensions supautils lets `postgres` create on hosted Supabase (one name a line)."""
    text = (resources.files("harness") / "engine" / "privileged_extensions.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def install_tree(binaries: PgBinaries, root: Path) -> PgBinaries:
    """The private installation of `binaries` under `root`, built on first use (safe across processes)."""
    if binaries.sharedir is None:
        raise HarnessError(f"cannot find the share folder of the PostgreSQL in {binaries.bindir}")
    layout = _Layout.of(binaries)
    target = root / f"pg{binaries.version}-{_tree_hash(binaries)}"
    done = target / ".complete"
    if not done.is_file():
        root.mkdir(parents=True, exist_ok=True)
        with open(root / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not done.is_file():
                partial = target.with_name(target.name + f".partial-{os.getpid()}")
                shutil.rmtree(partial, ignore_errors=True)
                try:
                    layout.build(partial)
                    _fill_extensions(partial / layout.share, binaries.major)
                    (partial / ".complete").write_text(str(binaries.bindir) + "\n")
                    shutil.rmtree(target, ignore_errors=True)
                    os.replace(partial, target)
                except OSError as exc:
                    shutil.rmtree(partial, ignore_errors=True)
                    raise HarnessError(f"cannot build the private PostgreSQL installation in {root}: {exc}") from None
    return PgBinaries(
        bindir=target / layout.bin,
        version=binaries.version,
        major=binaries.major,
        sharedir=target / layout.share,
    )


def _tree_hash(binaries: PgBinaries) -> str:
    digest = hashlib.sha256(f"{TREE_FORMAT}|{binaries.version}|{binaries.bindir}|".encode())
    for name, data in harness_extension_files():
        digest.update(name.encode() + b"\0" + data + b"\0")
    digest.update(",".join(sorted(privileged_extensions())).encode())
    return digest.hexdigest()[:12]


class _Layout:
    """Where bin, share and the library folders sit relative to the installation's common root."""

    def __init__(self, base: Path, bin: Path, share: Path, links: list[Path]) -> None:
        self.base, self.bin, self.share, self.links = base, bin, share, links

    @classmethod
    def of(cls, binaries: PgBinaries) -> "_Layout":
        bindir = binaries.bindir.resolve()
        sharedir = binaries.sharedir.resolve() if binaries.sharedir else bindir
        base = Path(os.path.commonpath([bindir, sharedir]))
        # Everything beside bin/ (lib/, the package library folder) is copied like share.
        links = [
            entry.relative_to(base)
            for entry in sorted(bindir.parent.iterdir())
            if entry != bindir and entry.is_dir() and not _is_ancestor(entry, sharedir)
        ]
        return cls(base, bindir.relative_to(base), sharedir.relative_to(base), links)

    def build(self, target: Path) -> None:
        bin_dir = target / self.bin
        bin_dir.mkdir(parents=True)
        for name in SERVER_PROGRAMS:
            source = self.base / self.bin / name
            if source.is_file():
                shutil.copy2(source.resolve(), bin_dir / name)
        share = target / self.share
        share.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.base / self.share, share, symlinks=False)
        for library in self.links:
            (target / library).parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(self.base / library, target / library, symlinks=True)
        for path in [target, *target.rglob("*")]:  # readable by the server's OS user
            if path.is_symlink():
                continue
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)


def _is_ancestor(folder: Path, path: Path) -> bool:
    return folder == path or folder in path.parents


def _fill_extensions(share: Path, major: int) -> None:
    extension = share / "extension"
    extension.mkdir(exist_ok=True)
    if not (extension / "pgtap.control").is_file():
        _copy_pgtap(extension, major)
    for name, data in harness_extension_files():
        (extension / name).write_bytes(data)
    for name in privileged_extensions():
        control = extension / f"{name}.control"
        if control.is_file():
            control.write_text(_trusted(control.read_text()))


def _copy_pgtap(extension: Path, major: int) -> None:
    """pgTAP is plain SQL: another major's files serve (Debian packages it per major)."""
    for pattern in PGTAP_DONORS:
        for donor in sorted(glob.glob(pattern), reverse=True):
            if Path(donor) == extension or not (Path(donor) / "pgtap.control").is_file():
                continue
            for file in Path(donor).glob("pgtap*"):
                shutil.copy2(file, extension / file.name)
            return


def _trusted(control: str) -> str:
    control = TRUSTED_LINE.sub("", control).rstrip("\n")
    return control + "\ntrusted = true\n"
