"""The pgTAP helpers' own suite (pgtap/tests/) passes under `harness test`, on the subject's database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_helpers_own_suite_passes() -> None:
    suite = REPO / "pgtap" / "tests" / "supabase_test_helpers.test.sql"
    result = subprocess.run([sys.executable, "-m", "harness", "test", "--project", str(REPO), str(suite),
                             "--format", "json"], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert result.returncode == 0, report["findings"]
    assert report["summary"]["tests"]["failed"] == 0 and report["summary"]["tests"]["passed"] >= 38
