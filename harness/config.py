"""`harness.toml` (or `[tool.harness]` in pyproject.toml) -> typed, validated configuration.

Every mistake is a `ConfigError` naming the file, the key, what was expected and what was found,
so the CLI can print one line and exit 2 (the README: Usage and Configuration).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.findings import OPERATIONS, HarnessError
from harness.platform_settings import PlatformSettings, read_platform_settings

SCOPES = ("none", "own", "tenant", "all")
QUALIFIED = r"[A-Za-z_][\w$]*\.[A-Za-z_][\w$]*"
BUILTIN_PERSONAS = ("anon", "authenticated")

DEFAULT_TENANT = "insert into public.organisations (id, name) values ('{tenant}', 'Tenant {tenant}')"
DEFAULT_MEMBER = (
    "insert into public.users (id, organisation_id, role) values ('{user}', '{tenant}', '{role}')"
)
DEFAULT_ROLES = ("peer_mentor", "coordinator", "org_admin")


class ConfigError(HarnessError):
    """The configuration cannot be used."""


@dataclass(frozen=True)
class ProjectSettings:
    root: Path
    migrations: Path
    tests: Path
    seed: Path | None
    api_schemas: tuple[str, ...]
    configured: tuple[str, ...] = ()  # the [project] keys harness.toml sets (not defaults)
    baseline: str | None = None  # every migration up to this version has shipped

    def require(self, key: str) -> None:
        """A `tests` or `seed` path the user wrote must exist (a default may be absent): a typo must not
        pass the gate with no suite run or no seed loaded."""
        if key not in self.configured:
            return
        path, kind = (self.tests, "folder") if key == "tests" else (self.seed, "file")
        if path is not None and not (path.is_dir() if kind == "folder" else path.is_file()):
            shown = path.relative_to(self.root) if path.is_relative_to(self.root) else path
            raise ConfigError(f"harness.toml: [project] {key} = {str(shown)!r} is not a {kind} (no such {kind}?)")


PRIMARY_OWNER = "primary_owner"  # the persona of the user `{owner}` names in the tenant template


@dataclass(frozen=True)
class Tenancy:
    tenant: str  # "" = no tenant table (user-owned rows only)
    member: str  # "" = nothing to insert (every member is just a signed-in user)
    roles: tuple[str, ...]
    claims: str | None

    @property
    def primary_owner(self) -> bool:
        """The tenant template names its primary owner: the world creates one per tenant."""
        return "{owner}" in self.tenant

    @property
    def personas(self) -> tuple[str, ...]:
        return (*self.roles, *((PRIMARY_OWNER,) if self.primary_owner else ()), *BUILTIN_PERSONAS)


@dataclass(frozen=True)
class TableSpec:
    name: str  # schema-qualified
    row: str | None
    owner: str | None
    tenant: str | None
    key: str | None
    # persona -> operation -> scope, already resolved (operation keys beat "all"); missing = "none"
    access: dict[str, dict[str, str]]

    def scope(self, persona: str, operation: str) -> str:
        """The scope the persona has (for "tenant*", "tenant")."""
        return self.access.get(persona, {}).get(operation, "none").rstrip("*")

    def at_most(self, persona: str, operation: str) -> bool:
        """"tenant*": at most that scope, maybe only part of it (what `init --record` writes where a
        persona reaches part of a scope): rows beyond it are leaks, rows of it it misses are no denial."""
        return self.access.get(persona, {}).get(operation, "none").endswith("*")


@dataclass(frozen=True)
class FunctionSpec:
    """An RPC function the API exposes: how a persona calls it, and whose data a call may return."""

    name: str  # schema-qualified, without arguments
    call: str  # SQL with {target_tenant} and {target_user}
    owner: str | None  # the returned rows' column naming the member they belong to
    tenant: str | None  # the returned rows' column naming their tenant
    access: dict[str, str]  # persona -> scope of `execute`; missing = "none"

    def scope(self, persona: str, operation: str = "execute") -> str:
        return self.access.get(persona, "none")


@dataclass(frozen=True)
class BucketSpec:
    """A storage bucket: where a member keeps objects, and who may do what with them."""

    name: str  # the bucket id
    path: str  # object name template with {tenant}, {user}, {name}
    access: dict[str, dict[str, str]]  # persona -> operation -> scope (resolved like tables)

    def scope(self, persona: str, operation: str) -> str:
        return self.access.get(persona, {}).get(operation, "none")


@dataclass(frozen=True)
class ExplainTarget:
    name: str
    persona: str  # a persona name or "service_role"
    rows: int
    seed: str | None
    query: str
    max_ms: float | None
    forbid_seq_scan: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    source: Path | None  # the file it came from, None when every default applies
    project: ProjectSettings
    tenancy: Tenancy
    tables: dict[str, TableSpec] = field(default_factory=dict)
    explain: tuple[ExplainTarget, ...] = ()
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    buckets: dict[str, BucketSpec] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)  # [rules]: rule id -> off | info | ... | critical
    platform: PlatformSettings = field(default_factory=PlatformSettings)

    @property
    def audited(self) -> bool:
        """The access spec covers something the audit must probe (a world is needed)."""
        return bool(self.tables or self.functions or self.buckets)

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def personas(self) -> tuple[str, ...]:
        return self.tenancy.personas

    def relative(self, path: Path) -> str:
        """A path as reports show it: relative to the project root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def load_config(project_dir: Path) -> Config:
    """Read `harness.toml`, else `[tool.harness]` of pyproject.toml, else use the defaults."""
    root = Path(project_dir)
    if not root.is_dir():
        raise ConfigError(f"project folder {root} does not exist (give --project DIR)")
    harness_toml = root / "harness.toml"
    pyproject = root / "pyproject.toml"
    if harness_toml.is_file():
        return parse_config(root, _read_toml(harness_toml), harness_toml)
    if pyproject.is_file():
        data = _read_toml(pyproject).get("tool", {}).get("harness")
        if data is not None:
            return parse_config(root, data, pyproject)
    return parse_config(root, {}, None)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


