"""An existing PostgreSQL given by URL (`--db-url`): a `supabase start` stack, a CI service.

Nothing outside scratch databases is written: the harness creates a platform database from
template0, clones it as the local engine does, and drops every database it made when the run ends.
Cluster-wide objects (roles, role settings) are only read: the Supabase roles must already exist.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Callable

import psycopg
from psycopg.conninfo import conninfo_to_dict

from harness.engine.local import platform_sources
from harness.engine.server import Server
from harness.findings import HarnessError

REQUIRED_ROLES = ("anon", "authenticated", "service_role", "authenticator")
CLUSTER_LEVEL_FILES = ("00_roles.sql",)  # roles and role settings: never written through a URL


def is_local_host(host: str) -> bool:
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_from_url(url: str) -> Server:
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise HarnessError(f"--db-url is not a PostgreSQL URL or connection string: {exc}") from None
    return Server(
        host=str(params.get("host") or "localhost"),
        port=int(params.get("port") or 5432),
        user=str(params.get("user") or "postgres"),
        password=str(params["password"]) if params.get("password") else None,
        admin_db=str(params.get("dbname") or "postgres"),
        owns_cluster=False,
    )


@dataclass
class UrlEngine:
    url: str
    allow_remote: bool = False
    progress: Callable[[str], None] | None = None
    server: Server | None = field(default=None, init=False)

    def start(self) -> Server:
        server = server_from_url(self.url)
        if not is_local_host(server.host) and not self.allow_remote:
            raise HarnessError(
                f"--db-url points at {server.host}, which is not this machine; the harness creates and drops "
                "scratch databases there. If that server is not production, pass --i-know-this-is-not-production"
            )
        try:
            with server.connect(server.admin_db) as conn:
                can_create, = conn.execute(
                    "select rolsuper or rolcreatedb from pg_roles where rolname = current_user"
                ).fetchone() or (False,)
                present = {r for (r,) in conn.execute(
                    "select rolname from pg_roles where rolname = any(%s)", (list(REQUIRED_ROLES),))}
        except psycopg.OperationalError as exc:
            raise HarnessError(f"cannot connect to --db-url: {str(exc).strip()}") from None
        if not can_create:
            raise HarnessError(f"the user {server.user} of --db-url cannot create databases (needs CREATEDB)")
        missing = [r for r in REQUIRED_ROLES if r not in present]
        if missing:
            raise HarnessError(
                f"the server of --db-url lacks Supabase's roles ({', '.join(missing)}); point it at a Supabase "
                "database (supabase start) or use the local engine"
            )
        self.server = server
        try:
            server.platform_db = server.create_database(server.unique_name("harness_platform"), "template0")
            self._load_platform(server)
        except BaseException:
            self.stop()
            raise
        return server

    def _load_platform(self, server: Server) -> None:
        with server.connect(server.platform_db) as conn:
            for name, text in platform_sources():
                if name in CLUSTER_LEVEL_FILES:
                    continue
                try:
                    conn.execute(text)
                except psycopg.Error as exc:
                    raise HarnessError(
                        f"the platform layer {name} does not load through --db-url ({str(exc).strip()}); "
                        "connect as a superuser (on Supabase: supabase_admin)"
                    ) from None

    def stop(self) -> None:
        if self.server is not None:
            self.server.drop_created()
            self.server = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
