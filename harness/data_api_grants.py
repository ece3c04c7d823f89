"""The per-project part of the platform: which default privileges a project created today has.

Since 2026 a new hosted project no longer grants new tables, sequences and functions in `public`
to the Data API roles; the Supabase CLI does the same on `supabase start`
(`RevokeDefaultDataApiPrivilegesSql`, internal/db/start/start.go) unless
`[api] auto_expose_new_tables = true` in supabase/config.toml keeps the old defaults.
"""

from __future__ import annotations

from importlib import resources

import psycopg

from harness.platform_settings import PlatformSettings

REVOKE_SQL = "data_api_grants.sql"


def apply_grants_model(conn: psycopg.Connection, settings: PlatformSettings) -> None:
    """On a fresh clone of the platform database, as the superuser, before any migration."""
    if settings.auto_expose_new_tables:
        return
    conn.execute((resources.files("harness") / REVOKE_SQL).read_bytes())