class _Reader:
    """Typed access to one TOML table that remembers where it is, for error messages."""

    def __init__(self, source: Path | None, data: Any, where: str) -> None:
        self.source = source
        self.where = where
        if not isinstance(data, dict):
            self.fail(f"expected a table, found {_kind(data)}")
        self.data: dict[str, Any] = data

    def fail(self, message: str, key: str | None = None) -> None:
        place = f"{self.where}.{key}" if key and self.where else (key or self.where or "top level")
        origin = f"{self.source.name}" if self.source else "configuration"
        line = _line_of(self.source, key) if key else None
        at = f":{line}" if line else ""
        raise ConfigError(f"{origin}{at}: [{place}] {message}")

    def only(self, allowed: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(f"unknown key (expected one of: {', '.join(allowed)})", key)

    def text(self, key: str, default: str | None) -> str | None:
        value = self.data.get(key, default)
        if value is not None and not isinstance(value, str):
            self.fail(f"expected a string, found {_kind(value)}", key)
        return value

    def integer(self, key: str, default: int | None, minimum: int = 0) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"expected an integer, found {_kind(value)}", key)
        if value < minimum:
            self.fail(f"expected an integer >= {minimum}, found {value}", key)
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            self.fail(f"expected a positive number, found {value!r}", key)
        return float(value)

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.data.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"expected a list of non-empty strings, found {value!r}", key)
        return tuple(value)

    def table(self, key: str) -> _Reader:
        inner = f"{self.where}.{key}" if self.where else key
        return _Reader(self.source, self.data.get(key, {}), inner)


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _line_of(source: Path | None, key: str) -> int | None:
    """Best effort: the first line that assigns `key`, so a user can jump there."""
    if source is None:
        return None
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
    for number, text in enumerate(lines, start=1):
        if pattern.match(text):
            return number
    return None


def parse_config(root: Path, data: dict[str, Any], source: Path | None) -> Config:
    top = _Reader(source, data, "")
    top.only(("project", "tenancy", "tables", "functions", "buckets", "explain", "rules", "db"))
    top.table("db").only(("major_version",))
    project = _parse_project(root, top.table("project"))
    tenancy = _parse_tenancy(top.table("tenancy"))
    personas = tenancy.personas
    tables_reader = top.table("tables")
    tables = {
        name: _parse_table(name, tables_reader.table(name), personas)
        for name in tables_reader.data
    }
    functions_reader = top.table("functions")
    functions = {name: _parse_function(name, functions_reader.table(name), personas)
                 for name in functions_reader.data}
    buckets_reader = top.table("buckets")
    buckets = {name: _parse_bucket(name, buckets_reader.table(name), personas) for name in buckets_reader.data}
    explain_raw = data.get("explain", [])
    if not isinstance(explain_raw, list):
        top.fail("expected an array of tables ([[explain]])", "explain")
    targets = tuple(
        _parse_explain(_Reader(source, item, f"explain[{i}]"), personas, root)
        for i, item in enumerate(explain_raw)
    )
    names = [t.name for t in targets]
    for name in names:
        if names.count(name) > 1:
            top.fail(f"two [[explain]] targets are named {name!r}; names must be unique", "explain")
    rules = _parse_rules(top.table("rules"))
    platform = read_platform_settings(root, data, source)
    return Config(source=source, project=project, tenancy=tenancy, tables=tables, explain=targets,
                  functions=functions, buckets=buckets, rules=rules, platform=platform)


