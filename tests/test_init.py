"""`harness init`: a valid starter configuration drafted from the migrations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness.config import load_config

MEMBERSHIP_PROJECT = {
    "20260101000000_teams.sql": """
        create table if not exists public.teams (id uuid primary key default gen_random_uuid(), title text not null);
        alter table public.teams enable row level security;
        create table if not exists public.memberships (
          user_id uuid not null references auth.users (id) on delete cascade,
          team_id uuid not null references public.teams (id) on delete cascade,
          member_role text not null check (member_role in ('viewer', 'editor')),
          primary key (user_id, team_id)
        );
        alter table public.memberships enable row level security;
        create table if not exists public.notes (
          id bigint generated always as identity primary key,
          team_id uuid not null references public.teams (id),
          author uuid not null references auth.users (id),
          body text not null,
          pinned boolean not null
        );
        create table if not exists public.colours (name text primary key);
    """,
}


def test_init_drafts_a_valid_configuration(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(MEMBERSHIP_PROJECT)
    result = subprocess.run([sys.executable, "-m", "harness", "init", "--project", str(root)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = (root / "harness.toml").read_text()
    config = load_config(root)
    assert config.tenancy.roles == ("viewer", "editor")
    assert config.tenancy.tenant == "insert into public.teams (id, title) values ('{tenant}', 'sample')"
    assert config.tenancy.member == ("insert into public.memberships (user_id, team_id, member_role) "
                                     "values ('{user}', '{tenant}', '{role}')")
    notes = config.tables["public.notes"]
    assert (notes.owner, notes.tenant) == ("author", "team_id")
    assert notes.row == ("insert into public.notes (author, team_id, body, pinned) "
                         "values ('{user}', '{tenant}', 'sample', false)")
    assert config.tables["public.colours"].owner is None
    assert "WARNING: row level security is not enabled" in text  # notes and colours
    assert "# viewer = { select = \"own\" }" in text
    # The project has history: it adopts the gate with everything shipped as the baseline.
    assert config.project.baseline == max(name.split("_", 1)[0] for name in MEMBERSHIP_PROJECT)


def test_init_never_overwrites(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(MEMBERSHIP_PROJECT, toml="[project]\n")
    result = subprocess.run([sys.executable, "-m", "harness", "init", "--project", str(root)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "exists already" in result.stderr
    assert (root / "harness.toml").read_text() == "[project]\n"


def test_init_on_the_subject_finds_organisations_users_and_roles(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    project = tmp_path / "subject"
    (project / "supabase").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(repo / "supabase" / "migrations"), str(project / "supabase")], check=True)
    result = subprocess.run([sys.executable, "-m", "harness", "init", "--project", str(project)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    config = load_config(project)
    assert config.tenancy.roles == ("peer_mentor", "coordinator", "org_admin")
    assert "public.organisations" in config.tenancy.tenant and "public.users" in config.tenancy.member
    assert config.tables["public.peer_mentor_certifications"].owner == "peer_mentor_id"


ODD_NAMES_PROJECT = {
    "20260101000000_odd.sql": """
        create schema sales;
        create table sales.accounts (id uuid primary key default gen_random_uuid(), "Title" text not null);
        create table sales.members (
          "user" uuid not null references auth.users (id),
          "Accounts ID" uuid not null references sales.accounts (id),
          role text not null check (role in ('buyer', 'it''s "complicated"\\')),
          primary key ("user", "Accounts ID")
        );
        create table sales.notes (
          id bigint generated always as identity primary key,
          "user" uuid not null references auth.users (id),
          "Accounts ID" uuid not null references sales.accounts (id),
          "select" text not null
        );
    """,
}


def test_init_escapes_what_it_writes_and_reads_supabase_config(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project(ODD_NAMES_PROJECT)
    (root / "supabase" / "config.toml").write_text('[api]\nschemas = ["sales"]\n[db]\nmajor_version = 15\n')
    result = subprocess.run([sys.executable, "-m", "harness", "init", "--project", str(root)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    config = load_config(root)  # the TOML reads back
    assert config.project.api_schemas == ("sales",)
    assert config.tenancy.roles == ("buyer", 'it\'s "complicated"\\')
    assert config.tenancy.tenant == 'insert into sales.accounts (id, "Title") values (\'{tenant}\', \'sample\')'
    assert config.tenancy.member == ('insert into sales.members ("user", "Accounts ID", role) '
                                     "values ('{user}', '{tenant}', '{role}')")
    notes = config.tables["sales.notes"]
    assert notes.owner == "user" and notes.tenant == "Accounts ID"
    assert notes.row == ('insert into sales.notes ("user", "Accounts ID", "select") '
                         "values ('{user}', '{tenant}', 'sample')")


def test_init_never_writes_the_subjects_defaults(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({"20260101000000_lookup.sql": "create table public.colours (name text primary key);\n"})
    result = subprocess.run([sys.executable, "-m", "harness", "init", "--project", str(root)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    text = (root / "harness.toml").read_text()
    assert "MISSING: no table references auth.users" in text and "missing: no table references" in result.stdout
    config = load_config(root)
    assert config.tenancy.tenant == "" and config.tenancy.member == "" and "organisations" not in text
