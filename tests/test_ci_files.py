"""The CI files users copy: the workflow and compose file against their schemas, the Dockerfile's inputs.

They cannot run here (no GitHub runner, no Docker engine); these checks are what can be proven.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


@pytest.mark.parametrize(
    ("path", "schema"),
    [(".github/workflows/harness.yml", "vendor.github-workflows"), ("docker/compose.yaml", "vendor.compose-spec")],
)
def test_files_match_their_schemas(path: str, schema: str) -> None:
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(REPO / path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_the_gate_uploads_sarif_and_fails_on_exit_1() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/harness.yml").read_text())
    gate = workflow["jobs"]["gate"]["steps"]
    runs = "\n".join(step.get("run", "") for step in gate)
    assert "harness check" in runs and "--format sarif --output harness.sarif" in runs
    uploads = [s for s in gate if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")]
    assert uploads and uploads[0]["with"]["sarif_file"] == "harness.sarif"
    assert any("exit_code != '0'" in str(step.get("if", "")) for step in gate)
    assert workflow["permissions"]["security-events"] == "write"
    # Pull requests are judged on their change set: the base branch must be fetched for git merge-base.
    assert gate[0]["uses"].startswith("actions/checkout") and gate[0]["with"]["fetch-depth"] == 0
    assert "--whole-history" in str(gate) and "--base" not in runs  # the default follows GITHUB_BASE_REF
    supabase = workflow["jobs"]["supabase"]["steps"]
    assert any("supabase start" in step.get("run", "") for step in supabase)
    assert any("--db-url" in step.get("run", "") for step in supabase)


def test_dockerfile_copies_what_exists_and_installs_pgtap() -> None:
    text = (REPO / "docker/Dockerfile").read_text()
    for source in re.findall(r"^COPY (.+) /opt/harness", text, flags=re.MULTILINE):
        for item in source.split():
            assert (REPO / item).exists(), item
    for package in ("postgresql-15", "postgresql-15-pgtap", "libtap-parser-sourcehandler-pgtap-perl"):
        assert package in text
    assert 'ENTRYPOINT ["harness"]' in text
