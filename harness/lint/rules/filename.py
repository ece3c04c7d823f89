"""A migration file name is not `<14-digit timestamp>_<name>.sql`, or two files share a version.

Why it matters: the Supabase CLI silently skips files it cannot order, so the migration never runs in
any environment, and nobody notices until the schema is missing something.
"""

from __future__ import annotations

from harness.findings import Severity
from harness.lint.rules.base import Rule


class Filename(Rule):
    id = "filename"
    severity = Severity.ERROR
