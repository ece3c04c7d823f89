"""foreign-key-without-on-delete."""

from __future__ import annotations


def test_reference_to_auth_users_without_on_delete(linter):
    sql = "create table if not exists public.notes (id uuid primary key, author uuid references auth.users (id));"
    [finding] = linter.rule("foreign-key-without-on-delete", sql)
    assert "auth.users" in finding.message


def test_reference_to_profiles_added_later(linter):
    sql = "alter table public.notes add constraint notes_author_fkey foreign key (author) references public.profiles (id);"
    assert len(linter.rule("foreign-key-without-on-delete", sql)) == 1


def test_on_delete_given_or_other_tables(linter):
    sql = """create table if not exists public.notes (
  id uuid primary key,
  author uuid references auth.users (id) on delete set null,
  org_id uuid references public.orgs (id));"""
    assert linter.rule("foreign-key-without-on-delete", sql) == []
