"""A plpgsql body (function or DO block) the linter's parser cannot analyse; PostgreSQL may well accept it.

libpg_query's plpgsql parser does not know the catalog, so a few valid shapes defeat it (assigning to
a field of a `%ROWTYPE` variable of a table it has not seen, for example). The body's SQL is then not
linted; the real server (`harness migrate`, plpgsql_check) is the authority on whether it is valid.

Why it matters: a reviewer should know which bodies no rule looked into; it is never a reason to fail
the gate, so it is `info`, not `parse-error`.
"""

from __future__ import annotations

from harness.findings import Severity
from harness.lint.rules.base import Rule


class BodyNotAnalysed(Rule):
    id = "body-not-analysed"
    severity = Severity.INFO
