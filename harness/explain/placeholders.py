"""`{name}` placeholders in a target's `seed` and `query`, replaced by plain text (README: the access spec).

Only the names below are replaced; any other brace (a JSON literal such as '{}') is left alone.

  {rows}          the number of rows the seed must create (the target's `rows`, or --rows)
  {tenant}        uuid of tenant A, the persona's tenant (always an organisation of the world)
  {other_tenant}  uuid of tenant B
  {user}          uuid of the persona's user; for service_role / anon, tenant A's first member
"""

from __future__ import annotations

import re

NAMES = ("rows", "tenant", "other_tenant", "user")
_PATTERN = re.compile(r"\{(" + "|".join(NAMES) + r")\}")


def render(template: str, values: dict[str, str]) -> str:
    return _PATTERN.sub(lambda match: values[match.group(1)], template)
