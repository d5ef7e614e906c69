"""Compiled rule sets kept per process, keyed by the contents of their files and the
parameters, so the many runs of one process (cases, batches) compile each set once."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from validator.rulelang.build import build_ruleset
from validator.rulelang.packs import layers
from validator.rulelang.ruleset import DEFAULT_PACK, RuleSet


def _fingerprint(paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    stack = layers(list(paths) or [DEFAULT_PACK])
    pack_files = [layer.pack.file for layer in stack if layer.pack is not None]
    for path in pack_files + [f for layer in stack for f in layer.files]:
        digest.update(str(path.resolve()).encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


_CACHE: dict[tuple[str, tuple[str, ...], str], RuleSet] = {}


def load_ruleset(paths: tuple[str, ...] | list[str] = (),
                 overrides: dict[str, Any] | None = None) -> RuleSet:
    """A compiled rule set, cached per process for the same files, contents and params.

    Imported files are not part of the cache key; edit the importing file or use
    :func:`build_ruleset` when imports change during one process.
    """
    key = (_fingerprint(tuple(paths)), tuple(paths),
           json.dumps(overrides or {}, sort_keys=True, default=str))
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        found = _CACHE[key] = build_ruleset(paths, overrides)
    return found
