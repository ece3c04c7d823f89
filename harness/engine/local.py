"""The embedded default engine: a throwaway PostgreSQL from the local server binaries.

Speed comes from a cache: one initdb'd cluster with the platform layer loaded, per (PostgreSQL
version, platform hash), under the user's cache folder. A run copies it into its own temporary
folder, starts `postgres` on a Unix socket there, and removes everything when it ends, on success,
error, Ctrl-C or SIGTERM. The server process also dies with its parent (PR_SET_PDEATHSIG), so not
even a SIGKILL of the harness leaves a postgres behind.
"""

from __future__ import annotations

import atexit
import ctypes
import fcntl
import functools
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

import psycopg

from harness.engine.binaries import PgBinaries, find_binaries
from harness.engine.install_tree import install_tree
from harness.engine.osuser import RunAs, server_user
from harness.engine.server import PLATFORM_DB, Server
from harness.engine.sweep import mark_owner, release_segment, sweep_partial_clusters, sweep_run_folders
from harness.findings import HarnessError

CACHE_FORMAT = "5"  # bump when the cached cluster's layout or settings change
SOCKET_PORT = 5432
START_TIMEOUT_S = 30.0
POLL_S = 0.005

Progress = Callable[[str], None]

# The bootstrap superuser is `supabase_admin`, as on hosted Supabase; `postgres` is a NOSUPERUSER
# role made by the platform layer (harness/platform/00_roles.sql).
ADMIN_USER = "supabase_admin"
# Hosted Supabase sorts text as en-US (ICU), not as the C locale: `order by name` must agree.
ICU_COLLATION = ("--locale-provider=icu", "--icu-locale=en-US")

# Fast and disposable: nothing here needs to survive a crash.
SERVER_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "archive_mode": "off",
    "autovacuum": "off",
    "jit": "off",
    "max_connections": "200",
    "max_locks_per_transaction": "256",
    "shared_buffers": "128MB",
    "max_wal_size": "1GB",
    "checkpoint_timeout": "1h",
    "timezone": "UTC",
    "log_min_messages": "warning",
    "lc_messages": "C",
    # Dynamic shared memory as files in the data folder, so an immediate shutdown leaves no
    # segments behind in /dev/shm.
    "dynamic_shared_memory_type": "mmap",
}


@functools.cache
def platform_sources() -> tuple[tuple[str, bytes], ...]:
    """(file name, SQL) of the platform layer in order, read once per process."""
    folder = resources.files("harness") / "platform"
    paths = sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".sql"))
    return tuple((path.name, path.read_bytes()) for path in paths)


def platform_hash(binaries: PgBinaries) -> str:
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}|{binaries.version}|{binaries.bindir}|".encode())
    digest.update(b"pgtap" if binaries.has_extension("pgtap") else b"-")
    for name, text in platform_sources():
        digest.update(name.encode() + b"\0" + text + b"\0")
    return digest.hexdigest()[:16]


def run_root() -> str:
    """Where a run's data folder lives: RAM (/dev/shm) when there is room, else the temp folder.

    On a disk file system every CREATE/DROP DATABASE creates and unlinks hundreds of files
    (measured here: 110-170 ms a clone on ext4, 6-11 ms on tmpfs).
    """
    explicit = os.environ.get("HARNESS_RUN_DIR")
    if explicit:
        return explicit
    shm = "/dev/shm"
    try:
        stats = os.statvfs(shm)
        if os.access(shm, os.W_OK | os.X_OK) and stats.f_bavail * stats.f_frsize > 2 * 1024**3:
            return shm
    except OSError:
        pass
    return tempfile.gettempdir()


def cache_root() -> Path:
    explicit = os.environ.get("HARNESS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "harness"


def installs_root(run_as: RunAs) -> Path:
    """Where the private server installations live: the cache, if the server's OS user can reach it.

    As root the cache is usually under /root (mode 0700), which the server's user cannot enter;
    then a folder of ours in the temp folder serves (sticky /tmp: nobody else can replace it).
    """
    preferred = cache_root() / "installs"
    if not run_as.switch or _reachable(preferred, run_as):
        return preferred
    fallback = Path(tempfile.gettempdir()) / f"harness-installs-{os.geteuid()}"
    fallback.mkdir(mode=0o755, exist_ok=True)
    stats = fallback.lstat()
    if fallback.is_symlink() or stats.st_uid != os.geteuid() or stats.st_mode & 0o022:
        raise HarnessError(f"{fallback} is not a folder of ours; remove it or set HARNESS_CACHE_DIR")
    return fallback


def _reachable(path: Path, run_as: RunAs) -> bool:
    """True when every existing ancestor of `path` lets `run_as` pass (x for other, group or owner)."""
    for folder in [path, *path.parents]:
        try:
            stats = folder.stat()
        except OSError:
            continue
        if stats.st_uid == run_as.uid:
            bit = 0o100
        elif stats.st_gid == run_as.gid:
            bit = 0o010
        else:
            bit = 0o001
        if not stats.st_mode & bit:
            return False
    return True


def die_with_parent(signum: int = signal.SIGQUIT) -> None:
    """In a child we start: `signum` when we die (SIGQUIT: a server's immediate shutdown)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signum)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the atexit and signal handlers still clean up
        pass


def _die_with_parent() -> None:
    """In the server's child, after the switch to its user."""
    die_with_parent(signal.SIGQUIT)


@dataclass
class _Process:
    """One postgres postmaster we started, and how to stop it."""

    popen: subprocess.Popen[bytes]
    log: Path

    def stop(self, graceful: bool) -> None:
        if self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGINT if graceful else signal.SIGQUIT)
        try:
            self.popen.wait(timeout=30 if graceful else 10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)


