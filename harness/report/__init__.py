"""Renderers: a Report in, text out. Renderers never compute; checks never print.

The formats are registered in harness/report/formats.py.
"""

from __future__ import annotations

from harness.report.formats import FORMATS, formats_for, renderer
from harness.report.model import Report, SuiteResult, TestCase

__all__ = ["FORMATS", "Report", "SuiteResult", "TestCase", "formats_for", "renderer"]
