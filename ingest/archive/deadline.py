"""Run a pure function in a child process that is stopped at a deadline.

Parsing is the one step of a fetch that runs the feed's bytes through code we do
not own (feedparser, its regexes and its fallback parser), under the archive's
lock. Its known costs are bounded before it runs (feeds.py, xmlguard.py); this
bounds the ones nobody has found yet: a parse that takes longer than its
deadline is killed, and its feed fails in one line while the others go on.

The child is forked, so the function and its arguments are not pickled, only
the result or the exception. It also stops itself (SIGALRM) a moment after the
deadline, should the parent be killed first, and closes every file it inherited
but its pipe: the archive's lock is released when the parent ends, whatever the child does.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
from typing import Callable, TypeVar

T = TypeVar("T")


class DeadlinePassed(Exception):
    """The function did not finish in time, or its process died without an answer."""


def call_with_deadline(function: Callable[..., T], seconds: float, *args, **kwargs) -> T:
    """`function(*args, **kwargs)` in a forked child; DeadlinePassed after `seconds`."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(send, seconds, function, args, kwargs), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise DeadlinePassed(f"took longer than {seconds:g} s; stopped")
        done, value = receive.recv()
    except EOFError:
        raise DeadlinePassed(f"its process ended without an answer (exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if done:
        return value
    raise value


def _answer(send, seconds: float, function: Callable, args: tuple, kwargs: dict) -> None:
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(math.ceil(seconds) + 5)
    keep = send.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))
    try:
        result = (True, function(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 (handed to the parent, which raises it)
        result = (False, e)
    try:
        send.send(result)
    except Exception as e:  # noqa: BLE001 (a result or exception that cannot be pickled)
        send.send((False, RuntimeError(f"{type(e).__name__}: {e}")))
    send.close()
    os._exit(0)
