"""The change set: which migrations are under review, and which already shipped.

A reviewer asks what *this* change does. Migrations that shipped (present at the base) are context:
they build the base state once and are not judged again. The change set is

- `--base REF`: files added (or renamed to) under the migrations folder between
  `git merge-base REF HEAD` and the working tree, committed or not;
- `--since VERSION`: files whose version sorts after VERSION;
- `--whole-history`: every file.

Defaults, in order: `--base origin/$GITHUB_BASE_REF` when GITHUB_BASE_REF is set (a pull request in
GitHub Actions), `[project] baseline`, else the whole history.

A shipped file that changed in the working tree (edited, deleted, renamed) stays context as it is
now and is reported as `shipped-migration-edited`: the Supabase CLI will never run it again.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from harness.findings import HarnessError

if TYPE_CHECKING:
    from harness.config import Config

VERSION_RE = re.compile(r"^(\d+)_")

# Platform tables where projects are meant to add their own policies (Supabase's storage and
# realtime authorization docs): creating a new policy there is not a foreign-policy change.
OPEN_PLATFORM_TABLES = frozenset({"storage.objects", "storage.buckets", "realtime.messages"})


@dataclass(frozen=True)
class ChangeSelection:
    """What the command line asked for (at most one of the three)."""

    base: str | None = None
    since: str | None = None
    whole_history: bool = False


@dataclass(frozen=True)
class ShippedEdit:
    """A file that exists at the base and is no longer there unchanged."""

    file: str  # as reports show it (relative to the project root); the old path for a deletion
    how: str  # "edited" | "deleted" | "renamed"
    renamed_to: str | None = None


@dataclass(frozen=True)
class ChangeSet:
    """The migrations under review. `judged` is None for the whole history (every file is judged)."""

    mode: str  # "whole" | "base" | "since"
    description: str  # "origin/main (a1b2c3d)", "baseline 20240101000000", "the whole history"
    judged: tuple[str, ...] | None = None  # files (relative to the project root) under review
    shipped: tuple[str, ...] = ()  # files applied as context, in the working tree
    edits: tuple[ShippedEdit, ...] = ()
    base_commit: str | None = None  # the merge base, for --base
    newest_shipped_version: str | None = None
    reason: str = ""  # why this change set was chosen (a default or an option)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def whole(self) -> bool:
        return self.judged is None

    def judges(self, file: str | None) -> bool:
        """Whether findings on `file` are reported (findings with no file always are)."""
        return self.judged is None or file is None or file in self.judged or file not in self.shipped

    def headline(self) -> str:
        """The first line of a text report: what was judged."""
        if self.judged is None:
            return f"judged: {self.description}"
        count = len(self.judged)
        noun = "migration" if count == 1 else "migrations"
        names = ", ".join(Path(f).name for f in self.judged[:5]) + (" …" if count > 5 else "")
        return f"{count} {noun} since {self.description}" + (f": {names}" if names else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "base": self.description if self.mode != "whole" else None,
            "commit": self.base_commit,
            "files": list(self.judged) if self.judged is not None else None,
            "shipped": len(self.shipped),
            "edited": [e.file for e in self.edits],
            "summary": self.headline(),
        }


WHOLE_HISTORY = ChangeSet(mode="whole", description="the whole history", reason="--whole-history")


def resolve_change_set(
    migrations_dir: Path,
    root: Path,
    selection: ChangeSelection,
    baseline: str | None,
    env: Mapping[str, str] | None = None,
) -> ChangeSet:
    """The change set the options (or the defaults) ask for; HarnessError (exit 2) when it cannot be known."""
    env = os.environ if env is None else env
    chosen = [x for x in (selection.base is not None, selection.since is not None, selection.whole_history) if x]
    if len(chosen) > 1:
        raise HarnessError("give one of --base, --since and --whole-history, not several")
    if selection.whole_history:
        return WHOLE_HISTORY
    if selection.base is not None:
        return _from_git(migrations_dir, root, selection.base, "--base")
    if selection.since is not None:
        return _since(migrations_dir, root, selection.since, "--since")
    github_base = env.get("GITHUB_BASE_REF", "").strip()
    if github_base:
        return _from_git(migrations_dir, root, f"origin/{github_base}", "GITHUB_BASE_REF")
    if baseline:
        return _since(migrations_dir, root, baseline, "[project] baseline")
    return ChangeSet(mode="whole", description="the whole history", reason="no base given")


def _sql_files(migrations_dir: Path) -> list[Path]:
    if not migrations_dir.is_dir():
        return []
    return sorted(p for p in migrations_dir.iterdir() if p.suffix.lower() == ".sql" and p.is_file())


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _version(name: str) -> str | None:
    match = VERSION_RE.match(name)
    return match.group(1) if match else None


def _since(migrations_dir: Path, root: Path, version: str, reason: str) -> ChangeSet:
    if not re.fullmatch(r"\d+", version):
        raise HarnessError(f"{reason} {version!r} is not a migration version (the digits before the first _ of a file name)")
    shipped: list[str] = []
    judged: list[str] = []
    for path in _sql_files(migrations_dir):
        own = _version(path.name)
        # Versions compare as the CLI orders files: by name, so digits compare as text of equal width.
        (judged if own is None or own > version else shipped).append(_shown(path, root))
    newest = max((v for v in (_version(Path(f).name) for f in shipped) if v), default=None)
    return ChangeSet(mode="since", description=f"{version}", judged=tuple(judged), shipped=tuple(shipped),
                     newest_shipped_version=newest, reason=reason)


def _git(cwd: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise HarnessError("--base needs git, and git is not installed") from None
    if result.returncode != 0:
        raise _GitFailed(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


class _GitFailed(Exception):
    pass


def _from_git(migrations_dir: Path, root: Path, ref: str, reason: str) -> ChangeSet:
    where = migrations_dir if migrations_dir.is_dir() else root
    try:
        _git(where, "rev-parse", "--show-toplevel")
    except _GitFailed:
        raise HarnessError(
            f"{reason} {ref}: {root} is not inside a git repository; give --since VERSION or --whole-history instead"
        ) from None
    try:
        _git(where, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except _GitFailed:
        hint = " (in GitHub Actions, check out with fetch-depth: 0 so the base branch is there)" if reason == "GITHUB_BASE_REF" else ""
        raise HarnessError(f"{reason}: {ref} is not a commit of this repository{hint}") from None
    try:
        merge_base = _git(where, "merge-base", ref, "HEAD").strip()
    except _GitFailed:
        raise HarnessError(
            f"{reason}: {ref} and HEAD have no common ancestor, so nothing can be called shipped; "
            "give --since VERSION or --whole-history instead"
        ) from None
    prefix = _git(where, "rev-parse", "--show-prefix").strip() if migrations_dir.is_dir() else ""
    at_base = set(_git(where, "ls-tree", "-r", "--name-only", merge_base, "--", ".").split("\n")) - {""}
    at_base = {p for p in at_base if p.lower().endswith(".sql") and "/" not in p}
    changes = _git(where, "diff", "--name-status", "-M", "--relative", merge_base, "--", ".")
    untracked = set(_git(where, "ls-files", "--others", "--exclude-standard", "--", ".").split("\n")) - {""}
    edited: dict[str, ShippedEdit] = {}
    for line in changes.splitlines():
        status, *paths = line.split("\t")
        if status.startswith("R") and paths[0] in at_base:
            edited[paths[0]] = ShippedEdit(paths[0], "renamed", renamed_to=paths[1])
        elif status.startswith(("M", "T")) and paths[0] in at_base:
            edited[paths[0]] = ShippedEdit(paths[0], "edited")
        elif status.startswith("D") and paths[0] in at_base:
            edited[paths[0]] = ShippedEdit(paths[0], "deleted")
    shipped: list[str] = []
    judged: list[str] = []
    for path in _sql_files(migrations_dir):
        name = path.name
        is_shipped = name in at_base and name not in untracked and edited.get(name, ShippedEdit("", "edited")).how != "renamed"
        (shipped if is_shipped else judged).append(_shown(path, root))
    shown_dir = _shown(migrations_dir, root)
    edits = tuple(
        ShippedEdit(f"{shown_dir}/{e.file}", e.how, f"{shown_dir}/{e.renamed_to}" if e.renamed_to else None)
        for _, e in sorted(edited.items())
    )
    newest = max((v for v in (_version(n) for n in at_base) if v), default=None)
    short = merge_base[:7]
    return ChangeSet(mode="base", description=f"{ref} ({short})", judged=tuple(judged), shipped=tuple(shipped),
                     edits=edits, base_commit=merge_base, newest_shipped_version=newest, reason=reason,
                     extra={"prefix": prefix})


def change_set_for(config: "Config", selection: ChangeSelection) -> ChangeSet:
    """The change set of a project, from its configuration and the command line."""
    return resolve_change_set(config.project.migrations, config.root, selection, config.project.baseline)
