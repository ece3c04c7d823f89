"""Mutants of a migration history: every operator on every site of every file, each placed in a copy
of its file's text. The obvious equivalent mutants (the mutated statement deparses to the same tree)
and those a reviewer marked are kept, with the reason, but need no database."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from harness.findings import HarnessError
from harness.mutate.marks import read_marks
from harness.mutate.model import Mutant
from harness.mutate.operators import OPERATORS, Operator
from harness.mutate.sites import file_sites
from harness.mutate.tree import deparse
from harness.sql.discovery import MigrationFile

SAME_TREE = "the mutated statement deparses to the same tree as the original"


def select_operators(names: Iterable[str] | None) -> list[Operator]:
    if names is None:
        return list(OPERATORS.values())
    unknown = sorted(set(names) - OPERATORS.keys())
    if unknown:
        raise HarnessError(f"unknown mutation operator {', '.join(unknown)} (known: {', '.join(OPERATORS)})")
    return [OPERATORS[name] for name in names]


def generate_mutants(migrations: list[MigrationFile], shown: Callable[[MigrationFile], str],
                     operators: Iterable[str] | None = None) -> list[Mutant]:
    """Every mutant of the history, numbered in file, statement and operator order."""
    chosen = select_operators(operators)
    mutants: list[Mutant] = []
    for index, migration in enumerate(migrations):
        file = shown(migration)
        marks = read_marks(migration.sql, file, OPERATORS.keys())
        for site in file_sites(migration.sql):
            before = deparse(site.node)
            for operator in chosen:
                for mutation in operator.mutations(site.node):
                    if mutation.statement is None and not site.removable:
                        continue
                    after = "" if mutation.statement is None else deparse(mutation.statement)
                    equivalent = SAME_TREE if after == before else marks.reason(
                        operator.name, (site.line, site.top_line))
                    mutants.append(Mutant(
                        number=len(mutants) + 1, operator=operator.name, file=file, file_index=index,
                        line=site.line, description=mutation.description, before=before, after=after,
                        sql="" if equivalent else site.rebuild(after or None), context=site.context,
                        equivalent=equivalent,
                    ))
    return mutants
