"""From measurements to findings: `seq-scan`, `too-slow`, `query-error` (check "explain")."""

from __future__ import annotations

from harness.explain.model import TargetResult
from harness.findings import Finding, Severity

CHECK = "explain"


def target_findings(result: TargetResult) -> list[Finding]:
    if result.error is not None:
        return [_error_finding(result)]
    return [*_seq_scan_findings(result), *_too_slow_findings(result)]


def _finding(result: TargetResult, rule: str, message: str, table: str | None = None, **evidence: object) -> Finding:
    return Finding(
        check=CHECK,
        rule=rule,
        severity=Severity.ERROR,
        message=message,
        table=table,
        persona=result.persona,
        evidence={"target": result.name, "rows": result.rows, **evidence},
    )


def _seq_scan_findings(result: TargetResult) -> list[Finding]:
    forbidden = set(result.forbid_seq_scan)
    findings = []
    seen: set[str] = set()
    for scan in result.analysis.get("seq_scans", []):
        table = scan["relation"]
        if table not in forbidden or table in seen:
            continue
        seen.add(table)
        looked_at = (scan.get("rows") or 0) + (scan.get("removed_by_filter") or 0)
        findings.append(_finding(
            result, "seq-scan",
            f"{_named(result)} scans {table} sequentially ({looked_at} rows read to return {scan.get('rows')}, "
            f"seeded with {result.rows} rows); add or fix an index the query and its policies can use",
            table=table, filter=scan.get("filter"), rows_returned=scan.get("rows"),
            rows_removed_by_filter=scan.get("removed_by_filter"), indexes_used=result.analysis.get("indexes", []),
        ))
    return findings


def _too_slow_findings(result: TargetResult) -> list[Finding]:
    if result.max_ms is None:
        return []
    timings = result.timings
    if timings is None or timings.median_ms <= result.max_ms:
        return []
    return [_finding(
        result, "too-slow",
        f"{_named(result)} takes {timings.median_ms:.2f} ms (median of {len(timings.execution_ms)} runs, "
        f"seeded with {result.rows} rows): over its {result.max_ms:g} ms budget",
        budget_ms=result.max_ms, median_ms=round(timings.median_ms, 3),
        runs_ms=[round(v, 3) for v in timings.execution_ms], planning_ms=round(timings.planning_median_ms, 3),
    )]


def _error_finding(result: TargetResult) -> Finding:
    if result.timed_out:
        return _finding(result, "too-slow", f"{_named(result)} {result.error}", budget_ms=result.max_ms)
    return _finding(result, "query-error", f"{_named(result)} fails as {result.persona}: {result.error}")


def _named(result: TargetResult) -> str:
    return f'explain target "{result.name}"'
