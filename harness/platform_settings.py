"""What kind of hosted Supabase project the platform imitates: the PostgreSQL major and the grants.

Read from the Supabase CLI's own `supabase/config.toml` (`[db] major_version`,
`[api] auto_expose_new_tables`); `harness.toml` may override the major with `[db] major_version`
or `[project] major_version`. A project that declares no major gets `$HARNESS_PG_MAJOR`, else 17
(what `supabase init` writes and what new hosted projects run). `--pg-bin` beats all of them.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.findings import HarnessError

MAJOR_ENV = "HARNESS_PG_MAJOR"
DEFAULT_MAJOR = 17  # the Supabase CLI's default (`[db] major_version` of a new config.toml)
SUPPORTED_MAJORS = (15, 17)


@dataclass(frozen=True)
class PlatformSettings:
    major_version: int | None = None  # declared by the project; None: not declared
    auto_expose_new_tables: bool = False  # True: the pre-2026 default grants in `public`

    @property
    def major(self) -> int:
        """The major to run: the project's, else $HARNESS_PG_MAJOR, else the CLI's default."""
        if self.major_version is not None:
            return self.major_version
        return major_from_env() or DEFAULT_MAJOR

    @property
    def grants_model(self) -> str:
        return "pre-2026 grants (auto_expose_new_tables)" if self.auto_expose_new_tables else "2026 grants"


def major_from_env() -> int | None:
    raw = os.environ.get(MAJOR_ENV, "").strip()
    if not raw:
        return None
    return _check_major(raw, f"${MAJOR_ENV}")


def _check_major(value: Any, where: str) -> int:
    try:
        major = int(value)
    except (TypeError, ValueError):
        raise HarnessError(f"{where}: major_version must be a number such as 15 or 17, not {value!r}") from None
    if major not in SUPPORTED_MAJORS:
        wanted = " or ".join(str(m) for m in SUPPORTED_MAJORS)
        raise HarnessError(f"{where}: PostgreSQL {major} is not supported; use {wanted}")
    return major


def read_platform_settings(root: Path, harness_data: dict[str, Any], harness_source: Path | None) -> PlatformSettings:
    cli = _read_cli_config(root / "supabase" / "config.toml")
    where_cli = "supabase/config.toml [db] major_version"
    major: int | None = None
    declared = _table(cli, "db").get("major_version")
    if declared is not None:
        major = _check_major(declared, where_cli)
    shown = harness_source.name if harness_source else "harness.toml"
    for section in ("project", "db"):
        value = _table(harness_data, section).get("major_version")
        if value is not None:
            major = _check_major(value, f"{shown} [{section}] major_version")
    expose = _table(cli, "api").get("auto_expose_new_tables", False)
    if not isinstance(expose, bool):
        raise HarnessError(f"supabase/config.toml [api] auto_expose_new_tables: expected true or false, not {expose!r}")
    return PlatformSettings(major_version=major, auto_expose_new_tables=expose)


def _read_cli_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(f"{path}: cannot read it: {exc}") from None


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}
