"""Compiled rule sets kept per process and on disk.

In one process (rule cases, batches, the review desk) a rule set is compiled once for the
same files, contents and parameters. Across processes the user's cache on disk
(:mod:`validator.core.diskcache`) keeps, keyed by the bytes of every pack.yaml and rule file,
the parameters, the ontology's files and plancheck's code:

- ``ruleset-…`` the compiled rule set itself (its variants' closures and generated
  functions stored by value), used only when every file it was parsed from (imports too)
  still has the same text: a warm command neither parses, resolves nor generates code;
- ``code-…`` the generated functions, compiled, and ``rules-…`` the parse of the files:
  what a build reuses when the rule set itself cannot be (an imported file changed).

A command served from the cache does not import lark.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
from pathlib import Path
from typing import Any

from validator import __version__
from validator.core import diskcache
from validator.core.files import read_text
from validator.core.resources import data_path
from validator.rulelang import codegen, matching
from validator.rulelang.build import Parsed, build_ruleset, parse_layers
from validator.rulelang.files import MAX_RULE_FILE_BYTES
from validator.rulelang.packs import layers
from validator.rulelang.ruleset import DEFAULT_PACK, RuleSet


def _layer_files(stack: list[Any]) -> list[Path]:
    pack_files = [layer.pack.file for layer in stack if layer.pack is not None]
    return pack_files + [f for layer in stack for f in layer.files]


def _fingerprint(stack: list[Any]) -> str:
    digest = hashlib.sha256()
    for path in _layer_files(stack):
        digest.update(str(path.resolve()).encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _unchanged(texts: dict[str, str]) -> bool:
    """True when every file still reads as the text it was parsed from."""
    for file, text in texts.items():
        try:
            if read_text(Path(file), MAX_RULE_FILE_BYTES, "rule files") != text:
                return False
        except Exception:  # gone or unreadable: parse again, which reports it
            return False
    return True


def cached_parse(stack: list[Any]) -> Parsed:
    """:func:`parse_layers` through the cache on disk (the layers' files as its key)."""
    key = diskcache.fingerprint(*diskcache.file_parts(_layer_files(stack)), version=__version__)
    found = diskcache.get("rules", key)
    if found is not None:
        files, texts, origin_index = found
        if _unchanged(texts) and all(0 <= i < len(stack) for i in origin_index.values()):
            return files, texts, {path: stack[i] for path, i in origin_index.items()}
    files, texts, origin = parse_layers(stack)
    index = {id(layer): i for i, layer in enumerate(stack)}
    diskcache.put("rules", key, (files, texts,
                                 {path: index[id(layer)] for path, layer in origin.items()}))
    return files, texts, origin


_CACHE: dict[tuple[str, tuple[str, ...], str], RuleSet] = {}


def load_ruleset(paths: tuple[str, ...] | list[str] = (),
                 overrides: dict[str, Any] | None = None) -> RuleSet:
    """A compiled rule set, cached per process for the same files, contents and params
    (and on disk, see the module's docstring).

    Imported files are not part of the per-process key; edit the importing file or use
    :func:`build_ruleset` when imports change during one process.
    """
    stack = layers(list(paths) or [DEFAULT_PACK])
    key = (_fingerprint(stack), tuple(paths),
           json.dumps(overrides or {}, sort_keys=True, default=str))
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        found = _CACHE[key] = _stored(stack, key) or _build(paths, overrides, key, stack)
    return found


def _disk_key(key: tuple[str, tuple[str, ...], str]) -> str:
    """The key on disk of a rule set: the per-process key, the ontology's files (the
    resolver checks codes against them), plancheck's version and code."""
    return diskcache.fingerprint(key[0], *key[1], key[2],
                                 *diskcache.file_parts(sorted(data_path("ontology").glob("*"))),
                                 version=__version__)


def _stored(stack: list[Any], key: tuple[str, tuple[str, ...], str]) -> RuleSet | None:
    """The compiled rule set on disk, when every file it was parsed from is unchanged; its
    packs and layers are this run's (read from the same pack.yaml files)."""
    found = diskcache.get("ruleset", _disk_key(key))
    if not (isinstance(found, dict) and isinstance(found.get("ruleset"), RuleSet)
            and isinstance(found.get("texts"), dict) and _unchanged(found["texts"])):
        return None
    ruleset = found["ruleset"]
    ruleset.layers = stack
    ruleset.packs = [layer.pack for layer in stack if layer.pack is not None]
    for pattern, site in ruleset.patterns.items():  # as resolving the rules records them
        matching.PATTERN_SITES.setdefault(pattern, site)
    matching.known_lengths(found.get("untimed", {}))
    return ruleset


def _build(paths: tuple[str, ...] | list[str], overrides: dict[str, Any] | None,
           key: tuple[str, tuple[str, ...], str], stack: list[Any]) -> RuleSet:
    """Build with the parse and the generated code of the cache on disk, and store what a
    build compiles back (the rule set, and the code when the cache did not have it all)."""
    code_key = diskcache.fingerprint(key[0], *key[1], key[2], version=__version__)
    stored = diskcache.get("code", code_key)
    known = set()
    if isinstance(stored, list):
        for file, source, data in stored:
            try:
                codegen.COMPILED.setdefault((file, source), marshal.loads(data))
            except (EOFError, ValueError, TypeError):
                continue
            known.add((file, source))
    before = set(codegen.COMPILED)
    texts: dict[str, str] = {}

    def parsed(layers_: list[Any]) -> Parsed:
        out = cached_parse(layers_)
        texts.update(out[1])
        return out
    ruleset = build_ruleset(paths, overrides, parsed=parsed)
    used = set(codegen.COMPILED) - before
    if used - known:
        diskcache.put("code", code_key, [(file, source, marshal.dumps(code))
                                         for (file, source), code in codegen.COMPILED.items()
                                         if (file, source) in used | known])
    # stored before any run (the engine fills the concept sets), without this run's packs;
    # with the bound on each pattern's search, which is costly to work out
    untimed = {(pattern, bare): matching.untimed_length(pattern, bare)
               for pattern in ruleset.patterns for bare in (False, True)}
    diskcache.put("ruleset", _disk_key(key), {
        "ruleset": dataclasses.replace(ruleset, packs=[], layers=[]), "texts": texts,
        "untimed": untimed}, functions=True)
    return ruleset
