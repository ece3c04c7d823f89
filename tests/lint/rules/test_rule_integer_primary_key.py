"""integer-primary-key."""

from __future__ import annotations


def test_integer_key_among_uuid_tables(linter):
    sql = (
        linter.ORGS
        + linter.MEMBERS
        + "create table if not exists public.events (id bigserial primary key, at timestamptz);"
    )
    [finding] = linter.rule("integer-primary-key", sql)
    assert finding.table == "public.events"


def test_integer_convention(linter):
    sql = """create table if not exists public.a (id serial primary key);
create table if not exists public.b (id integer primary key);
create table if not exists public.c (id uuid primary key);"""
    assert linter.rule("integer-primary-key", sql) == []