def _parse_rules(r: _Reader) -> dict[str, str]:
    from harness.rule_settings import LEVELS, unknown_rules

    for rule in unknown_rules(r.data):
        r.fail("unknown rule id (the README's rule tables list them; `check/rule` picks one check's rule)", rule)
    for rule in r.data:
        level = r.text(rule, None)
        if level not in LEVELS:
            r.fail(f"expected one of {', '.join(LEVELS)}, found {level!r}", rule)
    return dict(r.data)


def _parse_project(root: Path, r: _Reader) -> ProjectSettings:
    r.only(("migrations", "tests", "seed", "api_schemas", "baseline", "major_version"))
    seed = r.text("seed", "supabase/seed.sql")
    schemas = r.strings("api_schemas", ("public",))
    for schema in schemas:
        if not re.fullmatch(r"[a-z_][a-z0-9_$]*", schema):
            r.fail(f"{schema!r} is not a plain schema name", "api_schemas")
    return ProjectSettings(
        root=root.resolve(),
        migrations=(root / (r.text("migrations", "supabase/migrations") or "")).resolve(),
        tests=(root / (r.text("tests", "supabase/tests") or "")).resolve(),
        seed=(root / seed).resolve() if seed else None,
        api_schemas=schemas,
        configured=tuple(key for key in ("tests", "seed") if key in r.data),
        baseline=_baseline(r),
    )


def _baseline(r: _Reader) -> str | None:
    baseline = r.text("baseline", "") or None
    if baseline is not None and not re.fullmatch(r"\d+", baseline):
        r.fail(f"expected a migration version (digits, like \"20240101000000\"), found {baseline!r}", "baseline")
    return baseline


def _parse_tenancy(r: _Reader) -> Tenancy:
    r.only(("tenant", "member", "roles", "claims"))
    roles = r.strings("roles", DEFAULT_ROLES)
    for role in roles:
        if role in (*BUILTIN_PERSONAS, "service_role", PRIMARY_OWNER):
            r.fail(f"{role!r} is a built-in persona and cannot be a tenancy role", "roles")
    claims = r.text("claims", None)
    if claims:
        probe = claims.replace("{tenant}", "00000000-0000-0000-0000-000000000000")
        probe = probe.replace("{user}", "00000000-0000-0000-0000-000000000000")
        probe = probe.replace("{role}", "role")
        try:
            parsed = json.loads(probe)
        except json.JSONDecodeError as exc:
            r.fail(f"expected a JSON object: {exc.msg} at character {exc.pos}", "claims")
        if not isinstance(parsed, dict):
            r.fail("expected a JSON object", "claims")
    return Tenancy(
        tenant=r.text("tenant", DEFAULT_TENANT) or "",
        member=r.text("member", DEFAULT_MEMBER) or "",
        roles=roles,
        claims=claims or None,
    )


def _parse_access(access_reader: _Reader, personas: tuple[str, ...],
                  operations: tuple[str, ...] = OPERATIONS) -> dict[str, dict[str, str]]:
    """persona -> operation -> scope; operation keys beat "all"."""
    access: dict[str, dict[str, str]] = {}
    for persona in access_reader.data:
        if persona not in personas:
            access_reader.fail(
                f"unknown persona (expected one of: {', '.join(personas)})", persona
            )
        ops_reader = access_reader.table(persona)
        ops_reader.only((*operations, "all"))
        resolved: dict[str, str] = {}
        for op in ("all", *operations):
            scope = ops_reader.text(op, None)
            if scope is None:
                continue
            if not isinstance(scope, str) or scope.removesuffix("*") not in SCOPES or scope == "none*":
                ops_reader.fail(f"expected one of {', '.join(SCOPES)}, found {scope!r} (own*, tenant*, all*: at "
                                "most that scope, maybe part of it)", op)
            if op == "all":
                resolved.update({o: scope for o in operations})
            else:
                resolved[op] = scope
        access[persona] = resolved
    return access


