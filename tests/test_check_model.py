"""The one check model: every command is a selection over the check registry, run by one runner.

Regression tests for what two entry paths per check used to get wrong, and proof that the registry
is the single source of rule metadata.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness.checks import CHECKS, all_rules, gate_checks, get_check, rules_by_key
from harness.report.formats import formats_for

REPO = Path(__file__).resolve().parent.parent

NOTES = """
create table if not exists public.notes (id uuid primary key default gen_random_uuid(), body text not null default '');
alter table public.notes enable row level security;
drop policy if exists "read notes" on public.notes;
create policy "read notes" on public.notes for select to authenticated using (true);
"""
# A second file that replaces the first file's policy: a foreign-policy finding, nothing a suite sees.
FOREIGN = """
drop policy if exists "read notes" on public.notes;
create policy "read notes" on public.notes for select to authenticated using ((select auth.uid()) is not null);
"""
SUITE = "begin;\nselect plan(1);\nselect has_table('public', 'notes', 'notes exists');\nselect * from finish();\nrollback;\n"


def _project(root: Path) -> Path:
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "20260101000000_notes.sql").write_text(NOTES)
    (migrations / "20260102000000_tighten.sql").write_text(FOREIGN)
    (root / "supabase" / "tests").mkdir()
    (root / "supabase" / "tests" / "notes.test.sql").write_text(SUITE)
    return root


def _harness(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = subprocess.run([sys.executable, "-m", "harness", *args, "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_a_check_gives_the_same_verdict_alone_and_inside_the_gate(tmp_path: Path) -> None:
    root = str(_project(tmp_path))
    test_code, test_report = _harness("test", "--project", root)
    only_code, only_report = _harness("check", "--project", root, "--only", "test")
    # The foreign-policy change is the migrate check's to report; the suites pass.
    assert test_code == only_code == 0, (test_report["findings"], only_report["findings"])
    assert test_report["summary"]["tests"] == only_report["summary"]["tests"] == {"passed": 1, "failed": 0}
    migrate_code, migrate_report = _harness("migrate", "--project", root)
    assert migrate_code == 1
    assert {f["rule"] for f in migrate_report["findings"]} == {"foreign-policy"}
    audit_code, _ = _harness("audit", "--project", root)
    only_audit_code, _ = _harness("check", "--project", root, "--only", "audit")
    assert audit_code == only_audit_code


def test_migrate_timings_add_up(tmp_path: Path) -> None:
    code, report = _harness("migrate", "--project", str(_project(tmp_path)))
    timings = report["timings"]
    # The apply once plus the second pass, each counted once, within the whole run.
    assert timings["migrate"] <= timings["total_s"]
    assert timings["engine_s"] + timings["migrate"] <= timings["total_s"] + 0.05


def test_every_rule_a_finding_can_name_has_metadata() -> None:
    """Rule ids written in the code (rule="x", to_finding("x"), catalog files, lint rules) are registered."""
    known = {rule.id for rule in all_rules()}
    written: set[str] = set()
    for path in (REPO / "harness").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "rule" and isinstance(node.value, ast.Constant):
                written.add(str(node.value.value))
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "to_finding" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                written.add(str(node.args[0].value))
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "RULE" for t in node.targets) \
                    and isinstance(node.value, ast.Constant):
                written.add(str(node.value.value))
    assert written, "the scan found no rule ids: it is broken"
    assert written <= known, sorted(written - known)


def test_rule_metadata_is_complete_and_unique() -> None:
    rules = all_rules()
    keys = [rule.key for rule in rules]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    for rule in rules:
        assert rule.summary.strip() and rule.summary.endswith((".", ")")), rule


def _readme_rule_rows() -> dict[str, set[str]]:
    """`| \\`rule-id\\` | severity ...` rows of the README's rule tables: id -> severities written."""
    rows: dict[str, set[str]] = {}
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z][a-z0-9/-]*)` \| (critical|error|warning|info)\b", line)
        if match:
            rows.setdefault(match[1].split("/")[-1], set()).add(match[2])
    return rows


def test_the_readme_rule_reference_is_generated_from_the_registry() -> None:
    from harness.checks.reference import with_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert with_table(readme) == readme, "run `python -m harness.checks.reference README.md`"


def test_the_readme_rule_tables_agree_with_the_registry() -> None:
    """The hand-written tables of each command's section name registered rules at their severities."""
    by_id: dict[str, set[str]] = {}
    for rule in all_rules():
        by_id.setdefault(rule.id, set()).add(rule.severity.value)
    rows = _readme_rule_rows()
    assert rows, "no rule table rows found in the README"
    for rule_id, severities in rows.items():
        assert rule_id in by_id, f"the README documents {rule_id}, which no check registers"
        assert severities <= by_id[rule_id], (rule_id, severities, by_id[rule_id])


def test_sarif_describes_every_rule_from_the_registry() -> None:
    from harness.report.sarif import describe_rule

    for key, rule in rules_by_key().items():
        assert describe_rule(key) == (rule.summary, rule.full_help)


def test_commands_offer_the_formats_their_checks_fit() -> None:
    assert "tap" in formats_for(("test",)) and "tap" not in formats_for(("audit",))
    assert "github" in formats_for(("lint",)) and "github" in formats_for(gate_checks())
    assert set(gate_checks()) == set(CHECKS) - {"mutate"}
    assert not get_check("mutate").in_gate


@pytest.mark.parametrize("argv,heavy", [
    (["--version"], ("harness.engine", "pglast", "psycopg")),
    (["emit", "--help"], ("harness.engine", "pglast", "psycopg")),
    (["lint", "--help"], ("harness.engine", "harness.workspace", "psycopg")),
])
def test_commands_import_only_what_they_use(argv: list[str], heavy: tuple[str, ...]) -> None:
    code = ("import sys, contextlib, io\nimport harness.cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try: harness.cli.main({argv!r})\n    except SystemExit: pass\n"
            "print(' '.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not [m for m in loaded if m.startswith(heavy)], [m for m in loaded if m.startswith(heavy)]
