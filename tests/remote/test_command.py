"""`run_remote_audit` end to end: the STAND-IN Management API (standin.py; not the real service)
serves a "live project" database, found through HARNESS_SUPABASE_API_URL, and the harness builds
the migrations locally with its own engine and compares."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness import catalog
from harness.config import load_config
from harness.engine.server import Server
from harness.migrate.run import migrate_template
from harness.options import Common, EngineOptions
from harness.remote import errors
from harness.remote.command import run_remote_audit
from harness.report.model import Report

from .conftest import REF, REPO, TOKEN, plant
from .standin import StandIn


def common(project: Path) -> Common:
    return Common(project=project, fmt="json", output=None, engine=EngineOptions(), verbose=False)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, standin: StandIn) -> None:
    monkeypatch.setenv("SUPABASE_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("HARNESS_SUPABASE_API_URL", standin.url)


def audit(project: Path) -> tuple[Report, list[str]]:
    said: list[str] = []
    return run_remote_audit(common(project), REF, said.append), said


def drift_of(report: Report) -> list[tuple[str | None, str]]:
    return sorted((f.table, f.evidence["object"]) for f in report.findings if f.rule == "policy-drift")


@pytest.mark.usefixtures("environment")
def test_a_live_project_that_matches_gives_no_drift(
    fixture_project: Path, pg_server: Server, live_database: str, standin: StandIn
) -> None:
    report, said = audit(fixture_project)
    assert drift_of(report) == []
    with pg_server.connect(live_database) as conn:  # the catalog rules ran on the live project
        expected = catalog.run_catalog(conn, ["public"])
    assert sorted(f.rule for f in report.findings) == sorted(f.rule for f in expected)
    assert report.exit_code == (1 if any(f.severity.fails_gate for f in expected) else 0)
    remote = report.details["remote"]
    assert remote["project_ref"] == REF and remote["project_status"] == "ACTIVE_HEALTHY"
    assert remote["live"]["read_only"] == "on"
    assert all(seen.authorized for seen in standin.seen)
    assert all(seen.body["read_only"] is True for seen in standin.seen if seen.method == "POST")
    assert any("Management API" in line for line in said)
    assert TOKEN not in json.dumps(report.to_json())


@pytest.mark.usefixtures("environment")
def test_drift_on_the_live_project_fails_the_gate_with_both_versions(
    fixture_project: Path, pg_server: Server, live_database: str
) -> None:
    plant(pg_server, live_database, """
        alter policy "members read notes" on public.notes using (true);
        alter table public.members no force row level security;
        grant select on public.notes to anon;
    """)
    report, _ = audit(fixture_project)
    assert drift_of(report) == [("public.members", "forced row level security"),
                                ("public.notes", "grants to anon"),
                                ("public.notes", 'policy "members read notes"')]
    assert report.exit_code == 1
    data = report.to_json()
    using = next(f for f in data["findings"] if f["evidence"].get("object") == 'policy "members read notes"')
    assert using["check"] == "audit" and using["severity"] == "error"
    assert "my_organisation()" in using["evidence"]["migrations"]["using"]
    assert using["evidence"]["live"]["using"] == "true"


def test_a_bad_token_stops_before_anything_is_built(
    fixture_project: Path, monkeypatch: pytest.MonkeyPatch, standin: StandIn
) -> None:
    monkeypatch.setenv("SUPABASE_ACCESS_TOKEN", "sbp_not_the_right_one")
    monkeypatch.setenv("HARNESS_SUPABASE_API_URL", standin.url)
    with pytest.raises(errors.AuthenticationError):
        audit(fixture_project)
    assert [seen.method for seen in standin.seen] == ["GET"]


def test_no_token_is_a_clear_error(fixture_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUPABASE_ACCESS_TOKEN", raising=False)
    with pytest.raises(errors.MissingTokenError, match="SUPABASE_ACCESS_TOKEN is not set"):
        audit(fixture_project)


@pytest.mark.usefixtures("environment")
def test_a_paused_project_is_a_clear_error(fixture_project: Path, standin: StandIn) -> None:
    standin.status = "INACTIVE"
    with pytest.raises(errors.ProjectPausedError, match="is paused"):
        audit(fixture_project)


def test_the_repositorys_own_subject_deployed_as_is_has_no_drift(
    tmp_path: Path, pg_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject = tmp_path / "subject"
    shutil.copytree(REPO / "supabase" / "migrations", subject / "supabase" / "migrations")
    built = migrate_template(pg_server, load_config(subject))
    assert built.template is not None
    with pg_server.scratch_database(built.template, "live") as live, \
            StandIn(TOKEN, {REF: pg_server.conninfo(live)}) as standin:
        monkeypatch.setenv("SUPABASE_ACCESS_TOKEN", TOKEN)
        monkeypatch.setenv("HARNESS_SUPABASE_API_URL", standin.url)
        report, _ = audit(subject)
    assert drift_of(report) == []


@pytest.mark.usefixtures("environment")
def test_migrations_that_do_not_apply_are_the_finding_and_nothing_is_compared(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    (broken / "supabase" / "migrations").mkdir(parents=True)
    (broken / "supabase" / "migrations" / "20260101000000_broken.sql").write_text("create tabel public.x (id int);\n")
    report, _ = audit(broken)
    assert [f.rule for f in report.findings if f.check == "migrate"] == ["migration-error"]
    assert drift_of(report) == [] and report.details["remote"]["compared"] is None
    assert report.exit_code == 1
