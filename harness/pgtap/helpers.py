"""Where the pgTAP helpers (tests.authenticate_as, tests.create_supabase_user, ...) ship.

They live inside the package so a wheel install has them; the repository's `pgtap/` folder links here.
"""

from pathlib import Path

HELPERS_SQL = Path(__file__).resolve().parent / "supabase_test_helpers.sql"
# What `supabase test db` runs before the suites: pgTAP is available on hosted, not created.
PGTAP_SQL = b"create extension if not exists pgtap with schema extensions"
