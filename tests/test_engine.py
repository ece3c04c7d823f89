"""The local engine: binaries, root and non-root, the cluster cache, cleanup, concurrency."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from harness.engine.binaries import find_binaries
from harness.engine.install_tree import harness_extension_files, privileged_extensions
from harness.engine.local import LocalEngine, cache_root, platform_hash, platform_sources
from harness.engine.osuser import server_user
from harness.engine.server import PLATFORM_DB
from harness.findings import HarnessError

REPO = Path(__file__).resolve().parent.parent


def _postmaster_uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError("no Uid line")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has no memory left and is gone for our purposes.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def test_finds_binaries_and_reports_version() -> None:
    binaries = find_binaries()
    assert binaries.major >= 15
    assert (binaries.bindir / "initdb").is_file()


def test_explicit_pg_bin_that_is_wrong_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="does not hold `initdb` and `postgres`.*apt-get install postgresql-15"):
        find_binaries(tmp_path)


def _shm_segments() -> set[str]:
    shm = Path("/dev/shm")
    return {p.name for p in shm.glob("PostgreSQL.*")} if shm.is_dir() else set()


def test_server_starts_platform_loaded_and_stops_leaving_nothing() -> None:
    segments_before = _shm_segments()
    engine = LocalEngine()
    server = engine.start()
    run_dir = engine.run_dir
    assert run_dir is not None and run_dir.is_dir()
    try:
        with server.connect(PLATFORM_DB) as conn:
            roles = {r for (r,) in conn.execute("select rolname from pg_roles")}
            assert {"anon", "authenticated", "service_role", "authenticator", "supabase_admin"} <= roles
            pid = conn.execute("select pg_backend_pid()").fetchone()[0]
        postmaster = int((run_dir / "data" / "postmaster.pid").read_text().split()[0])
        assert _alive(postmaster)
        if os.geteuid() == 0:
            assert _postmaster_uid(postmaster) != 0, "PostgreSQL must not run as root"
        # Unix socket only: no TCP listener.
        with server.connect("postgres") as conn:
            assert conn.execute("show listen_addresses").fetchone()[0] == ""
            assert conn.execute("show fsync").fetchone()[0] == "off"
        assert pid > 0
    finally:
        engine.stop()
    assert not run_dir.exists()
    assert not _alive(postmaster)
    assert _shm_segments() <= segments_before, "shared memory segments left in /dev/shm"
    engine.stop()  # a second stop is harmless


def test_two_engines_at_once_do_not_interfere() -> None:
    with LocalEngine() as first, LocalEngine() as second:
        assert first.host != second.host
        for server in (first, second):
            server.create_database("same_name", "harness_platform")
        with first.connect("same_name") as conn:
            conn.execute("create table only_here (x int)")
        with second.connect("same_name") as conn:
            assert conn.execute("select to_regclass('only_here')").fetchone()[0] is None


def test_clone_is_a_copy_of_the_template(pg_server) -> None:  # type: ignore[no-untyped-def]
    with pg_server.scratch_database(PLATFORM_DB) as name:
        with pg_server.connect(name) as conn:
            assert conn.execute("select to_regclass('auth.users')").fetchone()[0] == "auth.users"
    with pg_server.connect("postgres") as conn:
        assert conn.execute("select count(*) from pg_database where datname = %s", (name,)).fetchone()[0] == 0


def test_cache_key_follows_the_platform_files() -> None:
    binaries = find_binaries()
    key = platform_hash(binaries)
    assert key == platform_hash(binaries)
    assert len(key) == 16
    assert any(p.name.startswith(f"pg{binaries.version}-") for p in (cache_root() / "clusters").iterdir())


def _wait_for_line(process: subprocess.Popen[str], needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    seen = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return line
    raise AssertionError(f"{needle!r} never printed; got:\n{''.join(seen)}")


def _harness_up(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness", "up", "--project", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )


def _socket_dir(url_line: str) -> Path:
    from urllib.parse import parse_qs, unquote, urlparse

    url = url_line.split("url:", 1)[1].strip()
    return Path(unquote(parse_qs(urlparse(url).query)["host"][0]))


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_harness_up_leaves_nothing_behind(make_project, how: signal.Signals) -> None:  # type: ignore[no-untyped-def]
    project = make_project({"20260101000000_t.sql": "create table if not exists public.t (id int);"})
    process = _harness_up(project)
    try:
        run_dir = _socket_dir(_wait_for_line(process, "url:"))
        postmaster = int((run_dir / "data" / "postmaster.pid").read_text().split()[0])
        process.send_signal(how)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    deadline = time.monotonic() + 10
    while _alive(postmaster) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(postmaster), "the postgres server outlived the harness"
    if how != signal.SIGKILL:
        assert not run_dir.exists()
        assert process.returncode in (0, 128 + how)
    else:  # a SIGKILLed harness cannot remove its folder: the next run does (maybe a concurrent one)
        with LocalEngine():
            assert not run_dir.exists()


def test_the_next_run_sweeps_folders_left_by_a_killed_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # A run folder of its own (that the server's user can enter), so no concurrent run sweeps first.
    tmp_path = Path(tempfile.mkdtemp(prefix="harness-test-runs-"))
    os.chmod(tmp_path, 0o755)
    monkeypatch.setenv("HARNESS_RUN_DIR", str(tmp_path))
    child = subprocess.Popen(["true"])
    child.wait()
    left = tmp_path / "harness-left"
    (left / "data").mkdir(parents=True)
    (left / "harness.pid").write_text(str(child.pid))  # its owner is gone
    alive = tmp_path / "harness-alive"
    alive.mkdir()
    (alive / "harness.pid").write_text(str(os.getpid()))  # a live run: kept
    foreign = tmp_path / "harness-foreign"
    foreign.mkdir()  # no owner file: not ours, kept
    try:
        with LocalEngine():
            assert not left.exists()
            assert alive.exists() and foreign.exists()
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="runs as a normal user already; the root path needs root")
def test_engine_works_as_a_normal_user() -> None:
    """Fork, drop to an unprivileged user, start an engine with its own cache, report back."""
    user = server_user()
    platform_sources()  # read now: the checkout may be a folder the unprivileged user cannot enter
    harness_extension_files(), privileged_extensions()  # likewise (cached for the child)
    # The registry package of 17 lies in the checkout's virtual environment, out of the user's reach
    # like the checkout; a system installation is readable by everyone.
    system = find_binaries(None, 15)
    cache = Path(tempfile.mkdtemp(prefix="harness-test-cache-"))
    os.chown(cache, user.uid, user.gid)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(user.gid)
            os.setuid(user.uid)
            os.environ["HARNESS_CACHE_DIR"] = str(cache)
            os.environ["HOME"] = str(cache)
            with LocalEngine(pg_bin=system.bindir) as server, server.connect(PLATFORM_DB) as conn:
                who = conn.execute("select current_user").fetchone()[0]
            os.write(write_end, f"ok {who} {pwd.getpwuid(os.geteuid()).pw_name}".encode())
            code = 0
        except BaseException as exc:  # report anything to the parent
            os.write(write_end, f"error {exc!r}".encode())
        finally:
            os._exit(code)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    message = os.read(read_end, 10000).decode()
    os.close(read_end)
    shutil.rmtree(cache, ignore_errors=True)
    assert os.WEXITSTATUS(status) == 0, message
    assert message == f"ok postgres {user.name}"


def test_a_server_that_cannot_start_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("harness.engine.local.SERVER_SETTINGS", {"shared_buffers": "not-a-size"})
    engine = LocalEngine()
    with pytest.raises(HarnessError, match="PostgreSQL did not start"):
        engine.start()
    assert engine.run_dir is None


def test_connection_refused_after_stop() -> None:
    engine = LocalEngine()
    server = engine.start()
    engine.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.conninfo("postgres"), connect_timeout=1)


def test_harness_up_json_says_how_to_connect(make_project) -> None:  # type: ignore[no-untyped-def]
    import json

    project = make_project({"20260101000000_t.sql": "create table if not exists public.t (id int);"})
    process = subprocess.Popen([sys.executable, "-m", "harness", "up", "--project", str(project), "--format", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert ready["ready"] is True and ready["findings"] == []
        assert ready["migrations"] == ["supabase/migrations/20260101000000_t.sql"]
        with psycopg.connect(ready["url"]) as conn:
            assert conn.execute("select to_regclass('public.t')::text").fetchone()[0] == "t"
        assert ready["psql"].startswith("psql -h ")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
