"""Read YAML and JSON into plain data plus a map from key paths to ``(line, column)``.

PyYAML composes a node tree that keeps every node's position (libyaml's C composer when it
is available, with no implicit typing); this module turns that tree into Python data
itself, so that it can keep the positions, refuse duplicate keys, take mapping keys as
written (``on:`` stays the string "on", ``2026:`` the string "2026"), and cap alias
expansion and nesting depth.

Plain scalars are typed as in YAML 1.2's core schema: ``null``/``~``/empty, ``true`` and
``false``, decimal integers and floats (``.inf``, ``.nan``); everything else, dates
included, is text (the model reads dates from text). So ``no`` and ``on`` are words, not
YAML 1.1 booleans. Garbage collection is paused while a large document is turned into
objects (it makes loading a 10,000-target plan about three times faster).
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from validator.errors import InputError, Problem, caret_excerpt

Path = tuple[str | int, ...]

MAX_NODES = 2_000_000
MAX_DEPTH = 64

_STR, _INT_TAG, _FLOAT_TAG = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
                              "tag:yaml.org,2002:float")
_BOOL_TAG, _NULL_TAG = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_DEFAULT_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: "tag:yaml.org,2002:seq",
                 yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):  # type: ignore[misc]
    """libyaml's composer with no implicit typing (scalars are typed by this module)."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL = {"null": None, "Null": None, "NULL": None, "~": None, "": None,
            "true": True, "True": True, "TRUE": True,
            "false": False, "False": False, "FALSE": False,
            ".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan,
            ".Inf": math.inf, ".INF": math.inf, "-.Inf": -math.inf, ".NaN": math.nan}


def plain_scalar(text: str) -> Any:
    """The value of an untagged plain scalar under YAML 1.2's core schema."""
    if text in _SPECIAL:
        return _SPECIAL[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


@dataclass
class SourceMap:
    """Positions of the keys and items of one file, by key path (1-based line and column)."""

    file: str
    text: str
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path) -> tuple[int, int] | None:
        """The position of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: Path, message: str) -> Problem:
        where = self.locate(path)
        if where is None:
            return Problem(self.file, message, path=tuple(path))
        line, column = where
        return Problem(self.file, message, line=line, column=column, path=tuple(path),
                       excerpt=caret_excerpt(self.text, line, column) or None)


class _Walker:
    def __init__(self, source: SourceMap, record: bool) -> None:
        self.source = source
        self.record = record
        self.count = 0

    def fail(self, node: yaml.Node, path: Path, message: str) -> InputError:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        excerpt = caret_excerpt(self.source.text, line, column) or None
        return InputError([Problem(self.source.file, message, line=line, column=column,
                                   path=path, excerpt=excerpt)])

    def value(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, path, f"the document expands to more than {MAX_NODES:,} "
                            "values (aliases nested too deep?); refusing to expand it")
        if depth > MAX_DEPTH:
            raise self.fail(node, path, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, path, "a mapping key must be a plain text")
                key = key_node.value
                if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, path, "merge keys ('<<') are not supported")
                if key in out:
                    raise self.fail(key_node, (*path, key), f"duplicate key {key!r}")
                if self.record:
                    self.source.positions[(*path, key)] = (
                        key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.value(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                if self.record:
                    self.source.positions[(*path, index)] = (
                        item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.value(item, (*path, index), depth + 1))
            return items
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: Path) -> Any:
        text, tag = node.value, node.tag
        if not node.style and tag == _STR:  # plain, untagged
            return plain_scalar(text)
        if tag == _STR:
            return text
        try:
            if tag == _INT_TAG:
                return int(text)
            if tag == _FLOAT_TAG:
                return float(text)
            if tag == _BOOL_TAG and text.lower() in ("true", "false"):
                return text.lower() == "true"
            if tag == _NULL_TAG:
                return None
        except ValueError:
            pass
        raise self.fail(node, path, f"cannot read {text!r} as {tag}; plan files use plain "
                        "YAML values (text, numbers, true/false, null)")


def _compose(text: str, file: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(x) for x in (exc.context, exc.problem) if x) or "invalid YAML"
        if mark is None:
            raise InputError.single(file, f"invalid YAML: {reason}") from None
        line, column = mark.line + 1, mark.column + 1
        raise InputError([Problem(file, f"invalid YAML: {reason}", line=line, column=column,
                                  excerpt=caret_excerpt(text, line, column) or None)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError([Problem(file, f"invalid YAML: {exc.reason} ({char!r}, "
                                  f"#x{ord(char):04x})",
                                  line=line, column=column,
                                  excerpt=caret_excerpt(text, line, column) or None)]) from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


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


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML ``text`` into plain data and its source map."""
    source = SourceMap(file, text)
    with paused_gc():
        node = _compose(text, file)
        if node is None:
            raise InputError.single(file, "the file is empty; expected a plan/1 document")
        return _Walker(source, record=True).value(node, (), 0), source


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def load_json(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse JSON ``text``; positions come from composing it as YAML (JSON is YAML)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(file, f"invalid JSON: {exc.msg}", line=exc.lineno,
                                  column=exc.colno,
                                  excerpt=caret_excerpt(text, exc.lineno, exc.colno) or None)]
                         ) from None
    except ValueError as exc:
        # a duplicate key: composing the text as YAML finds where it is
        _Walker(SourceMap(file, text), record=False).value(_compose(text, file), (), 0)
        raise InputError([Problem(file, f"invalid JSON: {exc}")]) from None
    source = SourceMap(file, text)
    try:
        node = _compose(text, file)
        if node is not None:
            _Walker(source, record=True).value(node, (), 0)
    except InputError:
        source.positions.clear()  # positions are a convenience for JSON; the data is json's
    return data, source
