"""`harness report merge`: the JSON reports of the parts of a sharded run (`--shard K/N`) as one report.

The merged report is what one unsharded run would have reported, timings aside: the parts' findings
(a finding every part reports, such as a migration's, counts once), suites and per-check details put
back together, and for `mutate` the score and its verdict against --min-score computed over all
mutants. Its exit code follows from its content, as a single run's does.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from harness.findings import Finding, HarnessError
from harness.report.model import Report, suite_from_json

MERGEABLE = ("test", "mutate", "audit")


def load_report(path: Path) -> Report:
    """A Report from a `--format json` file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HarnessError(f"{path}: cannot read it ({exc.strerror})") from None
    except ValueError as exc:
        raise HarnessError(f"{path}: not a JSON report ({exc})") from None
    if not isinstance(data, dict) or "command" not in data or "findings" not in data:
        raise HarnessError(f"{path}: not a harness JSON report (no command or findings)")
    if "suites" not in data:
        raise HarnessError(f"{path}: written by an older harness (no suites); run the parts again")
    return Report(
        command=data["command"],
        findings=[Finding(**f) for f in data["findings"]],
        suites=[suite_from_json(s) for s in data["suites"]],
        timings=dict(data.get("timings", {})),
        details=dict(data.get("details", {})),
        ran_tests=bool(data.get("ran_tests", False)),
        platform=data.get("platform"),
    )


def merge_reports(parts: list[Report]) -> Report:
    if not parts:
        raise HarnessError("report merge needs at least one JSON report")
    commands = sorted({p.command for p in parts})
    if len(commands) != 1:
        raise HarnessError(f"report merge: the reports come from different commands ({', '.join(commands)})")
    command = commands[0]
    if command not in MERGEABLE:
        raise HarnessError(f"report merge: {command} reports are not split into parts (expected {', '.join(MERGEABLE)})")
    shards = sorted(s for s in {_shard_of(p, command) for p in parts} if s is not None)
    merged = Report(command=command, ran_tests=any(p.ran_tests for p in parts), platform=parts[0].platform)
    merged.findings = _union(parts)
    merged.suites = sorted((s for p in parts for s in p.suites), key=lambda s: s.file)
    merged.timings = {k: max(p.timings.get(k, 0.0) for p in parts) for p in parts for k in p.timings}
    merged.details = {**parts[0].details}
    detail = [p.details.get(command) for p in parts]
    if all(isinstance(d, dict) for d in detail):
        skipped = next((d for d in detail if "skipped" in d), None)  # type: ignore[operator]
        merged.details[command] = dict(skipped) if skipped else MERGERS[command](detail, merged)  # type: ignore[arg-type]
        merged.details[command].pop("shard", None)
        if shards:
            merged.details[command]["merged_shards"] = shards
    return merged


def _shard_of(report: Report, command: str) -> str | None:
    detail = report.details.get(command)
    return detail.get("shard") if isinstance(detail, dict) else None


def _union(parts: list[Report]) -> list[Finding]:
    """Each finding as often as the part that reports it most (a project-wide finding is in every part)."""
    most: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for part in parts:
        counts: Counter[str] = Counter()
        for finding in part.findings:
            key = json.dumps(finding.to_json(), sort_keys=True, default=str)
            counts[key] += 1
            first.setdefault(key, finding)
        for key, n in counts.items():
            most[key] = max(most[key], n)
    return [first[key] for key in first for _ in range(most[key])]


def _merge_test(details: list[dict[str, Any]], merged: Report) -> dict[str, Any]:
    out = dict(details[0])
    out["found"] = sum(d.get("found", 0) for d in details)
    suites = sorted((s for d in details for s in d.get("suites", [])), key=lambda s: s["file"])
    if any("suites" in d for d in details):
        out["suites"] = suites
    for key in ("wall_s",):
        if any(key in d for d in details):
            out[key] = max(d.get(key, 0.0) for d in details)
    if any("cpu_s" in d for d in details):
        out["cpu_s"] = {k: round(sum(d.get("cpu_s", {}).get(k, 0.0) for d in details), 3)
                        for k in ("usr", "sys", "cusr", "csys")}
    not_run = [n for d in details for n in d.get("not_run", [])]
    if not_run:
        out["not_run"] = not_run
    return out


def _merge_mutate(details: list[dict[str, Any]], merged: Report) -> dict[str, Any]:
    from harness.checks.mutate import score_verdict
    from harness.mutate.model import STATUSES, SURVIVED, Score

    outcomes = sorted((o for d in details for o in d.get("outcomes", [])), key=lambda o: o["id"])
    score = Score()
    operators: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        score.counts[outcome["status"]] += 1
    for d in details:
        for name, counts in d.get("operators", {}).items():
            into = operators.setdefault(name, {**dict.fromkeys(STATUSES, 0), "summary": counts.get("summary")})
            for status in STATUSES:
                into[status] += counts.get(status, 0)
    order = [name for d in details for name in d.get("operators", {})]
    out = dict(details[0])
    out.update(score=score.percent, mutants=len(outcomes), **score.counts,
               seconds=round(sum(d.get("seconds", 0.0) for d in details), 3),
               operators={name: operators[name] for name in sorted(operators, key=order.index)},
               survivors=[o for o in outcomes if o["status"] == SURVIVED], outcomes=outcomes)
    min_score = out.get("min_score")
    if min_score is not None:
        merged.findings = [f for f in merged.findings if f.rule != "mutation-score"] + score_verdict(score, min_score)
    return out


def _merge_audit(details: list[dict[str, Any]], merged: Report) -> dict[str, Any]:
    out = dict(next((d for d in details if d.get("world")), details[0]))
    order = next((d["table_order"] for d in details if "table_order" in d), None)
    tables = [m for d in details for m in d.get("tables", [])]
    if order is not None:
        rank = {name: i for i, name in enumerate(order)}
        tables.sort(key=lambda m: (rank.get(m["table"], len(rank)), "" if m["table"] in rank else m["table"]))
    out["tables"] = tables
    out["views"] = sorted((v for d in details for v in d.get("views", [])), key=lambda v: (v["view"], v["reads"]))
    out["not_covered"] = _unique(n for d in details for n in d.get("not_covered", []))
    if isinstance(out.get("world"), dict):
        out["world"] = {**out["world"], "probes": sum((d.get("world") or {}).get("probes", 0) for d in details),
                        "rows": {k: v for d in details for k, v in ((d.get("world") or {}).get("rows") or {}).items()}}
    out["timings"] = {k: round(sum(d.get("timings", {}).get(k, 0.0) for d in details), 4)
                      for d in details for k in d.get("timings", {})}
    out.pop("table_order", None)
    return out


def _unique(items: Any) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


MERGERS: dict[str, Callable[[list[dict[str, Any]], Report], dict[str, Any]]] = {
    "test": _merge_test, "mutate": _merge_mutate, "audit": _merge_audit,
}
