"""`harness mutate`: how strong are a project's own tests? Break its migrations on purpose, in small
realistic ways, and see which breakages its pgTAP suites (and, with --with-audit, the audit) let through.

    mutants = generate_mutants(migrations, shown)           # from pglast trees, never by text substitution
    outcomes = MutantRunner(workspace, migrations, plan).run(mutants, jobs)
    Score.of(outcomes).percent                              # killed / (killed + survived)

Operators live in `harness.mutate.operators`, one module each.
"""

from harness.mutate.generate import generate_mutants
from harness.mutate.model import Killer, Mutant, Mutation, Outcome, Score
from harness.mutate.runner import MutantRunner, MutationPlan

__all__ = ["Killer", "Mutant", "MutantRunner", "Mutation", "MutationPlan", "Outcome", "Score", "generate_mutants"]
