"""Read YAML and JSON into plain data plus a map from key paths to ``(line, column)``.

libyaml's parser (through PyYAML, with no implicit typing) yields events that carry their
positions; this module builds Python data from those events itself, without composing a
node tree, so that it can keep the positions, refuse duplicate keys, take mapping keys as
written (``on:`` stays the string "on", ``2026:`` the string "2026"), and cap alias
expansion and nesting depth before they cost anything (a node tree nested a few thousand
levels deep crashes libyaml's recursive composer).

Plain scalars are typed as in YAML 1.2's core schema: ``null``/``~``/empty, ``true`` and
``false``, decimal integers and floats (``.inf``, ``.nan``); everything else, dates
included, is text (the model reads dates from text). So ``no`` and ``on`` are words, not
YAML 1.1 booleans. Garbage collection is paused while a large document is turned into
objects (it makes loading a 10,000-target plan about three times faster).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import yaml

from validator.core.collector import paused_gc
from validator.core.errors import InputError, Problem, caret_excerpt
from validator.core.i18n import Message, Number, _
from validator.core.sourcemap import KeyPath, Positions, SourceMap

MAX_NODES = 2_000_000  # values a document may have, or one per two characters if more
MAX_ALIASED = 200_000  # values that aliases may add by repeating anchored ones
MAX_DEPTH = 64
_SHARED = 64  # texts up to this length are shared when they repeat (one object per text)

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
        try:
            return int(text)
        except ValueError:  # more digits than Python converts; no plan value is that long
            return text
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


_EMPTY = object()  # a stream with no document


class _Ref:
    """An alias met while an anchor was being recorded, bound to the anchor it named then."""

    __slots__ = ("events", "alias")

    def __init__(self, events: list[Any] | None, alias: yaml.Event) -> None:
        self.events, self.alias = events, alias


class _Frame:
    """An open mapping or sequence: its value, key path, the key awaiting a value, and the
    positions of its keys or items (when recorded)."""

    __slots__ = ("value", "path", "key", "places")

    def __init__(self, value: Any, path: KeyPath) -> None:
        self.value, self.path, self.key = value, path, None
        self.places: dict[Any, int] | None = None


class _Builder:
    """Plain data straight from libyaml's event stream, iteratively.

    No node tree is composed: libyaml's composer recurses in C once per level (a few
    thousand nested brackets crash the process) and its parser slows down quadratically
    with depth, so nesting is refused at ``MAX_DEPTH`` before the parser goes deeper.
    Anchored values are recorded as events and replayed where they are aliased; replayed
    values count towards ``MAX_ALIASED`` and every value towards the document's cap of
    values (billion laughs). That cap scales with the file: without aliases a value takes at
    least two characters, so a large plan (100,000 targets, 57 MB) is never refused for its
    size, only a document that aliases make larger than its text.
    """

    def __init__(self, source: SourceMap, record: bool, values: bool = True) -> None:
        self.source, self.record, self.values = source, record, values
        if record and not isinstance(source.positions, Positions):
            source.positions = Positions(source.positions)
        # one text per distinct key or short value: a large plan repeats a few dozen keys and
        # codes a million times, and the plan's model keeps the values it is given
        self.keys: dict[str, str] = {}
        self.limit = max(MAX_NODES, len(source.text) // 2)
        self.count = self.aliased = 0
        self.anchors: dict[str, list[Any]] = {}
        self.recording: list[tuple[str, list[Any], list[int]]] = []  # name, events, depth
        self.replaying: list[Iterator[Any]] = []

    def fail(self, mark: Any, path: KeyPath, message: Message) -> InputError:
        line, column = mark.line + 1, mark.column + 1
        excerpt = caret_excerpt(self.source.text, line, column) or None
        return InputError([Problem(self.source.file, message, line=line, column=column,
                                   path=path, excerpt=excerpt)])

    def _record(self, event: yaml.Event) -> None:
        """Add a parsed event to the anchors being recorded; open or close recordings."""
        opens = isinstance(event, yaml.CollectionStartEvent)
        closes = isinstance(event, yaml.CollectionEndEvent)
        for _name, events, depth in self.recording:
            events.append(_Ref(self.anchors.get(event.anchor), event)
                          if isinstance(event, yaml.AliasEvent) else event)
            depth[0] += opens - closes
        if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent) and (
                event.anchor is not None):
            self.anchors.pop(event.anchor, None)  # a redefinition; not aliasable inside itself
            if opens:
                self.recording.append((event.anchor, [event], [1]))
            else:
                self.anchors[event.anchor] = [event]
        while self.recording and self.recording[-1][2][0] == 0:
            name, events, _depth = self.recording.pop()
            self.anchors[name] = events

    def _replay(self, events: list[Any] | None, alias: yaml.Event, path: KeyPath) -> None:
        if events is None:
            open_names = {name for name, _, _ in self.recording}
            why = (_("alias *{name} refers to a value that contains it", name=alias.anchor)
                   if alias.anchor in open_names else
                   _("alias *{name} names no anchor defined before it", name=alias.anchor))
            raise self.fail(alias.start_mark, path, why)
        self.replaying.append(iter(events))

    def _next(self, loader: Any, path: KeyPath) -> Any:
        while self.replaying:
            event = next(self.replaying[-1], None)
            if event is None:
                self.replaying.pop()
            elif isinstance(event, _Ref):
                self._replay(event.events, event.alias, path)
            else:
                if isinstance(event, yaml.NodeEvent):
                    self.aliased += 1
                    if self.aliased > MAX_ALIASED:
                        raise self.fail(event.start_mark, path, _(
                            "aliases repeat more than {limit} values; refusing to expand them",
                            limit=Number(MAX_ALIASED)))
                return event
        event = loader.get_event()
        if self.recording or getattr(event, "anchor", None) is not None:
            self._record(event)
        if isinstance(event, yaml.AliasEvent):
            self._replay(self.anchors.get(event.anchor), event, path)
            return self._next(loader, path)
        return event

    def build(self, loader: Any) -> Any:
        """The single document of the stream as plain data (``_EMPTY`` for no document)."""
        stack: list[_Frame] = []
        root: list[Any] = []
        while True:
            top = stack[-1] if stack else None
            path = () if top is None else top.path
            event = self._next(loader, path)
            if isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                self._attach(stack, root, done.value)
                continue
            if isinstance(event, yaml.DocumentStartEvent) and root:
                raise self.fail(event.start_mark, (), _(
                    "expected a single document in the file, but found another document"))
            if isinstance(event, yaml.StreamEndEvent):
                return root[0] if root else _EMPTY
            if not isinstance(event, yaml.NodeEvent):
                continue  # stream and document boundaries
            if isinstance(top, _Frame) and isinstance(top.value, dict) and top.key is None:
                self._key(top, event)
                continue
            if top is None:
                where: KeyPath = ()
            elif isinstance(top.value, dict):
                where = (*path, top.key)
            else:
                where = (*path, len(top.value))
                if self.record:
                    self._places(top)[where[-1]] = Positions.pack(
                        event.start_mark.line + 1, event.start_mark.column + 1)
            self.count += 1
            if self.count > self.limit:
                raise self.fail(event.start_mark, where, _(
                    "the document has more than {limit} values, the limit for a file of "
                    "{size} characters (one value per two characters, at least {least}); "
                    "refusing to read it", limit=Number(self.limit),
                    size=Number(len(self.source.text)), least=Number(MAX_NODES)))
            if len(stack) > MAX_DEPTH:
                raise self.fail(event.start_mark, where, too_deep())
            if isinstance(event, yaml.ScalarEvent):
                value = self.scalar(event, where) if self.values else None
                if type(value) is str and len(value) <= _SHARED:
                    value = self.keys.setdefault(value, value)
                self._attach(stack, root, value)
            else:
                stack.append(_Frame({} if isinstance(event, yaml.MappingStartEvent) else [],
                                    where))

    def _key(self, frame: _Frame, event: yaml.Event) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail(event.start_mark, frame.path,
                            _("a mapping key must be a plain text"))
        key = event.value
        if key == "<<" and event.tag == "tag:yaml.org,2002:merge":
            raise self.fail(event.start_mark, frame.path,
                            _("merge keys ('<<') are not supported"))
        if key in frame.value:
            raise self.fail(event.start_mark, (*frame.path, key),
                            _("duplicate key {key}", key=repr(key)))
        key = self.keys.setdefault(key, key)
        if self.record:
            self._places(frame)[key] = Positions.pack(event.start_mark.line + 1,
                                                      event.start_mark.column + 1)
        frame.key = key

    def _places(self, frame: _Frame) -> dict[Any, int]:
        if frame.places is None:
            frame.places = self.source.positions.container(frame.path)  # type: ignore[attr-defined]
        return frame.places

    @staticmethod
    def _attach(stack: list[_Frame], root: list[Any], value: Any) -> None:
        if not stack:
            root.append(value)
        elif isinstance(stack[-1].value, dict):
            stack[-1].value[stack[-1].key] = value
            stack[-1].key = None
        else:
            stack[-1].value.append(value)

    def scalar(self, event: yaml.ScalarEvent, path: KeyPath) -> Any:
        text, tag = event.value, event.tag
        if tag is None and not event.style:  # plain, untagged
            return plain_scalar(text)
        if tag in (None, "!", _STR):
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
        raise self.fail(event.start_mark, path, _(
            "cannot read {text} as {tag}; plan files use plain YAML values (text, numbers, "
            "true/false, null)", text=repr(text), tag=tag))


def _read(text: str, file: str, source: SourceMap, record: bool, values: bool = True) -> Any:
    """Build the YAML (or JSON) ``text``, turning libyaml's errors into located problems
    (without ``values``, only the positions and the document's shape are read)."""
    loader = _Loader(text)
    try:
        return _Builder(source, record, values).build(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "nesting depth" in str(exc.problem):
            # PyYAML 6.0.4 caps flow nesting itself, and its scanner reads ahead of the events
            # counted here, so it refuses a deep flow collection first: the same refusal
            reason = too_deep()
        else:
            reason = _("invalid YAML: {why}", why=yaml_problem(exc.context, exc.problem))
        if mark is None:
            raise InputError.single(file, reason) from None
        line, column = mark.line + 1, mark.column + 1
        raise InputError([Problem(file, reason, line=line, column=column,
                                  excerpt=caret_excerpt(text, line, column) or None)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        code = "#x%04x" % ord(char)  # noqa: UP031 (an f-string here would be extracted)
        raise InputError([Problem(file, _("invalid YAML: control characters are not "
                                          "allowed ({char}, {code})", char=repr(char),
                                          code=code),
                                  line=line, column=column,
                                  excerpt=caret_excerpt(text, line, column) or None)]) from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, _("invalid YAML: {why}", why=str(exc))) from None
    finally:
        loader.dispose()


def too_deep() -> Message:
    return _("nesting deeper than {limit} levels", limit=MAX_DEPTH)


# libyaml's and json's words for the common mistakes, as plancheck says them; a problem not
# listed keeps the library's (English) words
_YAML_PROBLEMS = {
    "did not find expected '-' indicator": _(
        "an item of this list does not start with '-' (or is indented differently)"),
    "mapping values are not allowed here": _(
        "a ':' where no key can start (a value containing ': ' needs quotes)"),
    "could not find expected ':'": _("a key without its ':'"),
    "did not find expected key": _(
        "a line that is neither a key of this mapping nor indented under one"),
    "found character that cannot start any token": _(
        "a character that cannot start a value here (a tab, or '@' or '`' unquoted)"),
    "found unexpected end of stream": _("the file ends inside a quoted text"),
    "did not find expected node content": _("a value is missing here"),
    "found undefined alias": _("an alias names no anchor"),
    "found unknown escape character": _("an unknown escape sequence in a quoted text"),
    "found a tab character that violates indentation": _(
        "a tab in the indentation (YAML indents with spaces)"),
}
_JSON_PROBLEMS = {
    "Expecting ',' delimiter": _("expected a ',' between two items"),
    "Expecting ':' delimiter": _("expected a ':' after the key"),
    "Expecting value": _("expected a value"),
    "Expecting property name enclosed in double quotes": _(
        "expected a key in double quotes (no ',' after the last item)"),
    "Unterminated string starting at": _("a text is not closed by '\"'"),
    "Extra data": _("more data after the end of the document"),
    "Invalid control character at": _("a control character inside a text"),
    "Invalid \\escape": _("an invalid escape sequence in a text"),
}


def yaml_problem(context: object, problem: object) -> Message | str:
    """libyaml's account of a syntax error, in plancheck's words where it has them."""
    for known, message in _YAML_PROBLEMS.items():
        if known in str(problem or ""):
            return message
    return " ".join(str(x) for x in (context, problem) if x) or "?"


def json_problem(text: str) -> Message | str:
    """json's account of a syntax error, in plancheck's words where it has them."""
    for known, message in _JSON_PROBLEMS.items():
        if text.startswith(known):
            return message
    return text


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML ``text`` into plain data and its source map."""
    source = SourceMap(file, text)
    with paused_gc():
        data = _read(text, file, source, record=True)
    if data is _EMPTY:
        raise InputError.single(file, _("the file is empty; expected a plan/1 document"))
    return data, source


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(_("duplicate key {key}", key=repr(key)))
        out[key] = value
    return out


def _int_or_text(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts
        return text


def load_json(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse JSON ``text`` once; the positions are read from the text (JSON is YAML) only
    when a finding or an error first needs one."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_int_or_text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(file, _("invalid JSON: {why}", why=json_problem(exc.msg)),
                                  line=exc.lineno,
                                  column=exc.colno,
                                  excerpt=caret_excerpt(text, exc.lineno, exc.colno) or None)]
                         ) from None
    except (ValueError, RecursionError) as exc:
        # a duplicate key or nesting too deep for json: reading the text as YAML finds where
        _read(text, file, SourceMap(file, text), record=False)
        reason = exc.args[0] if isinstance(exc, ValueError) else too_deep()
        raise InputError([Problem(file, _("invalid JSON: {why}", why=reason))]) from None
    if _over_limits(data, max(MAX_NODES, len(text) // 2)):
        with paused_gc():  # the YAML reader refuses it at its place
            _read(text, file, SourceMap(file, text), record=False, values=False)
    return data, SourceMap(file, text, fill=_json_positions)


def _over_limits(data: Any, limit: int) -> bool:
    """Whether parsed JSON nests deeper than ``MAX_DEPTH`` or has more than ``limit``
    values (what the YAML reader refuses), by one walk of the data."""
    count = 0
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > limit:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def _json_positions(source: SourceMap) -> None:
    """Fill a JSON file's positions (:attr:`SourceMap.fill`): positions are a convenience
    for JSON, the data is json's, so a text libyaml cannot read has none."""
    try:
        with paused_gc():
            _read(source.text, source.file, source, record=True, values=False)
    except InputError:
        source.positions.clear()
