"""Ctrl-C, SIGTERM, SIGHUP (the terminal of `harness up` closed) and SIGQUIT: stop within a second,
leave nothing behind, never a traceback.

The handler first stops every local server at once (an immediate shutdown, without waiting), so no
thread can stay blocked on a backend that runs a project's endless loop; then it raises into the main
thread, whose `with` blocks remove the run folders and drop the scratch databases. An error raised
while unwinding (a connection the stop cut) is the interruption's consequence: the exit code stays
the signal's (130 for Ctrl-C, 128 + N otherwise).
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)

_received: list[int] = []


def received() -> int | None:
    """The first signal that stopped this run, if any."""
    return _received[0] if _received else None


def exit_code() -> int:
    signum = received()
    return 130 if signum is None or signum == signal.SIGINT else 128 + signum


def _halt_servers() -> None:
    from harness.engine.local import halt_all

    halt_all()


def _handle(signum: int, _frame: FrameType | None) -> None:
    if _received:
        return  # cleanup has begun: a second signal must not cut it short (it would leave files)
    _received.append(signum)
    _halt_servers()
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)


def install() -> None:
    """In the main thread, before any engine starts. A shell starts background jobs with SIGINT
    ignored; Ctrl-C and `kill -INT` must still stop us."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in HANDLED:
        signal.signal(signum, _handle)



def exit_now() -> None:
    """After the `with` blocks unwound (servers stopped, folders removed): exit with the signal's
    code at once. The interpreter's own shutdown would collect connections the stop cut, which takes
    seconds (psycopg gives a cancel 5 s), and the run must end within one."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(exit_code())
