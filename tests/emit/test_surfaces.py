"""The emitted suites of RPC functions and buckets (issue 21) against real PostgreSQL: the planted
defects of tests/audit/schemas/surfaces.sql fail them with assertions that name the persona, the
operation and the target; the clean function and bucket pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.emit.command import run_emit

from .conftest import REPO
from .test_suites import failures, suite_report

SCHEMAS = REPO / "tests" / "audit" / "schemas"


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    root = tmp_path_factory.mktemp("surfaces")
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "20260101000000_schema.sql").write_text(
        "\n".join((SCHEMAS / n).read_text(encoding="utf-8") for n in ("base.sql", "surfaces.sql")), encoding="utf-8")
    (root / "harness.toml").write_text(
        "\n".join((SCHEMAS / n).read_text(encoding="utf-8") for n in ("base.toml", "surfaces.toml")), encoding="utf-8")
    assert run_emit(root, None, check=False) == 0
    return failures(suite_report(root))


@pytest.mark.parametrize("suite, expected", [
    ("rpc.public.f_members_by_argument.test.sql",
     "coordinator of tenant A calling public.f_members_by_argument aimed at tenant B (peer_mentor B1) gets and "
     "changes nothing outside its tenant scope"),
    ("rpc.public.f_colleagues.test.sql",
     "coordinator of tenant A calling public.f_colleagues aimed at its own tenant A and itself gets and changes "
     "nothing outside its tenant scope"),
    ("rpc.public.f_promote_anyone.test.sql",
     "org_admin of tenant A calling public.f_promote_anyone aimed at tenant B (peer_mentor B1) gets and changes "
     "nothing outside its tenant scope"),
    ("bucket.b_bucket_only.test.sql", "peer_mentor of tenant A cannot select objects of tenant B"),
    ("bucket.b_wrong_column.test.sql", "coordinator of tenant A cannot select objects of tenant B"),
    ("bucket.b_upload_any_tenant.test.sql", "peer_mentor of tenant A cannot upload into its own folder placed in tenant B"),
    ("bucket.b_move_out.test.sql",
     "peer_mentor of tenant A cannot move its own objects into the folder of peer_mentor B1 of tenant B"),
])
def test_defect_fails_its_suite(failed: dict[str, set[str]], suite: str, expected: str) -> None:
    assert expected in failed.get(suite, set()), failed.get(suite)


@pytest.mark.parametrize("suite", ["rpc.public.f_members.test.sql", "rpc.public.f_promote.test.sql",
                                   "bucket.b_clean.test.sql"])
def test_clean_surface_passes(failed: dict[str, set[str]], suite: str) -> None:
    assert suite not in failed, failed.get(suite)


def test_subject_surfaces_are_emitted() -> None:
    out = REPO / "supabase" / "tests" / "database" / "harness"
    assert (out / "bucket.certificate-scans.test.sql").is_file()
    assert (out / "rpc.public.get_organisation_members.test.sql").is_file()
    assert Path(out / "_setup" / "harness_surfaces.psql").is_file()