def _parse_table(name: str, r: _Reader, personas: tuple[str, ...]) -> TableSpec:
    if not re.fullmatch(QUALIFIED, name):
        r.fail("table names must be schema-qualified, like \"public.things\"")
    r.only(("row", "owner", "tenant", "key", "access"))
    access_reader = r.table("access")
    access = _parse_access(access_reader, personas)
    owner = r.text("owner", None)
    tenant = r.text("tenant", None)
    for persona, ops in access.items():
        if "own" in ops.values() and not owner:
            access_reader.fail("scope \"own\" needs the table's `owner` column", persona)
        if "tenant" in ops.values() and not (owner or tenant):
            access_reader.fail("scope \"tenant\" needs an `owner` or `tenant` column", persona)
    return TableSpec(
        name=name,
        row=r.text("row", None),
        owner=owner,
        tenant=tenant,
        key=r.text("key", None),
        access=access,
    )


def _parse_function(name: str, r: _Reader, personas: tuple[str, ...]) -> FunctionSpec:
    if not re.fullmatch(QUALIFIED, name):
        r.fail("function names must be schema-qualified and without arguments, like \"public.list_members\"")
    r.only(("call", "owner", "tenant", "access"))
    call = r.text("call", None)
    if not call:
        r.fail("needs `call`: the SQL that calls it, like \"select * from "
               f"{name}('{{target_tenant}}')\" ({{target_tenant}} and {{target_user}} are filled in)", "call")
    access_reader = r.table("access")
    resolved = _parse_access(access_reader, personas, ("execute",))
    owner, tenant = r.text("owner", None), r.text("tenant", None)
    for persona, ops in resolved.items():
        if ops.get("execute") == "own" and not owner:
            access_reader.fail("scope \"own\" needs `owner`: the returned rows' column naming their member", persona)
    return FunctionSpec(name=name, call=call or "", owner=owner, tenant=tenant,
                        access={p: ops["execute"] for p, ops in resolved.items() if "execute" in ops})


def _parse_bucket(name: str, r: _Reader, personas: tuple[str, ...]) -> BucketSpec:
    if not re.fullmatch(r"[\w.\-]+", name):
        r.fail("bucket ids are letters, digits, '_', '-' and '.'")
    r.only(("path", "access"))
    path = r.text("path", "{tenant}/{user}/{name}") or ""
    if "{name}" not in path or not ("{tenant}" in path or "{user}" in path):
        r.fail(f"expected a path template with {{name}} and {{tenant}} and/or {{user}}, found {path!r}", "path")
    access_reader = r.table("access")
    access = _parse_access(access_reader, personas)
    for persona, ops in access.items():
        if "own" in ops.values() and "{user}" not in path:
            access_reader.fail("scope \"own\" needs {user} in the bucket's path", persona)
    return BucketSpec(name=name, path=path, access=access)


def _parse_explain(r: _Reader, personas: tuple[str, ...], root: Path) -> ExplainTarget:
    r.only(("name", "as", "rows", "seed", "seed_file", "query", "max_ms", "forbid_seq_scan"))
    name = r.text("name", None)
    if not name:
        r.fail("every [[explain]] target needs a name", "name")
    query = r.text("query", None)
    if not query:
        r.fail("every [[explain]] target needs a query", "query")
    persona = r.text("as", "service_role") or "service_role"
    if persona not in (*personas, "service_role"):
        r.fail(f"unknown persona {persona!r} (expected service_role or one of: {', '.join(personas)})", "as")
    forbid = r.strings("forbid_seq_scan", ())
    for table in forbid:
        if "." not in table:
            r.fail(f"{table!r} must be schema-qualified", "forbid_seq_scan")
    seed = r.text("seed", None)
    seed_file = r.text("seed_file", None)
    if seed is not None and seed_file is not None:
        r.fail("give `seed` or `seed_file`, not both", "seed_file")
    if seed_file is not None:
        path = root / seed_file
        try:
            seed = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            r.fail(f"cannot read {seed_file}: {getattr(exc, 'strerror', None) or exc}", "seed_file")
    return ExplainTarget(
        name=name or "",
        persona=persona,
        rows=r.integer("rows", 1000, minimum=0) or 0,
        seed=seed,
        query=query or "",
        max_ms=r.number("max_ms"),
        forbid_seq_scan=forbid,
    )
