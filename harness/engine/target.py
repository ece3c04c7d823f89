"""Where a `--db-url` really leads, resolved as libpq resolves it, so the production guard judges
the connection the harness then makes, and nothing else.

libpq fills every parameter the URL leaves out from, in order: the URL itself, the service file
entry (`service=` or `PGSERVICE`), then the `PG*` environment. `hostaddr` (not `host`) is where it
connects when given; `host` and `hostaddr` may list several servers, tried in turn. The resolved
parameters are what every connection of the run uses (psql included, whose environment is cleaned),
so the guard and the connections cannot disagree.
"""

from __future__ import annotations

import configparser
import ipaddress
import os
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from harness.findings import HarnessError

# The PG* variables that pick a server, user or TLS setting (libpq's envvar column), by parameter.
ENVIRONMENT = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER",
    "password": "PGPASSWORD", "passfile": "PGPASSFILE", "options": "PGOPTIONS", "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "sslcrl": "PGSSLCRL",
    "requiressl": "PGREQUIRESSL", "sslnegotiation": "PGSSLNEGOTIATION", "gssencmode": "PGGSSENCMODE",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "load_balance_hosts": "PGLOADBALANCEHOSTS",
    "connect_timeout": "PGCONNECT_TIMEOUT", "channel_binding": "PGCHANNELBINDING",
    "require_auth": "PGREQUIREAUTH", "service": "PGSERVICE",
}


def resolve(url: str, environ: dict[str, str] | None = None) -> dict[str, str]:
    """Every connection parameter libpq would use for `url`, as an explicit dict."""
    env = dict(os.environ if environ is None else environ)
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
    except psycopg.ProgrammingError as exc:
        raise HarnessError(f"--db-url is not a PostgreSQL URL or connection string: {exc}") from None
    service = params.pop("service", None) or env.get("PGSERVICE")
    if service:
        for key, value in _service(service, env).items():
            params.setdefault(key, value)
    for key, variable in ENVIRONMENT.items():
        if key != "service" and key not in params and env.get(variable):
            params[key] = env[variable]
    return params


def _service(name: str, env: dict[str, str]) -> dict[str, str]:
    """The entry of a service file: $PGSERVICEFILE or ~/.pg_service.conf, then the system one."""
    files = [Path(env["PGSERVICEFILE"])] if env.get("PGSERVICEFILE") else [Path.home() / ".pg_service.conf"]
    sysconf = env.get("PGSYSCONFDIR") or _pg_sysconfdir()
    if sysconf:
        files.append(Path(sysconf) / "pg_service.conf")
    for file in files:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            parser.read_string(file.read_text(encoding="utf-8"))
        except (OSError, configparser.Error):
            continue
        if parser.has_section(name):
            return {key.strip(): value.strip() for key, value in parser.items(name)}
    raise HarnessError(f"--db-url: the service {name!r} is in no service file ({', '.join(map(str, files))})")


def _pg_sysconfdir() -> str | None:
    for candidate in ("/etc/postgresql-common", "/etc/postgresql", "/usr/local/pgsql/etc"):
        if (Path(candidate) / "pg_service.conf").is_file():
            return candidate
    return None


def is_local(host: str) -> bool:
    host = host.strip()
    if not host or host.startswith("/") or host.startswith("@") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def reachable_hosts(params: dict[str, str]) -> list[str]:
    """Every server the connection could reach: each `hostaddr` (where libpq connects when it is
    given), else each `host`; none at all means the default Unix socket (this machine)."""
    hosts = [h for h in params.get("host", "").split(",") if h.strip()]
    addresses = [a for a in params.get("hostaddr", "").split(",") if a.strip()]
    targets = []
    for index in range(max(len(hosts), len(addresses))):
        address = addresses[index] if index < len(addresses) else ""
        host = hosts[index] if index < len(hosts) else ""
        targets.append(address.strip() or host.strip())
    return targets or [""]


def remote_hosts(params: dict[str, str]) -> list[str]:
    return [h for h in reachable_hosts(params) if not is_local(h)]


def guarded_params(url: str, allow_remote: bool, what: str) -> dict[str, str]:
    """The resolved parameters of `url`, after the production guard: every server the connection could
    reach must be this machine unless --i-know-this-is-not-production was given."""
    params = resolve(url)
    remote = remote_hosts(params)
    if remote and not allow_remote:
        via = ", ".join(sorted(set(remote)))
        raise HarnessError(
            f"--db-url leads to {via}, which is not this machine (resolved as libpq does: the URL, its "
            f"hostaddr, service file and PG* environment); {what}. If that server is not production, "
            "pass --i-know-this-is-not-production"
        )
    return params


def display_host(params: dict[str, str]) -> str:
    return ",".join(h or "the default socket" for h in reachable_hosts(params))
