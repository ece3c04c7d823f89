"""unindexed-foreign-key."""

from __future__ import annotations


def test_foreign_key_without_index(linter):
    sql = (
        linter.ORGS
        + """create table if not exists public.notes (
  id uuid primary key, org_id uuid not null references public.orgs (id) on delete cascade);"""
    )
    [finding] = linter.rule("unindexed-foreign-key", sql)
    assert finding.table == "public.notes" and "org_id" in finding.message


def test_index_in_a_later_migration_or_leading_columns(linter):
    first = (
        linter.ORGS
        + """create table if not exists public.notes (
  id uuid primary key, org_id uuid not null references public.orgs (id) on delete cascade);
alter table public.notes add column if not exists author uuid;
alter table public.notes drop constraint if exists notes_org_author_fkey;
alter table public.notes add constraint notes_org_author_fkey foreign key (org_id, author) references public.orgs (id, id);"""
    )
    later = "create index if not exists notes_org_author_idx on public.notes (org_id, author, id);"
    assert linter.rule("unindexed-foreign-key", first, later) == []


def test_primary_key_covers_the_foreign_key(linter):
    assert linter.rule("unindexed-foreign-key", linter.ORGS + linter.MEMBERS) == []