_LIVE: set["LocalEngine"] = set()


def halt_all(wait_s: float = 2.0) -> None:
    """From a signal handler: an immediate shutdown of every server of this process, waiting (a
    little) until they are gone, so that no client library tries to cancel a query on a server that
    is half down (psycopg waits up to 5 s for that). Their run folders go when the engines' `stop` runs."""
    popens = [engine._process.popen for engine in list(_LIVE) if engine._process is not None]
    for popen in popens:
        if popen.poll() is None:
            try:
                popen.send_signal(signal.SIGQUIT)
            except OSError:
                pass
    deadline = time.monotonic() + wait_s
    for popen in popens:
        try:
            popen.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass


@atexit.register
def _stop_everything() -> None:
    for engine in list(_LIVE):
        engine.stop()


def _start_postgres(
    binaries: PgBinaries,
    run_as: RunAs,
    data: Path,
    socket_dir: Path,
    log: Path,
    tcp_port: int | None = None,
) -> tuple[_Process, Server]:
    port = tcp_port or SOCKET_PORT
    settings = dict(SERVER_SETTINGS)
    settings["unix_socket_directories"] = str(socket_dir)
    settings["listen_addresses"] = "127.0.0.1" if tcp_port else ""
    settings["port"] = str(port)
    argv = [binaries.path("postgres"), "-D", str(data)]
    for key, value in settings.items():
        argv += ["-c", f"{key}={value}"]
    with open(log, "ab") as log_file:
        popen = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
            preexec_fn=_die_with_parent,
            env=run_as.env(),
            **run_as.popen_kwargs(),
        )
    process = _Process(popen, log)
    server = Server(
        host=str(socket_dir), port=port, tcp_port=tcp_port, clone_strategy="file_copy",
        admin_user=ADMIN_USER, db_owner="postgres",
    )
    try:
        _wait_ready(process, server, socket_dir / f".s.PGSQL.{port}")
    except BaseException:
        process.stop(graceful=False)
        raise
    return process, server


