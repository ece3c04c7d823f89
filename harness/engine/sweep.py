"""What a killed run (SIGKILL, a power cut) leaves, and the next start removes: only what is ours and
whose owner is gone.

- run folders `harness-*` (data folder, socket) under the run root, with the owner's pid in
  `harness.pid`; a build folder `harness-build-*` carries one too;
- the cache's half-copied clusters `<name>.partial-<pid>`;
- mutate's scratch folders `harness-mutate-*` in the temp folder (with `harness.pid`);
- the System V shared-memory segment of a postmaster killed with -9 (its id is in the run folder's
  `postmaster.pid`); removed only when nothing is attached any more.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import time
from pathlib import Path

OWNER_FILE = "harness.pid"
_PARTIAL = re.compile(r"\.partial-(\d+)$")
IPC_RMID = 0
IPC_STAT = 2


def alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def mark_owner(folder: Path) -> None:
    (folder / OWNER_FILE).write_text(str(os.getpid()))


def _owner(folder: Path) -> int | None:
    try:
        return int((folder / OWNER_FILE).read_text())
    except (OSError, ValueError):
        return None


def _postmaster(data: Path) -> tuple[int | None, int | None]:
    """(pid, System V shared memory id) from a data folder's postmaster.pid."""
    try:
        lines = (data / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None, None
    pid = int(lines[0]) if lines and lines[0].strip().isdigit() else None
    shmid = None
    if len(lines) >= 7 and len(lines[6].split()) == 2 and lines[6].split()[1].isdigit():
        shmid = int(lines[6].split()[1])
    return pid, shmid


def _remove_segment(shmid: int, wait_s: float = 3.0) -> None:
    """IPC_RMID a segment once nobody is attached (a killed postmaster's children notice its death and
    leave within moments)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    deadline = time.monotonic() + wait_s
    buffer = ctypes.create_string_buffer(256)  # struct shmid_ds (112 bytes on x86-64)
    while libc.shmctl(shmid, IPC_STAT, buffer) == 0:
        attached = ctypes.c_ulong.from_buffer(buffer, 88).value  # shm_nattch on Linux x86-64 / aarch64
        if attached == 0:
            libc.shmctl(shmid, IPC_RMID, None)
            return
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)


def sweep_run_folders(root: Path, pattern: str = "harness-*") -> list[Path]:
    """Remove `pattern` folders under `root` whose owner and postmaster are gone; the ones removed."""
    removed = []
    for folder in root.glob(pattern):
        owner = _owner(folder)
        if owner is None or alive(owner):
            continue  # not ours, still being set up, or live
        postmaster, shmid = _postmaster(folder / "data")
        if alive(postmaster):
            continue
        if shmid is not None:
            _remove_segment(shmid)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def sweep_partial_clusters(clusters: Path) -> list[Path]:
    removed = []
    for folder in clusters.glob("*.partial-*"):
        match = _PARTIAL.search(folder.name)
        if match and not alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def release_segment(data: Path) -> None:
    """After our postmaster is gone (however it died): its shared-memory segment too."""
    postmaster, shmid = _postmaster(data)
    if shmid is not None and not alive(postmaster):
        _remove_segment(shmid)
