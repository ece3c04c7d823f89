"""Mutants of the subject: every operator the subject gives a chance, numbered, with before and after."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pglast
import pytest

from harness.findings import HarnessError
from harness.mutate.generate import generate_mutants
from harness.sql.discovery import discover_migrations

REPO = Path(__file__).resolve().parents[2]


def subject() -> list:
    migrations, _ = discover_migrations(REPO / "supabase" / "migrations", REPO)
    return generate_mutants(migrations, lambda m: m.path.relative_to(REPO).as_posix())


def test_the_subject_has_mutants_of_every_operator_it_gives_a_chance() -> None:
    mutants = subject()
    assert len(mutants) >= 40
    assert [m.number for m in mutants] == list(range(1, len(mutants) + 1))
    counts = Counter(m.operator for m in mutants)
    assert set(counts) == {
        "drop-policy", "policy-true", "drop-with-check", "drop-conjunct", "auth-uid", "to-public", "select-to-all",
        "disable-rls", "drop-check-constraint", "drop-trigger", "drop-cascade", "drop-index", "change-default",
    }  # no restrictive policy in the subject
    assert counts["drop-policy"] == 15 and counts["disable-rls"] == 3 and counts["drop-trigger"] == 3


def test_each_mutant_is_a_valid_file_that_differs_only_where_it_says() -> None:
    for mutant in subject():
        # the one marked mutant: a WITH CHECK that repeats the USING (PostgreSQL then checks new rows with the USING)
        assert mutant.equivalent is None or mutant.operator == "drop-with-check", mutant.description
        if mutant.equivalent:
            continue  # marked equivalent: never built
        assert mutant.before != mutant.after
        pglast.parse_sql(mutant.sql)  # the mutated file still parses
        original = (REPO / mutant.file).read_text(encoding="utf-8")
        assert mutant.sql.count("\n") == original.count("\n"), mutant.description
        changed = [n for n, (a, b) in enumerate(zip(original.splitlines(), mutant.sql.splitlines()), 1) if a != b]
        # a nested statement rebuilds its DO block or function from its first line on
        assert changed and (changed[0] >= mutant.line or mutant.context), mutant.description


def test_a_mutant_names_where_it_is() -> None:
    policy = next(m for m in subject() if m.operator == "drop-policy")
    assert policy.file == "supabase/migrations/20260326000000_create_organisations_and_users.sql"
    text = (REPO / policy.file).read_text(encoding="utf-8").splitlines()
    assert text[policy.line - 1].startswith("create policy ")
    assert policy.before.startswith("CREATE POLICY") and policy.after == ""
    helper = next(m for m in subject() if m.operator == "auth-uid")
    assert helper.context.startswith("function public.")


def test_unknown_operators_are_refused() -> None:
    with pytest.raises(HarnessError, match="unknown mutation operator nope"):
        generate_mutants([], str, ["nope"])
