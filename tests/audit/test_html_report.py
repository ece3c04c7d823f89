"""The --html page opened in headless Chromium: the matrices and the findings a reviewer sees."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.audit import AuditResult
from harness.report.audit_html import render_audit_html
from harness.report.model import Report

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


class _Page(HTMLParser):
    """What the browser's DOM holds: matrix cells by (table, persona, operation), findings, links."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str, str], str] = {}
        self.findings: list[str] = []
        self.external: list[str] = []
        self.title = ""
        self._table: str | None = None
        self._columns: list[str] = []
        self._row: list[str] = []
        self._persona: str | None = None
        self._text: list[str] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key):
                self.external.append(a[key] or "")
        if tag == "title":
            self._in_title = True
        if tag == "table" and "matrix" in (a.get("class") or ""):
            self._table, self._columns = a.get("data-table"), []
        if tag == "tr":
            self._row, self._persona = [], None
        if tag in ("th", "td") and self._table:
            self._text = []
            if tag == "td":
                self._row.append(a.get("data-status") or "")
        if tag == "div" and "finding" in (a.get("class") or ""):
            self.findings.append(a.get("data-rule") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "th" and self._table and self._text is not None:
            text = "".join(self._text).strip()
            if text in ("persona", "select", "insert", "update", "delete"):
                self._columns.append(text)
            else:
                self._persona = text
        if tag == "tr" and self._table and self._persona:
            for operation, status in zip(self._columns[1:], self._row):
                self.cells[(self._table, self._persona, operation)] = status
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._text is not None:
            self._text.append(data)


def _dom(chromium: str, page: Path) -> str:
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on PATH (apt-get install -y chromium) to open the page in")
def test_html_report_shows_matrices_and_findings(defects_result: AuditResult, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    report = Report(command="audit", findings=list(defects_result.findings), details={"audit": defects_result.details})
    page = tmp_path / "audit.html"
    page.write_text(render_audit_html(report), encoding="utf-8")
    parsed = _Page()
    parsed.feed(_dom(CHROMIUM, page))
    assert parsed.title == "harness audit: FAILED"
    assert parsed.external == []  # self-contained
    assert parsed.cells[("public.d_select_true", "coordinator", "select")] == "leak"
    assert parsed.cells[("public.d_own_only", "coordinator", "select")] == "denied"
    assert parsed.cells[("public.d_clean", "peer_mentor", "select")] == "ok"
    assert parsed.cells[("public.d_viewed_list", "anon", "select")] == "leak"
    assert len(parsed.findings) == len(report.findings)
    assert parsed.findings[0] in ("leak", "rls-disabled")  # most severe first
    screenshot = tmp_path / "audit.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={screenshot}",
                    "--window-size=1200,1600", page.as_uri()], capture_output=True, timeout=90, check=True)
    assert screenshot.stat().st_size > 10_000
