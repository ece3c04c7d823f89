"""The command line: `harness audit` on the subject, --html, --db-url in place, and user mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_support import schema, write_project

from harness.audit.existing import audit_existing
from harness.cli import main
from harness.config import ConfigError, load_config
from harness.engine.server import Server
from harness.findings import HarnessError
from harness.migrate.run import migrate_template

SUBJECT = Path(__file__).resolve().parents[2]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, " ".join(err.split())  # rich wraps long lines


def test_audit_json_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path / "p", schema("base.sql", "clean.sql"), schema("base.toml", "clean.toml"))
    page = tmp_path / "audit.html"
    code, out, _ = _run(["audit", "--project", str(root), "--format", "json", "--html", str(page)], capsys)
    report = json.loads(out)
    assert code == 0 and report["command"] == "audit" and report["ok"] is True
    matrices = report["details"]["audit"]["tables"]
    assert {m["table"] for m in matrices} >= {"public.projects", "public.announcements", "public.project_titles"}
    assert all(set(f) >= {"check", "rule", "severity", "table", "persona", "operation", "evidence"}
               for f in report["findings"])
    assert "public.announcements" in page.read_text(encoding="utf-8")


def test_a_bad_row_template_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = schema("base.toml", "clean.toml").replace("values ('news')", "values ('news', 'extra')")
    root = write_project(tmp_path / "p", schema("base.sql", "clean.sql"), toml)
    code, _, err = _run(["audit", "--project", str(root)], capsys)
    assert code == 2
    assert 'public.announcements"] row for' in err and "Traceback" not in err


def test_a_spec_for_a_missing_table_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = schema("base.toml") + '\n[tables."public.nothing"]\ntenant = "id"\n'
    root = write_project(tmp_path / "p", schema("base.sql"), toml)
    code, _, err = _run(["audit", "--project", str(root)], capsys)
    assert code == 2 and "does not exist" in err


def test_existing_database_is_audited_in_place_and_left_untouched(
        pg_server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    config = load_config(SUBJECT)
    template = migrate_template(pg_server, config).template
    assert template is not None
    try:
        code, out, _ = _run(["audit", "--project", str(SUBJECT), "--db-url", pg_server.url(template),
                             "--format", "json"], capsys)
        report = json.loads(out)
        assert code == 0, [f["message"] for f in report["findings"] if f["severity"] in ("critical", "error")]
        assert report["details"]["audit"]["world"]["probes"] > 100
        with pg_server.connect(template) as conn:
            assert conn.execute("select count(*) from auth.users").fetchone() == (0,)
            assert conn.execute("select count(*) from public.organisations").fetchone() == (0,)
            assert conn.execute("select to_regnamespace('harness_audit')").fetchone() == (None,)
            assert conn.execute("select count(*) from pg_trigger where tgname like '%harness%'").fetchone() == (0,)
    finally:
        pg_server.drop_database(template)


def test_without_an_access_spec_only_the_catalog_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path / "p", "create table public.things (id int primary key);\n", "")
    code, out, _ = _run(["audit", "--project", str(root), "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 1
    assert {(f["rule"], f["table"]) for f in report["findings"]} == {
        ("rls-disabled", "public.things"), ("not-covered", "public.things")}
    assert report["details"]["audit"]["world"] is None
    assert next(f for f in report["findings"] if f["rule"] == "not-covered")["severity"] == "warning"


def test_an_audit_that_covered_no_table_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    migration = "create table public.things (id int primary key);\nalter table public.things enable row level security;\n"
    root = write_project(tmp_path / "p", migration, "")
    code, out, err = _run(["audit", "--project", str(root)], capsys)
    assert code == 0  # warnings do not fail the gate, but the verdict line says nothing was probed
    text = " ".join((out + err).split())
    assert "PASSED" in text and "no table audited (1 table in the API schemas, none in the access spec" in text
    assert "not-covered" in text


def test_a_remote_database_needs_the_explicit_flag() -> None:
    config = load_config(SUBJECT)
    with pytest.raises(HarnessError, match="--i-know-this-is-not-production"):
        audit_existing("postgresql://postgres@db.example.com:5432/postgres", config, lambda _: None)


def test_returning_in_a_row_template_is_refused(pg_server: Server, tmp_path: Path) -> None:
    from audit_support import audit_project

    toml = schema("base.toml", "clean.toml").replace("values ('news')", "values ('news') returning id")
    root = write_project(tmp_path / "p", schema("base.sql", "clean.sql"), toml)
    with pytest.raises(ConfigError, match="RETURNING"):
        audit_project(pg_server, root)
