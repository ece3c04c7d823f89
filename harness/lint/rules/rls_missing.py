"""A table is created in an API schema and the migration that creates it does not enable RLS on it.

Why it matters: Supabase grants every new table in `public` to `anon` and `authenticated`, so a table
without row level security is readable and writable by anyone holding the public anon key. Partitions
count too: the API exposes them directly, and a partition's own RLS flag is what protects it there.
"""

from __future__ import annotations

from typing import Iterable

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule


class RlsMissing(Rule):
    id = "rls-missing"
    severity = Severity.ERROR

    def end_file(self) -> Iterable[Hit]:
        for relation in self.ctx.model.created_in(self.ctx.file):
            if (
                relation.kind in ("table", "partition")
                and self.ctx.in_api(relation.name)
                and not relation.rls
            ):
                yield self.hit(
                    relation.statement,
                    f"{relation.name} is created in API schema {relation.schema!r} "
                    f"and this migration does not enable row level security on it",
                    relation.name,
                )