def _wait_ready(process: _Process, server: Server, socket: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            tail = process.log.read_text(errors="replace").strip().splitlines()[-8:]
            raise HarnessError("PostgreSQL did not start:\n  " + "\n  ".join(tail))
        if socket.exists():
            try:
                psycopg.connect(server.conninfo(server.admin_db, ADMIN_USER), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                pass  # the socket exists before the server accepts connections
        time.sleep(POLL_S)
    raise HarnessError(f"PostgreSQL did not accept connections within {START_TIMEOUT_S:.0f} s (log: {process.log})")


@dataclass
class LocalEngine:
    """Boots a platform-loaded server from the cache; use as a context manager or call start/stop."""

    pg_bin: Path | None = None
    tcp_port: int | None = None
    major: int | None = None  # None: $HARNESS_PG_MAJOR, else the CLI's default; --pg-bin beats it
    progress: Progress | None = None
    binaries: PgBinaries | None = None
    server: Server | None = field(default=None, init=False)
    run_dir: Path | None = field(default=None, init=False)
    _process: _Process | None = field(default=None, init=False)

    def __hash__(self) -> int:
        return id(self)

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    def resolve_binaries(self) -> PgBinaries:
        """The private installation of the project's major (or of --pg-bin), found once."""
        if self.binaries is None:
            self.binaries = install_tree(find_binaries(self.pg_bin, self.major), installs_root(server_user()))
        return self.binaries

    def start(self, cluster: Path | None = None) -> Server:
        """Boot a copy of the platform cluster (or of `cluster`, a stopped data folder such as a cached
        migrated template's)."""
        run_as = server_user()
        self.resolve_binaries()
        assert self.binaries is not None
        cached = cluster or self._cached_cluster(self.binaries, run_as)
        _LIVE.add(self)
        try:
            sweep_run_folders(Path(run_root()))  # run and build folders of killed runs
            self.run_dir = Path(tempfile.mkdtemp(prefix="harness-", dir=run_root()))
            mark_owner(self.run_dir)
            run_as.own(self.run_dir)
            data = self.run_dir / "data"
            _copy_tree(cached, data)
            _own_tree(data, run_as)
            self._process, self.server = _start_postgres(
                self.binaries, run_as, data, self.run_dir, self.run_dir / "postgres.log", self.tcp_port
            )
        except BaseException:
            self.stop()
            raise
        return self.server

    def snapshot(self, target: Path) -> None:
        """Copy the data folder to `target` as a stopped cluster (a clean shutdown, the copy, a restart
        on the same socket: the Server and its databases stay valid). Nobody may be connected."""
        if self._process is None or self.run_dir is None or self.binaries is None or self.server is None:
            raise RuntimeError("the engine is not running")
        self._process.stop(graceful=True)
        data = self.run_dir / "data"
        _copy_tree(data, target)
        (target / "postmaster.pid").unlink(missing_ok=True)
        self._process, _ = _start_postgres(
            self.binaries, server_user(), data, self.run_dir, self.run_dir / "postgres.log", self.tcp_port
        )

    def stop(self) -> None:
        """Stop the server and remove every file of this run. Safe to call more than once."""
        if self._process is not None:
            self._process.stop(graceful=False)
            self._process = None
        if self.run_dir is not None:
            release_segment(self.run_dir / "data")  # a postmaster killed with -9 leaves its segment
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None
        self.server = None
        _LIVE.discard(self)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the cluster cache -------------------------------------------------------------------

    def _cached_cluster(self, binaries: PgBinaries, run_as: RunAs) -> Path:
        clusters = cache_root() / "clusters"
        target = clusters / f"pg{binaries.version}-{platform_hash(binaries)}"
        if (target / "PG_VERSION").is_file():
            return target
        try:
            clusters.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HarnessError(f"cannot create the cache folder {clusters}: {exc.strerror} (set HARNESS_CACHE_DIR)") from None
        with _file_lock(clusters / ".lock"):
            if (target / "PG_VERSION").is_file():  # another run built it while we waited
                return target
            sweep_partial_clusters(clusters)
            self._say(f"building the PostgreSQL {binaries.version} platform cluster (once per version)")
            _build_cluster(binaries, run_as, target)
        return target


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a data folder keeping owners and modes (cp -a), cloning blocks where the file system can."""
    result = subprocess.run(
        ["cp", "-a", "--reflink=auto", str(source), str(target)], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise HarnessError(f"cannot copy the cached cluster {source}: {result.stderr.strip()}")


def _own_tree(data: Path, run_as: RunAs) -> None:
    """A cache restored by CI (actions/cache) may belong to another uid than this machine's server user."""
    if run_as.switch and data.stat().st_uid != run_as.uid:
        for folder, _, files in os.walk(data):
            os.chown(folder, run_as.uid, run_as.gid)
            for name in files:
                os.chown(os.path.join(folder, name), run_as.uid, run_as.gid)


def _build_cluster(binaries: PgBinaries, run_as: RunAs, target: Path) -> None:
    """initdb, load the platform layer into a template database, stop cleanly, move into the cache."""
    build = Path(tempfile.mkdtemp(prefix="harness-build-", dir=run_root()))
    mark_owner(build)  # so a killed build is swept like a run folder
    try:
        run_as.own(build)
        data = build / "data"
        initdb = subprocess.run(
            [
                binaries.path("initdb"), "-D", str(data), "-U", ADMIN_USER, "-A", "trust",
                "-E", "UTF8", "--locale=C.UTF-8", *ICU_COLLATION, "--no-sync", "--wal-segsize=1",
            ],
            capture_output=True,
            text=True,
            env=run_as.env(),
            **run_as.popen_kwargs(),
        )
        if initdb.returncode != 0:
            raise HarnessError(f"initdb failed: {initdb.stderr.strip() or initdb.stdout.strip()}")
        process, server = _start_postgres(binaries, run_as, data, build, build / "build.log")
        try:
            _load_platform(server)
        except BaseException:
            process.stop(graceful=False)
            raise
        process.stop(graceful=True)  # a clean checkpoint, so copies start without recovery
        partial = target.with_name(target.name + f".partial-{os.getpid()}")
        shutil.rmtree(partial, ignore_errors=True)
        _copy_tree(data, partial)
        os.replace(partial, target)
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _load_platform(server: Server) -> None:
    with server.connect_admin() as conn:  # owned by the superuser: `postgres` does not exist yet
        conn.execute(f"create database {PLATFORM_DB}".encode())
    with server.connect_admin(PLATFORM_DB) as conn:
        for name, text in platform_sources():
            try:
                conn.execute(text)
            except psycopg.Error as exc:
                raise HarnessError(f"the platform layer {name} failed to load: {exc}") from None
        conn.execute("checkpoint")
    server.mark_template(PLATFORM_DB)
