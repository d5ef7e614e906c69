"""The cyclic garbage collector, paused while many acyclic objects are made.

Loading a large plan, building its views and running the engine each create hundreds of
thousands of objects that hold no cycles; the collector's passes over them cost more than
the work itself (about a fifth of a 10,000-target load, two thirds of building views).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects are created."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
