"""What `harness emit` writes, without a database: layout, determinism, plans, descriptions."""

from __future__ import annotations

import re
from pathlib import Path

from harness.config import load_config, parse_config
from harness.emit.matrix import table_matrix
from harness.emit.render import HELPERS_FILE, MARKER, dollar_quote, emit_files
from harness.emit.world import plan_world
from harness.pgtap.discovery import discover_suites
from harness.pgtap.helpers import HELPERS_SQL

from .conftest import ASSERTION, REPO, planned

CERTS = "public.peer_mentor_certifications.test.sql"


def subject_files() -> dict[str, str]:
    return emit_files(load_config(REPO))


def test_emitting_twice_writes_byte_identical_files() -> None:
    assert subject_files() == subject_files()


def test_one_suite_per_table_plus_rls_and_setup_includes_that_no_runner_takes_for_suites(tmp_path: Path) -> None:
    files = subject_files()
    assert sorted(files) == [
        "_setup/harness_probes.psql", "_setup/harness_surfaces.psql", "_setup/supabase_test_helpers.psql",
        "_setup/world.psql", "bucket.certificate-scans.test.sql", "public.organisations.test.sql", CERTS,
        "public.users.test.sql", "rls_enabled.test.sql", "rpc.public.get_organisation_members.test.sql",
        "rpc.public.get_user_organisation_id.test.sql", "rpc.public.get_user_role.test.sql",
    ]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    suites = [p.relative_to(tmp_path).as_posix() for p in discover_suites(tmp_path, tmp_path)]
    assert suites == sorted(n for n in files if n.endswith(".test.sql"))


def test_every_file_says_it_is_generated_and_must_not_be_edited() -> None:
    for text in subject_files().values():
        assert text.startswith(MARKER + " from harness.toml: do not edit.")
        assert "`harness emit --check`" in text.splitlines()[1]


def test_every_suite_plans_exactly_its_assertions_in_one_transaction() -> None:
    for name, text in subject_files().items():
        if not name.endswith(".test.sql"):
            continue
        assert planned(text) == len(ASSERTION.findall(text)), name
        statements = [line for line in text.splitlines() if line and not line.startswith(("--", " "))]
        assert statements[0] == "begin;" and statements[-2:] == ["select * from finish();", "rollback;"], name


def test_no_psql_meta_command_but_ir() -> None:
    """`supabase test db` runs the files with pg_prove's psql: \\ir is all they use."""
    for name, text in subject_files().items():
        commands = {line.split()[0] for line in text.splitlines() if line.startswith("\\")}
        assert commands <= {"\\ir"}, name


def test_descriptions_name_persona_operation_and_rows_once_each() -> None:
    text = subject_files()[CERTS]
    descriptions = re.findall(r"^  '(.*)'\);$", text, re.MULTILINE)
    assert len(descriptions) == len(set(descriptions)) == planned(text) - 1  # rls_enabled() has its own
    for expected in (
        "peer_mentor of tenant A can select its own row",
        "peer_mentor of tenant A cannot select rows of other members of tenant A",
        "coordinator of tenant A can select the rows of other members of tenant A",
        "coordinator of tenant A cannot update rows of tenant B",
        "coordinator of tenant B cannot update rows of tenant A",
        "coordinator of tenant A can insert a row of another member of tenant A (peer_mentor A1)",
        "coordinator of tenant A cannot insert a row of a member of tenant B (org_admin B1)",
        "coordinator of tenant A cannot move rows of tenant A to peer_mentor B1 of tenant B (update of peer_mentor_id)",
        "coordinator of tenant A cannot delete its own row",
        "org_admin of tenant B can delete the rows of other members of tenant B",
        "org_admin of tenant A cannot delete rows outside tenants A and B",
        "a signed-in user with no membership cannot select rows of tenant A",
        "anon cannot insert a row of a member of tenant B (coordinator B1)",
    ):
        assert expected in descriptions, expected


def test_the_header_tables_the_spec_and_personas_come_in_a_stable_order() -> None:
    text = subject_files()[CERTS]
    assert "--   coordinator    tenant  tenant  tenant  none\n" in text
    switches = re.findall(r"^select tests\.authenticate_as(?:_anon)?\('?([^')]*)'?\);$", text, re.MULTILINE)
    assert switches == ["peer_mentor A1", "peer_mentor B1", "coordinator A1", "coordinator B1", "org_admin A1",
                        "org_admin B1", "outsider", ""]


def test_the_world_uses_the_helpers_and_the_tenancy_templates_with_fixed_tenant_ids() -> None:
    world = subject_files()["_setup/world.psql"]
    config = load_config(REPO)
    assert config.tenancy.member in world and config.tenancy.tenant in world
    assert "perform pg_temp.harness_member('coordinator B2', 'B', 'coordinator');" in world
    assert "perform pg_temp.harness_seed('public.peer_mentor_certifications', 'org_admin A2');" in world
    assert "('A', '10cd3b51-390e-5bd7-83ee-7577ca64f8fb')" in world  # uuid5: the same in every run
    assert world.index("lock table") < world.index("\\ir supabase_test_helpers.psql")


def test_the_helpers_are_embedded_whole_and_installed_only_when_missing() -> None:
    helpers = subject_files()[HELPERS_FILE]
    assert HELPERS_SQL.read_text(encoding="utf-8") in helpers
    assert "to_regprocedure('tests.authenticate_as(text)') is not null" in helpers


def test_dollar_quotes_pick_a_tag_the_text_does_not_contain() -> None:
    assert dollar_quote("select 1", "t") == "$t$select 1$t$"
    assert dollar_quote("a $t$ b $t1$", "t") == "$t2$a $t$ b $t1$$t2$"


def test_member_and_tenant_tables_come_from_the_tenancy_templates() -> None:
    emit = plan_world(load_config(REPO))
    assert emit.member_tables == {"public.users"} and emit.tenant_tables == {"public.organisations"}
    odd = parse_config(REPO, {"tenancy": {"member": "select app.add_member('{user}', '{tenant}')"},
                              "tables": {"public.t": {"owner": "o", "access": {"anon": {"select": "all"}}}}}, None)
    assert plan_world(odd).member_tables == frozenset()


def test_a_table_without_row_template_says_what_is_not_probed() -> None:
    config = parse_config(REPO, {"tables": {"public.lookup": {"access": {"anon": {"select": "all"}}}}}, None)
    matrix = table_matrix(plan_world(config), "public.lookup")
    assert any("insert is not probed" in note for note in matrix.notes)
    anon = matrix.blocks[-1]
    assert anon.switch == "select tests.authenticate_as_anon();"
    assert "'anon can select every row'" in anon.assertions[0]
    assert "'anon cannot update any row'" in anon.assertions[1]
