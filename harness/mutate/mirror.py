"""A mutant's view of the project on disk, for its suites.

A suite may read the migrations itself (`\\ir ../../migrations/<file>.sql`, to prove they can run
twice). Run against a mutant, it must read the *mutated* files, or it would re-apply the originals
and "kill" every mutant by comparing the two. So each mutant's suites run in a mirror of the project:
real folders down to the tests and the migrations, symbolic links to every file (and to every other
folder), and the mutated migration file written in place of its link. Paths inside the mirror are
the project's own, so `\\ir` and `\\i` resolve as they do in the project.
"""

from __future__ import annotations

import os
from pathlib import Path


class Mirror:
    """The plan of a project mirror, made once; `create` lays it out in a folder per mutant."""

    def __init__(self, root: Path, tests: Path, migrations: Path) -> None:
        self.root = root.resolve()
        self.migrations = migrations.resolve().relative_to(self.root)
        real = {Path(".")}
        for inside in (tests.resolve().relative_to(self.root), self.migrations):
            real.update(inside.parents)
            real.add(inside)
        for folder, folders, _ in os.walk(self.root / tests.resolve().relative_to(self.root)):
            real.update(Path(folder, f).relative_to(self.root) for f in folders)
        self.folders = sorted(real)
        self.links = sorted(
            (folder / entry.name, Path(entry.path))
            for folder in self.folders if (self.root / folder).is_dir()
            for entry in os.scandir(self.root / folder) if (folder / entry.name) not in real
        )

    @classmethod
    def of(cls, root: Path, tests: Path, migrations: Path) -> "Mirror | None":
        """None when the tests or the migrations lie outside the project root (no mirror: suites then
        read the project's files)."""
        try:
            return cls(root, tests, migrations)
        except ValueError:
            return None

    def create(self, where: Path, migration_texts: dict[str, str]) -> Path:
        """Lay the mirror out in the empty folder `where`; `migration_texts` maps a migration file's
        name to the text it has in this mirror."""
        for folder in self.folders:
            (where / folder).mkdir(parents=True, exist_ok=True)
        for link, target in self.links:
            (where / link).symlink_to(target)
        for name, text in migration_texts.items():
            path = where / self.migrations / name
            path.unlink(missing_ok=True)
            path.write_text(text, encoding="utf-8")
        return where

    def project_path(self, where: Path, path: Path) -> Path:
        """Where a path inside the mirror `where` lies in the project."""
        try:
            return self.root / path.relative_to(where)
        except ValueError:
            return path
