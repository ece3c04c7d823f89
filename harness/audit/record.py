"""`harness init --record`: the access the database grants today, read from an audit's matrices, as
the access spec (every persona's observed scope per table and operation). A reviewer then edits it
only where the observed behaviour is not the intent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Recorded = dict[str, dict[str, dict[str, str]]]  # table -> persona -> operation -> scope


def recorded_access(details: Mapping[str, Any], personas: tuple[str, ...]) -> tuple[Recorded, list[str]]:
    """The observed scopes of every table (views excluded: they follow their table), and notes on
    cells that could not be recorded (an error under the persona, only part of a scope seen)."""
    recorded: Recorded = {}
    notes: list[str] = []
    for matrix in details.get("tables") or []:
        if matrix.get("kind") != "table":
            continue
        table = matrix["table"]
        recorded[table] = {}
        for row in matrix.get("rows") or []:
            persona = row["persona"]
            if persona not in personas:
                continue  # members of both tenants and forged-metadata attackers follow their persona
            scopes: dict[str, str] = {}
            for operation, cell in (row.get("cells") or {}).items():
                observed = cell.get("observed")
                if cell.get("status") == "error" or observed is None:
                    if cell.get("status") != "not probed":
                        notes.append(f"{table}: {operation} as {persona} raised an error; not recorded")
                    continue
                if observed != "none":  # "tenant*": part of the scope, recorded as "at most"
                    scopes[operation] = observed + ("*" if cell.get("partial") else "")
            if scopes:
                recorded[table][persona] = scopes
    return recorded, notes
