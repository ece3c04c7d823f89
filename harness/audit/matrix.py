"""Cells -> the JSON-serializable matrices the renderers draw: per table, personas down, operations
across, each cell the scope the database allowed against the scope the spec allows."""

from __future__ import annotations

from typing import Any

from harness.audit.compare import WORST_FIRST, Cell
from harness.audit.model import DUAL, FORGED
from harness.audit.scope import SCOPES
from harness.config import Config
from harness.findings import OPERATIONS

GROUP_SUFFIX = {DUAL: " (both tenants)", FORGED: " (forged metadata)"}


def build_matrices(config: Config, cells: list[Cell], tables: list[str], rls: dict[str, bool]) -> list[dict[str, Any]]:
    by_table: dict[str, list[Cell]] = {}
    for cell in cells:
        by_table.setdefault(cell.table, []).append(cell)
    matrices = []
    for table in tables + sorted(t for t in by_table if t not in tables):
        table_cells = by_table.get(table, [])
        base = next((c.base for c in table_cells if c.base), None)
        matrices.append({
            "table": table,
            "kind": "view" if base else "table",
            "view_of": base,
            "rls": rls.get(table),
            "operations": ["select"] if base else list(OPERATIONS),
            "rows": _rows(config, table_cells),
        })
    return matrices


def _rows(config: Config, cells: list[Cell]) -> list[dict[str, Any]]:
    groups: dict[str, list[Cell]] = {}
    order = {p: i for i, p in enumerate(config.personas)}
    for cell in sorted(cells, key=lambda c: (order.get(c.actor.persona, 99), c.actor.kind in GROUP_SUFFIX)):
        label = cell.actor.persona + GROUP_SUFFIX.get(cell.actor.kind, "")
        groups.setdefault(label, []).append(cell)
    rows = []
    for label, group in groups.items():
        by_operation: dict[str, list[Cell]] = {}
        for cell in group:
            by_operation.setdefault(cell.operation, []).append(cell)
        rows.append({
            "persona": label,
            "actors": sorted({c.actor.label for c in group}),
            "cells": {op: _summary(op_cells) for op, op_cells in by_operation.items()},
        })
    return rows


def _summary(cells: list[Cell]) -> dict[str, Any]:
    """The worst actor's cell speaks for the group; the widest scope anyone got is shown."""
    worst = min(cells, key=lambda c: WORST_FIRST.index(c.status))
    probed = [c for c in cells if c.probed and not c.errors]
    widest = max(probed, key=lambda c: (SCOPES.index(c.observed), c.partial), default=worst)
    return {
        "spec": worst.spec,
        "observed": widest.observed if probed else None,
        "partial": widest.partial if probed else False,
        "status": worst.status,
        "moved": any(c.moved for c in cells),
        "leaks": sum(len(c.leaks) for c in cells),
        "denials": sum(len(c.denials) for c in cells),
        "errors": sum(len(c.errors) for c in cells),
    }
