"""Issue 18, item 17: what a killed run leaves is swept by the next start, and only what is ours and
whose owner is gone; a postmaster killed with -9 leaves no shared-memory segment."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from harness.engine.local import LocalEngine, cache_root
from harness.engine.sweep import OWNER_FILE, _postmaster


@pytest.fixture
def run_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="reliab-root-", dir="/tmp"))
    folder.chmod(0o711)
    monkeypatch.setenv("HARNESS_RUN_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def segment_exists(shmid: int) -> bool:
    """In `ipcs -m`'s table (its exit code is 0 for an unknown id too)."""
    listing = subprocess.run(["ipcs", "-m"], capture_output=True, text=True, check=True).stdout
    return any(line.split()[1:2] == [str(shmid)] for line in listing.splitlines())


def test_leftovers_of_dead_runs_go_and_live_ones_stay(run_root: Path) -> None:
    dead, live = dead_pid(), os.getpid()
    folders = {name: run_root / name for name in ("harness-dead", "harness-build-dead", "harness-live", "harness-alien")}
    for name, folder in folders.items():
        (folder / "data").mkdir(parents=True)
        if name != "harness-alien":  # no owner file: not ours
            (folder / OWNER_FILE).write_text(str(live if name == "harness-live" else dead))
    clusters = cache_root() / "clusters"
    clusters.mkdir(parents=True, exist_ok=True)
    partial = clusters / f"pg15-reliab.partial-{dead}"
    partial.mkdir()
    try:
        with LocalEngine():
            pass
        from harness.engine.sweep import sweep_partial_clusters
        sweep_partial_clusters(clusters)  # the start sweeps these only when it builds a cluster
        assert not folders["harness-dead"].exists() and not folders["harness-build-dead"].exists()
        assert folders["harness-live"].exists() and folders["harness-alien"].exists()
        assert not partial.exists()
        assert sorted(p.name for p in run_root.iterdir()) == ["harness-alien", "harness-live"]
    finally:
        shutil.rmtree(partial, ignore_errors=True)


@pytest.mark.skipif(shutil.which("ipcs") is None, reason="no ipcs")
def test_a_postmaster_killed_with_9_leaves_no_segment(run_root: Path) -> None:
    engine = LocalEngine()
    engine.start()
    try:
        assert engine.run_dir is not None and engine._process is not None
        postmaster, shmid = _postmaster(engine.run_dir / "data")
        assert postmaster and shmid is not None and segment_exists(shmid)
        os.kill(postmaster, signal.SIGKILL)
        engine._process.popen.wait(timeout=10)
    finally:
        engine.stop()
    deadline = time.monotonic() + 5
    while segment_exists(shmid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not segment_exists(shmid)
    assert list(run_root.iterdir()) == []
