"""Suites that install the test helpers as an extension, as basejump's (through dbdev) are installed.

Such suites begin with `create extension [if not exists] "basejump-supabase_test_helpers"` (or the
short name `supabase_test_helpers`). The harness ships its own helpers under both names
(harness/extensions), and creates the one the suites name in the test template, so every suite
sees the helpers, including those that rely on a set-up suite having created them (pg_prove runs
files in one database), and a suite's own IF NOT EXISTS is a no-op. Other projects get the helpers
as plain SQL, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
from psycopg import sql

HELPERS_EXTENSION = re.compile(
    r'create\s+extension\s+(?:if\s+not\s+exists\s+)?"?((?:basejump-)?supabase_test_helpers)\b', re.IGNORECASE
)


def helpers_extension_named(tests: Path | None) -> str | None:
    """The helpers' extension name the project's suites create, if any of them does."""
    if tests is None or not tests.is_dir():
        return None
    for path in sorted(tests.rglob("*.sql")):
        found = HELPERS_EXTENSION.search(path.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(1).lower()
    return None


def install_helpers(conn: psycopg.Connection, helpers_sql: bytes, tests: Path | None) -> None:
    """The helpers in a test template: as the extension the suites name where the server has it."""
    name = helpers_extension_named(tests)
    if name and conn.execute("select 1 from pg_available_extensions where name = %s", (name,)).fetchone():
        conn.execute(sql.SQL("create extension if not exists {}").format(sql.Identifier(name)))
    else:
        conn.execute(helpers_sql)
