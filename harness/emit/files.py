"""Writing the emitted files, and telling which files on disk are stale."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.emit.render import MARKER

SUFFIXES = (".sql", ".psql")


@dataclass(frozen=True)
class Staleness:
    missing: list[str]  # would be created
    changed: list[str]  # differ from what would be written
    orphaned: list[str]  # written by an earlier `harness emit`, no longer emitted: would be removed

    @property
    def stale(self) -> list[str]:
        return sorted(self.missing + self.changed + self.orphaned)


def compare(out: Path, files: dict[str, str]) -> Staleness:
    missing, changed = [], []
    for name, text in sorted(files.items()):
        path = out / name
        if not path.is_file():
            missing.append(name)
        elif path.read_bytes() != text.encode("utf-8"):
            changed.append(name)
    return Staleness(missing, changed, [name for name in _generated(out) if name not in files])


def write(out: Path, files: dict[str, str]) -> Staleness:
    """Bring `out` up to date: write what differs, remove files an earlier emit wrote and this one does not."""
    staleness = compare(out, files)
    for name in staleness.missing + staleness.changed:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name].encode("utf-8"))
    for name in staleness.orphaned:
        (out / name).unlink()
    return staleness


def _generated(out: Path) -> list[str]:
    """Files under `out` that `harness emit` wrote (they start with its marker); never anything else."""
    if not out.is_dir():
        return []
    found = []
    for path in sorted(out.rglob("*")):
        if path.suffix in SUFFIXES and path.is_file():
            try:
                with path.open("rb") as handle:
                    first = handle.read(len(MARKER.encode("utf-8")))
            except OSError:
                continue
            if first == MARKER.encode("utf-8"):
                found.append(path.relative_to(out).as_posix())
    return found
