"""The file is not valid PostgreSQL (PostgreSQL 18 grammar, a superset of 15 and 17), or a function / DO body is not valid plpgsql or SQL.

Why it matters: the migration fails when it is applied. The linter reports the first syntax error of
a file with its line, and still lints the statements it can read on their own.
"""

from __future__ import annotations

from harness.findings import Severity
from harness.lint.rules.base import Rule


class ParseErrorRule(Rule):
    id = "parse-error"
    severity = Severity.ERROR
