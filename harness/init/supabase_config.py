"""What `harness init` takes from the Supabase CLI's own project file, supabase/config.toml."""

from __future__ import annotations

from typing import Any

import tomllib
from dataclasses import dataclass
from pathlib import Path

from harness.findings import HarnessError


@dataclass(frozen=True)
class SupabaseProject:
    api_schemas: tuple[str, ...] = ("public",)  # [api] schemas: what PostgREST exposes
    extra_search_path: tuple[str, ...] = ("public", "extensions")  # [api] extra_search_path
    major_version: int | None = None  # [db] major_version
    found: bool = False


def read_supabase_config(project: Path) -> SupabaseProject:
    path = project / "supabase" / "config.toml"
    if not path.is_file():
        return SupabaseProject()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise HarnessError(f"{path}: not valid TOML ({exc}); fix it or move it away") from None
    api: dict[str, Any] = data["api"] if isinstance(data.get("api"), dict) else {}
    db: dict[str, Any] = data["db"] if isinstance(data.get("db"), dict) else {}
    schemas = [s for s in api.get("schemas", ["public"]) if isinstance(s, str) and s]
    extra = [s for s in api.get("extra_search_path", ["public", "extensions"]) if isinstance(s, str) and s]
    major = db.get("major_version")
    return SupabaseProject(
        api_schemas=tuple(dict.fromkeys(schemas)) or ("public",),
        extra_search_path=tuple(extra),
        major_version=major if isinstance(major, int) else None,
        found=True,
    )
