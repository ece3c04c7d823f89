"""A migration file the Supabase CLI skips (not `<digits>_<name>.sql`, an old first `<timestamp>_init.sql`) or two files that share a version; a warning when a version is not a 14-digit timestamp (the file runs).

Why it matters: the Supabase CLI silently skips files it cannot order, so the migration never runs in
any environment, and nobody notices until the schema is missing something.
"""

from __future__ import annotations

from harness.findings import Severity
from harness.lint.rules.base import Rule


class Filename(Rule):
    id = "filename"
    severity = Severity.ERROR
