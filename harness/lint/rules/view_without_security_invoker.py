"""A view in an API schema is created without `security_invoker`.

Error when the view reads a table that has RLS enabled, warning otherwise. Setting it later in the
same migration (`alter view ... set (security_invoker = on)`) counts.

Why it matters: a view runs with its owner's rights unless `with (security_invoker = true)`, so it
reads tables past their row level security, and Supabase grants new views in `public` to `anon` and
`authenticated`: every row of the protected table leaks through the view.
"""

from __future__ import annotations

from typing import Iterable

from harness.findings import Severity
from harness.lint.rules.base import Hit, Rule


class ViewWithoutSecurityInvoker(Rule):
    id = "view-without-security-invoker"
    severity = Severity.ERROR

    def end_file(self) -> Iterable[Hit]:
        model = self.ctx.model
        for view in model.created_in(self.ctx.file):
            if (
                view.kind != "view"
                or view.security_invoker
                or not self.ctx.in_api(view.name)
            ):
                continue
            protected = sorted(name for name in view.reads if name in model.relations and model.relations[name].rls)
            if protected:
                yield self.hit(
                    view.statement,
                    f"view {view.name} reads {', '.join(protected)} with its owner's rights, "
                    f"past row level security; add with (security_invoker = true)",
                    view.name,
                )
            else:
                yield self.hit(
                    view.statement,
                    f"view {view.name} runs with its owner's rights; add with (security_invoker = true)",
                    view.name,
                    Severity.WARNING,
                )
