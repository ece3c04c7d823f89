"""Security rules over the migrated catalog, splinter-style: one SELECT per rule in rules/*.sql.

Every rule returns rows with the same columns: name, level, title, table, persona, operation,
description, detail, remediation, metadata. Each file opens with its documentation, the single source
of the rule's metadata (README, SARIF): `-- <id> (<severity>[; ...]): <what it finds>`, continued on
the following comment lines. Adding a rule is adding a file. `prelude.sql` defines
the temporary views the rules share (which relations a view reads, the API roles, the API schemas'
relations); everything runs in one transaction that is rolled back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import dict_row

from harness.findings import Finding, Severity

if TYPE_CHECKING:
    from harness.checks.base import RuleInfo

HERE = Path(__file__).resolve().parent
PRELUDE = HERE / "prelude.sql"
RULES = HERE / "rules"


def rule_files() -> list[Path]:
    return sorted(RULES.glob("*.sql"))


def rule_ids() -> list[str]:
    return [path.stem.replace("_", "-") for path in rule_files()]


HEADER_RE = re.compile(r"^(?P<id>[a-z][a-z0-9-]*) \((?P<severity>[a-z]+)[^)]*\): (?P<text>.*)$", re.DOTALL)


def catalog_rules() -> list[RuleInfo]:
    """Every rule's metadata, read from the comment that opens its file."""
    from harness.checks.base import RuleInfo

    rules = []
    for path in rule_files():
        header = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("--"):
                break
            header.append(line[2:].strip())
        match = HEADER_RE.match(" ".join(header))
        if match is None or match["id"] != path.stem.replace("_", "-"):
            raise ValueError(f"{path.name} does not open with `-- <id> (<severity>): <what it finds>`")
        text = match["text"]
        summary = text[:1].upper() + text[1:].split(". ", 1)[0].rstrip(".") + "."
        rules.append(RuleInfo("catalog", match["id"], Severity(match["severity"]), summary, text))
    return rules


def prepare(conn: psycopg.Connection, api_schemas: Iterable[str]) -> None:
    """Inside the caller's transaction: the API schemas and the shared temporary views."""
    conn.execute("select set_config('harness.api_schemas', %s, true)", [",".join(api_schemas)])
    conn.execute(PRELUDE.read_bytes())


def run_catalog(conn: psycopg.Connection, api_schemas: Iterable[str]) -> list[Finding]:
    findings: list[Finding] = []
    with conn.transaction(force_rollback=True):
        prepare(conn, api_schemas)
        for path in rule_files():
            with conn.cursor(row_factory=dict_row) as cursor:
                cursor.execute(path.read_bytes())
                findings.extend(finding_from_row(row) for row in cursor.fetchall())
    return findings


def finding_from_row(row: dict[str, Any]) -> Finding:
    """One row of a rule (by column name) as a Finding with check "catalog"."""
    evidence = {
        "title": row["title"],
        "description": row["description"],
        "remediation": row["remediation"],
        **(row.get("metadata") or {}),
    }
    return Finding(
        check="catalog",
        rule=row["name"],
        severity=Severity(row["level"]),
        message=row["detail"],
        table=row["table"],
        persona=row["persona"],
        operation=row["operation"],
        evidence=evidence,
    )

