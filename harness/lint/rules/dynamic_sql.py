"""A DO block runs SQL the linter cannot read: `EXECUTE format(...)` or another non-literal string.

Why it matters: the rules cannot see what that SQL does to policies, RLS or idempotency, so a
reviewer has to. Literal strings (`EXECUTE 'alter table ...'`) are opened and linted like any statement.
"""

from __future__ import annotations

from harness.findings import Severity
from harness.lint.rules.base import Rule


class DynamicSql(Rule):
    id = "dynamic-sql"
    severity = Severity.INFO
