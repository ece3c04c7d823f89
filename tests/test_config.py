"""harness.toml / [tool.harness]: defaults, the access spec's resolution, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.config import ConfigError, load_config

REPO = Path(__file__).resolve().parent.parent


def _write(tmp_path: Path, text: str, name: str = "harness.toml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_when_there_is_no_configuration(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source is None
    assert config.project.migrations == (tmp_path / "supabase" / "migrations").resolve()
    assert config.project.seed == (tmp_path / "supabase" / "seed.sql").resolve()
    assert config.project.api_schemas == ("public",)
    assert config.tenancy.roles == ("peer_mentor", "coordinator", "org_admin")
    assert config.personas == ("peer_mentor", "coordinator", "org_admin", "anon", "authenticated")


def test_pyproject_tool_harness_is_read(tmp_path: Path) -> None:
    _write(tmp_path, '[tool.harness.project]\napi_schemas = ["public", "api"]\nseed = ""\n', "pyproject.toml")
    config = load_config(tmp_path)
    assert config.project.api_schemas == ("public", "api")
    assert config.project.seed is None


def test_operation_keys_beat_all(tmp_path: Path) -> None:
    _write(tmp_path, """
[tables."public.things"]
owner = "user_id"
[tables."public.things".access]
org_admin = { all = "tenant", delete = "none" }
peer_mentor = { select = "own" }
""")
    spec = load_config(tmp_path).tables["public.things"]
    assert spec.scope("org_admin", "select") == "tenant"
    assert spec.scope("org_admin", "delete") == "none"
    assert spec.scope("peer_mentor", "update") == "none"
    assert spec.scope("anon", "select") == "none"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[project]\nmigraitons = 'x'\n", r"harness.toml:2: \[project.migraitons\] unknown key"),
        ("[tables.\"public.t\".access]\nmentor = { select = 'own' }\n", r"\[tables.public.t.access.mentor\] unknown persona"),
        ("[tables.\"public.t\"]\nowner = 'o'\n[tables.\"public.t\".access]\ncoordinator = { select = 'tenants' }\n",
         r"expected one of none, own, tenant, all, found 'tenants'"),
        ("[tables.\"t\"]\n", r"schema-qualified"),
        ("[tables.\"public.t\".access]\npeer_mentor = { select = 'own' }\n", r"needs the table's `owner` column"),
        ("[tenancy]\nclaims = '{not json'\n", r"\[tenancy.claims\] expected a JSON object"),
        ("[tenancy]\nroles = ['anon']\n", r"built-in persona"),
        ("[[explain]]\nname = 'q'\nquery = 'select 1'\nmax_ms = -1\n", r"\[explain\[0\].max_ms\] expected a positive number"),
        ("[[explain]]\nname = 'q'\nquery = 'select 1'\nas = 'nobody'\n", r"unknown persona 'nobody'"),
        ("[[explain]]\nquery = 'select 1'\n", r"needs a name"),
        ("[project\n", r"not valid TOML"),
        ("[functions.\"public.f\".access]\ncoordinator = { execute = 'tenant' }\n", r"\[functions.public.f.call\] needs `call`"),
        ("[functions.\"f\"]\ncall = 'select 1'\n", r"schema-qualified and without arguments"),
        ("[functions.\"public.f\"]\ncall = 'select 1'\n[functions.\"public.f\".access]\npeer_mentor = { select = 'own' }\n",
         r"\[functions.public.f.access.peer_mentor.select\] unknown key \(expected one of: execute, all\)"),
        ("[functions.\"public.f\"]\ncall = 'select 1'\n[functions.\"public.f\".access]\npeer_mentor = { execute = 'own' }\n",
         r"scope \"own\" needs `owner`"),
        ("[buckets.\"scans\"]\npath = '{tenant}/scan.pdf'\n", r"\[buckets.scans.path\] expected a path template with \{name\}"),
        ("[buckets.\"scans\"]\npath = '{tenant}/{name}'\n[buckets.\"scans\".access]\npeer_mentor = { select = 'own' }\n",
         r"needs \{user\} in the bucket's path"),
        ("[buckets.\"scans\".access]\npeer_mentor = { execute = 'own' }\n", r"unknown key"),
    ],
)
def test_mistakes_name_the_key_and_what_was_expected(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, text)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_missing_project_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope")


def test_the_subjects_configuration_is_valid() -> None:
    config = load_config(REPO)
    assert "public.peer_mentor_certifications" in config.tables
    assert config.functions["public.get_organisation_members"].scope("coordinator") == "tenant"
    assert config.buckets["certificate-scans"].scope("org_admin", "delete") == "tenant"


def test_functions_and_buckets_are_read(tmp_path: Path) -> None:
    _write(tmp_path, """
[functions."public.members"]
call = "select * from public.members('{target_tenant}')"
tenant = "organisation_id"
[functions."public.members".access]
coordinator = { execute = "tenant" }
org_admin = { all = "all" }

[buckets."scans"]
[buckets."scans".access]
peer_mentor = { select = "own", insert = "own" }
org_admin = { all = "tenant", delete = "none" }
""")
    config = load_config(tmp_path)
    members = config.functions["public.members"]
    assert (members.scope("coordinator"), members.scope("org_admin"), members.scope("anon")) == ("tenant", "all", "none")
    scans = config.buckets["scans"]
    assert scans.path == "{tenant}/{user}/{name}"
    assert scans.scope("org_admin", "update") == "tenant" and scans.scope("org_admin", "delete") == "none"
    assert config.audited


def test_explain_seed_can_live_in_a_file(tmp_path: Path) -> None:
    (tmp_path / "seed.sql").write_text("insert into t select generate_series(1, {rows});")
    _write(tmp_path, "[[explain]]\nname = 'q'\nquery = 'select 1'\nseed_file = 'seed.sql'\n")
    [target] = load_config(tmp_path).explain
    assert target.seed == "insert into t select generate_series(1, {rows});"


@pytest.mark.parametrize(("extra", "message"), [
    ("seed_file = 'missing.sql'\n", r"\[explain\[0\].seed_file\] cannot read missing.sql"),
    ("seed_file = 'x.sql'\nseed = 'select 1'\n", r"give `seed` or `seed_file`, not both"),
])
def test_explain_seed_file_mistakes(tmp_path: Path, extra: str, message: str) -> None:
    _write(tmp_path, "[[explain]]\nname = 'q'\nquery = 'select 1'\n" + extra)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)
