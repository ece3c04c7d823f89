"""Helpers for the lint tests: lint SQL strings as a migration history, pick findings by rule."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pytest

from harness.findings import Finding
from harness.lint.engine import SourceFile, lint_sources

FIXTURES = Path(__file__).parent / "fixtures"

# A tenant table created the way the project wants it: guarded, RLS on, commented.
ORGS = """
create table if not exists public.orgs (id uuid primary key default gen_random_uuid(), name text not null);
alter table public.orgs enable row level security;
comment on table public.orgs is 'Tenants.';
"""

MEMBERS = """
create table if not exists public.members (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade
);
alter table public.members enable row level security;
comment on table public.members is 'Who belongs where.';
create index if not exists members_org_id_idx on public.members (org_id);
create index if not exists members_user_id_idx on public.members (user_id);
"""

# A project's shipped state for change-set tests: tables the change files did not create.
SHIPPED = """
create table if not exists public.profiles (id uuid primary key, nickname text, age int);
alter table public.profiles enable row level security;
create table if not exists private.audit_log (id bigint primary key, note text);
create or replace view public.profile_names with (security_invoker = true) as select nickname from public.profiles;
"""


def history(*files: str) -> list[SourceFile]:
    """SQL strings as migration files supabase/migrations/2024010100000<i>_m<i>.sql."""
    return [SourceFile(f"supabase/migrations/2024010100000{i}_m{i}.sql", sql) for i, sql in enumerate(files, 1)]


class Linter:
    ORGS = ORGS
    MEMBERS = MEMBERS
    SHIPPED = SHIPPED

    def run(self, *files: str, api_schemas: Iterable[str] = ("public",)) -> list[Finding]:
        return lint_sources(history(*files), api_schemas)

    def rule(self, rule: str, *files: str) -> list[Finding]:
        """The findings of one rule."""
        return [f for f in self.run(*files) if f.rule == rule]

    def review(self, rule: str, *changes: str) -> list[Finding]:
        """The findings of one rule for the `changes` files, with SHIPPED as the migration before them."""
        sources = history(SHIPPED, *changes)
        only = {source.file for source in sources[1:]}
        return [f for f in lint_sources(sources, ("public",), only) if f.rule == rule]


@pytest.fixture
def linter() -> Linter:
    return Linter()
