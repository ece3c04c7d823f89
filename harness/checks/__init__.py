"""The check registry: every check the harness has, in report order, imported on first use.

    get_check("test").run(context) -> Outcome
    all_rules()                      -> every rule's metadata (README tables, SARIF)

Adding a check: a module here with a `Check` subclass (its work imported inside `run`, so asking a
check for its name or rules stays cheap), and one line in CHECKS below.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

from harness.findings import HarnessError

if TYPE_CHECKING:
    from harness.checks.base import Check, RuleInfo

# name -> "module:class", in the order `harness check` reports them.
CHECKS: dict[str, str] = {
    "lint": "harness.checks.lint:LintCheck",
    "migrate": "harness.checks.migrate:MigrateCheck",
    "test": "harness.checks.test:TestCheck",
    "audit": "harness.checks.audit:AuditCheck",
    "explain": "harness.checks.explain:ExplainCheck",
    "mutate": "harness.checks.mutate:MutateCheck",
}


@cache
def get_check(name: str) -> Check:
    if name not in CHECKS:
        raise HarnessError(f"unknown check {name!r} (expected one of: {', '.join(gate_checks())})")
    module, _, cls = CHECKS[name].partition(":")
    check: Check = getattr(import_module(module), cls)()
    return check


def gate_checks() -> tuple[str, ...]:
    """The checks `harness check` runs, in order (check modules import their work lazily, so asking is cheap)."""
    return tuple(name for name in CHECKS if get_check(name).in_gate)


def all_rules() -> list[RuleInfo]:
    rules: list[RuleInfo] = []
    for name in CHECKS:
        rules.extend(get_check(name).rules())
    return rules


@cache
def rules_by_key() -> dict[str, RuleInfo]:
    """`check/rule` -> its metadata."""
    return {rule.key: rule for rule in all_rules()}
