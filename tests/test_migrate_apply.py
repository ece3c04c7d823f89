"""A file goes to the server in one round trip; its statements still run exactly as written."""

from __future__ import annotations

from harness.config import load_config
from harness.engine.server import Server
from harness.migrate.run import migrate_template


def test_a_statement_ending_in_a_line_comment_does_not_swallow_the_next(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": "create table public.a (id int) -- the first\n;\n"
                                                 "create table public.b (id int) -- the second"})
    result = migrate_template(pg_server, load_config(root))
    assert result.findings == [] and result.template is not None
    with pg_server.connect(result.template) as conn:
        tables = conn.execute("select relname::text from pg_class where relname in ('a', 'b') order by 1").fetchall()
        recorded = conn.execute("select statements from supabase_migrations.schema_migrations").fetchone()
    pg_server.drop_database(result.template)
    assert tables == [("a",), ("b",)]
    assert recorded is not None and len(recorded[0]) == 2


def test_a_failure_after_good_statements_rolls_the_whole_file_back(pg_server: Server, make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_a.sql": "create table public.a (id int);\nselect 1/0;"})
    result = migrate_template(pg_server, load_config(root))
    assert result.template is None
    [finding] = result.findings
    assert (finding.rule, finding.line) == ("migration-error", 2)
