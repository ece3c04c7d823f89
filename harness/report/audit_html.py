"""`harness audit --html FILE`: one self-contained page (no scripts, no external files) with the
access matrices and the findings, for a reviewer to attach to a pull request."""

from __future__ import annotations

import html
import json
from typing import Any

from harness.findings import Finding, count_by_severity
from harness.report.audit_text import surface_matrices, world_summary
from harness.report.model import Report

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1f24; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.verdict { font-weight: 700; padding: .2rem .6rem; border-radius: .3rem; color: #fff; }
.passed { background: #1a7f37; } .failed { background: #cf222e; }
table.matrix { border-collapse: collapse; margin: .5rem 0 1.5rem; }
table.matrix th, table.matrix td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; }
table.matrix th { background: #f6f8fa; }
td.ok { color: #1a7f37; } td.none { color: #8c959f; } td.leak { background: #ffebe9; color: #a40e26; font-weight: 700; }
td.denied { background: #fff8c5; color: #7d4e00; } td.error { background: #fbefff; color: #8250df; font-weight: 700; }
td.notprobed { color: #8c959f; font-style: italic; }
.spec { font-weight: 400; color: #57606a; }
.finding { border-left: 4px solid #d0d7de; padding: .3rem .8rem; margin: .6rem 0; }
.finding.critical { border-color: #a40e26; } .finding.error { border-color: #cf222e; }
.finding.warning { border-color: #bf8700; } .finding.info { border-color: #0969da; }
.sev { font-weight: 700; text-transform: uppercase; font-size: .8rem; margin-right: .5rem; }
.where { color: #57606a; font-size: .85rem; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: .8rem; }
.dim { color: #57606a; }
"""

CELL_CLASS = {"ok": "ok", "leak": "leak", "denied": "denied", "error": "error", "not probed": "notprobed"}


def render_audit_html(report: Report) -> str:
    details = report.details.get("audit", {})
    counts = count_by_severity(report.findings)
    verdict = "passed" if report.ok else "failed"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>harness audit: {verdict.upper()}</title>",
        f"<style>{STYLE}</style></head><body>",
        f'<h1>harness {html.escape(report.command)} <span class="verdict {verdict}">{verdict.upper()}</span></h1>',
        '<p class="dim" id="summary">' + html.escape(", ".join(f"{n} {s}" for s, n in counts.items()) or "no findings")
        + "</p>",
    ]
    if details.get("skipped"):
        parts.append(f"<p>Nothing audited: {html.escape(details['skipped'])}</p>")
    elif details:
        parts.append(f'<p class="dim">{html.escape(world_summary(details))}</p>')
        parts.append("<h2>Access matrices</h2>")
        parts.append('<p class="dim">Each cell: the scope the database allowed (none, own, tenant, all); '
                     "where it differs from the spec, the spec follows. * only part of that scope; "
                     "+move: rows can be moved out of scope.</p>")
        parts.extend(_matrix(m) for m in details.get("tables", []))
        for kind, heading in (("function", "RPC functions"), ("bucket", "Storage buckets")):
            matrices = [m for m in surface_matrices(details) if m["kind"] == kind]
            if matrices:
                parts.append(f"<h2>{heading}</h2>")
                parts.extend(_matrix(m) for m in matrices)
        if details.get("diff") is not None:
            parts.append(_diff(details["diff"]))
    parts.append("<h2>Findings</h2>")
    findings = report.sorted_findings()
    if findings:
        parts.extend(_finding(f) for f in findings)
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _diff(changes: list[dict[str, Any]]) -> str:
    if not changes:
        return '<h2>Access diff</h2><p class="dim">No persona can do more or less than at the base.</p>'
    rows = "".join(
        f'<tr><td>{html.escape(c["table"])}</td><td>{html.escape(c["persona"])}</td><td>{c["operation"]}</td>'
        f'<td class="{"leak" if c["widened"] else "denied"}" data-widened="{str(c["widened"]).lower()}">'
        f'{html.escape(c["before"])} → {html.escape(c["after"])}</td>'
        f'<td>{html.escape(", ".join(c["migrations"]))}</td></tr>' for c in changes)
    return ('<h2>Access diff</h2><table class="matrix" id="diff"><thead><tr><th>table</th><th>persona</th>'
            f"<th>operation</th><th>base → head</th><th>migration</th></tr></thead><tbody>{rows}</tbody></table>")


def _matrix(matrix: dict[str, Any]) -> str:
    name = html.escape(matrix["table"])
    title = name + (f' <span class="dim">(view of {html.escape(matrix["view_of"])})</span>'
                    if matrix["kind"] == "view" else "")
    if matrix.get("rls") is False:
        title += ' <span class="verdict failed">RLS disabled</span>'
    head = "".join(f"<th>{op}</th>" for op in matrix["operations"])
    rows = []
    for row in matrix["rows"]:
        cells = "".join(_cell(row["cells"].get(op)) for op in matrix["operations"])
        actors = html.escape(", ".join(row["actors"]))
        rows.append(f'<tr><th title="{actors}">{html.escape(row["persona"])}</th>{cells}</tr>')
    return (f'<h3 id="{name}">{title}</h3><table class="matrix" data-table="{name}">'
            f"<thead><tr><th>persona</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _cell(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return "<td>-</td>"
    status = cell["status"]
    css = CELL_CLASS.get(status, "")
    if status == "ok" and cell["observed"] == "none":
        css = "none"
    observed = "error" if status == "error" else "not probed" if status == "not probed" else (
        (cell["observed"] or "?") + ("*" if cell["partial"] else "") + ("+move" if cell.get("moved") else ""))
    spec = f' <span class="spec">≠ {html.escape(cell["spec"])}</span>' if status != "ok" else ""
    return f'<td class="{css}" data-status="{html.escape(status)}">{html.escape(observed)}{spec}</td>'


def _finding(finding: Finding) -> str:
    where = " · ".join(html.escape(w) for w in (finding.location, finding.table, finding.persona, finding.operation) if w)
    evidence = ""
    if finding.evidence:
        text = json.dumps(finding.evidence, indent=2, default=str, ensure_ascii=False)
        evidence = f"<details><summary>evidence</summary><pre>{html.escape(text)}</pre></details>"
    severity = finding.severity.value
    return (f'<div class="finding {severity}" data-rule="{html.escape(finding.rule)}">'
            f'<span class="sev">{severity}</span><b>{html.escape(finding.check)}/{html.escape(finding.rule)}</b> '
            f'<span class="where">{where}</span><div>{html.escape(finding.message)}</div>{evidence}</div>')
