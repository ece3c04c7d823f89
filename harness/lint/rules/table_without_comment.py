"""A table has no `COMMENT ON TABLE` anywhere in the migration history.

Why it matters: the comment is what the Supabase dashboard, PostgREST's OpenAPI output and the next
reviewer see; for tables holding personal data it is where the data's purpose is written down.
"""

from __future__ import annotations

from typing import Iterable

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule


class TableWithoutComment(Rule):
    id = "table-without-comment"
    severity = Severity.INFO

    def end_project(self) -> Iterable[Hit]:
        for relation in self.ctx.model.relations.values():
            if relation.created_by is not None and relation.kind == "table" and not relation.commented:
                yield self.hit(relation.statement, f"{relation.name} has no COMMENT ON TABLE", relation.name)
