"""A project with a realistic migration history (tests/changeset/history/) in a throwaway git
repository: `main` holds the shipped history; tests branch off it as a pull request would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HISTORY = Path(__file__).parent / "history"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2024-05-01T10:00:00Z", "GIT_COMMITTER_DATE": "2024-05-01T10:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
}
MIGRATIONS = "supabase/migrations"

# A change a reviewer would approve: a new tenant table, guarded, RLS on, a policy through the helper.
TASKS = """\
create table if not exists public.tasks (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  title text not null
);
comment on table public.tasks is 'Work items of an organisation.';
create index if not exists tasks_organisation_id_idx on public.tasks (organisation_id);
alter table public.tasks enable row level security;
drop policy if exists "members read tasks" on public.tasks;
create policy "members read tasks" on public.tasks for select to authenticated
  using ((select app.is_member(organisation_id)));
"""


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.pop("GITHUB_BASE_REF", None)
    return env | GIT_ENV


@dataclass
class Repo:
    root: Path

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, env=git_env(), capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def write(self, name: str, sql: str) -> str:
        (self.root / MIGRATIONS / name).write_text(sql, encoding="utf-8")
        return f"{MIGRATIONS}/{name}"

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def harness(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "harness", *args, "--project", str(self.root)],
                              capture_output=True, text=True, env=git_env() | (env or {}))


def make_repo(root: Path, toml: str | None = None, tests: dict[str, str] | None = None) -> Repo:
    (root / MIGRATIONS).mkdir(parents=True)
    for path in sorted(HISTORY.glob("*.sql")):
        shutil.copy(path, root / MIGRATIONS / path.name)
    for name, sql in (tests or {}).items():
        (root / "supabase" / "tests" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "supabase" / "tests" / name).write_text(sql, encoding="utf-8")
    if toml is not None:
        (root / "harness.toml").write_text(toml, encoding="utf-8")
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("the shipped history")
    return repo
