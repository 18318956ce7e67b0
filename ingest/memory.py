"""What a run keeps until it ends, set aside from Python's full garbage collections: the one owner of gc.freeze.

Loading a large archive makes millions of objects (articles, notes, then the pages)
that live until the run ends. Each full collection would walk all of them again to
find nothing: a third of the time of a load from the cache, and again as the process
exits. `gc.freeze` moves every object alive into a generation collections skip;
`gc.unfreeze` hands them all back. Objects set aside are still freed when nothing
refers to them; only garbage in reference cycles waits for the hand-back.

Set-asides nest: only the outermost hands back, so a library call (the analysis
inside the load, the load inside a build) never releases what its caller set aside,
and no full collection slips in between two of them.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator

_open = 0  # set-asides entered and not yet left


@contextmanager
def set_aside() -> Iterator[Callable[[], None]]:
    """Within the block, calling what it gives sets aside every object made so far; the outermost block hands them back."""
    global _open
    _open += 1
    try:
        yield gc.freeze
    finally:
        _open -= 1
        if _open == 0:
            gc.unfreeze()
