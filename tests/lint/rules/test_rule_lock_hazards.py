"""not-null-without-default, constraint-without-not-valid, index-build-lock: existing tables only."""

from __future__ import annotations

import pytest

from harness.findings import Severity

NEW_TABLE = """create table if not exists public.drafts (id uuid primary key, owner uuid, title text);
alter table public.drafts enable row level security;
"""


@pytest.mark.parametrize(
    "change, fires",
    [
        ("alter table public.profiles add column handle text not null;", True),
        ("alter table public.profiles add column id2 uuid primary key;", True),
        ("alter table public.profiles add column handle text not null default '';", False),
        ("alter table public.profiles add column n bigint generated always as identity;", False),
        ("alter table public.profiles add column handle text;", False),
        (NEW_TABLE + "alter table public.drafts add column body text not null;", False),
    ],
)
def test_not_null_without_default(linter, change, fires):
    assert len(linter.review("not-null-without-default", change)) == (1 if fires else 0)


@pytest.mark.parametrize(
    "change, fires",
    [
        ("alter table public.profiles add constraint age_positive check (age > 0);", 1),
        ("alter table public.profiles add constraint fk foreign key (id) references auth.users (id);", 1),
        ("alter table public.profiles add constraint age_positive check (age > 0) not valid;", 0),
        (
            "alter table public.profiles add constraint age_positive check (age > 0) not valid;\n"
            "alter table public.profiles validate constraint age_positive;",
            1,
        ),
        (NEW_TABLE + "alter table public.drafts add constraint t check (length(title) < 9);", 0),
    ],
)
def test_constraint_without_not_valid(linter, change, fires):
    assert len(linter.review("constraint-without-not-valid", change)) == fires


def test_validate_in_a_later_migration_passes(linter):
    added = "alter table public.profiles add constraint age_positive check (age > 0) not valid;"
    validated = "alter table public.profiles validate constraint age_positive;"
    assert linter.review("constraint-without-not-valid", added, validated) == []


def test_index_builds(linter):
    [unique] = linter.review(
        "index-build-lock", "create unique index if not exists p_nick on public.profiles (nickname);"
    )
    [plain] = linter.review("index-build-lock", "create index if not exists p_age on public.profiles (age);")
    [constraint] = linter.review(
        "index-build-lock", "alter table public.profiles add constraint nick unique (nickname);"
    )
    assert unique.severity == constraint.severity == Severity.ERROR
    assert plain.severity == Severity.WARNING
    using_index = "alter table public.profiles add constraint nick unique using index p_nick;"
    own = NEW_TABLE + "create unique index if not exists d_title on public.drafts (title);"
    assert linter.review("index-build-lock", using_index) == []
    assert linter.review("index-build-lock", own) == []
