"""`harness audit --db-url URL`: audit an existing database (a `supabase start` stack, say) as it is.

Read-only in effect: the catalog rules only read, and the world, the probe triggers and every probe
live inside one transaction that is rolled back at the end (a crash aborts it just the same). The
migrations are not applied: the database is audited as it stands. While the audit runs (about a
second) that transaction holds locks on the audited tables. A URL whose host is not this machine is
refused unless --i-know-this-is-not-production is given.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from psycopg.conninfo import make_conninfo

from harness.audit.run import AuditResult, audit_database
from harness.config import Config
from harness.audit.sequences import sequences_restored
from harness.engine.target import display_host, guarded_params
from harness.findings import HarnessError

Progress = Callable[[str], None]


def audit_existing(url: str, config: Config, progress: Progress, *, allow_remote: bool = False) -> AuditResult:
    params = guarded_params(url, allow_remote, "the audit writes (and rolls back) test users and rows there")
    host = display_host(params)

    def connect() -> psycopg.Connection:
        try:
            return psycopg.connect(make_conninfo(**params), autocommit=True)
        except psycopg.OperationalError as exc:
            raise HarnessError(f"cannot connect to --db-url: {str(exc).strip()}") from None

    progress(f"auditing the database at {host} in place (one transaction, rolled back)")
    try:
        with sequences_restored(connect):  # nextval is not rolled back: put every sequence back
            return audit_database(connect, config, progress, in_place=True, workers=1)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise HarnessError(
            f"the --db-url user may not do what the audit needs ({exc.diag.message_primary}); connect as the "
            "owner of the tables (on a Supabase stack: postgres) or a superuser"
        ) from None
