"""Input files as strict pydantic models, and pydantic's errors as plain sentences at the
key path they concern.

Every file plancheck reads as YAML, JSON or TOML (plans, rule packs, waivers, rule cases,
the configuration) is checked by a pydantic model, and :func:`sentences` words every error
the same way: ``unknown key 'extend'; did you mean 'extends'?``, ``missing required key
'reason'``, ``expected a whole number, got 'twenty'``. Where a generic sentence would say
too little, a model words the expectation itself with :class:`Worded`; each format tells
the translation the rest (which model stands at a key path, where a missing key is
reported) with a :class:`Wording`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    ValidationError,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError, core_schema

from validator.core.errors import Problem
from validator.core.hints import close_matches
from validator.core.i18n import Message, _
from validator.core.sourcemap import KeyPath, Locator

WORDED = "worded"  # the error type of every sentence a model words itself


class StrictModel(BaseModel):
    """A file format's model: no unknown keys, no silent conversion (``1`` is not a text,
    ``true`` not a number)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    # how an unknown key reads in this model ({key}), when not "unknown key 'x'; did you mean"
    unknown_key: ClassVar[str | None] = None


@dataclass(frozen=True)
class Worded:
    """``Annotated`` marker: when the value it annotates fails, say ``sentence`` at its
    place instead of pydantic's errors (``{got}`` is replaced by the value's ``repr``).

    ``depth`` limits which errors are reworded: 0 only the value's own (a text where a
    list was expected), 1 also those of its direct keys or items, and so on; deeper errors
    keep their own place and wording. Errors a model words itself, and those of the kinds
    in ``keep``, are never reworded (the innermost wording wins), but are dropped when the
    sentence is said.
    """

    sentence: str | Message
    depth: int | None = None
    keep: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep", frozenset(self.keep))  # a set may be given

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_wrap_validator_function(self._check, handler(source))

    def _rewords(self, error: Any) -> bool:
        kind = error["type"]
        return (kind not in self.keep and kind != WORDED
                and (self.depth is None or len(error["loc"]) <= self.depth))

    def _check(self, value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError as exc:
            if any(self._rewords(e) for e in exc.errors(include_url=False)):
                raise worded(self.sentence, value) from None
            raise


def worded(sentence: str | Message, value: Any = None) -> PydanticCustomError:
    """An error that reads ``sentence`` (``{got}``: the ``repr`` of ``value``); a
    :class:`Message` rides in the error's context, to be shown in the user's language."""
    message = (sentence.with_args(got=repr(value)) if isinstance(sentence, Message)
               else Message(sentence.replace("{got}", repr(value))))
    return PydanticCustomError(WORDED, "{message}", {"message": message})


def message_of(error: Any) -> Message | None:
    """The :class:`Message` an error carries (one :func:`worded` made), if any."""
    found = (error.get("ctx") or {}).get("message")
    return found if isinstance(found, Message) else None


def one_of(choices: Sequence[str]) -> Any:
    """The type of a text among ``choices``, worded ``expected one of a, b, got 'x'``."""

    def member(value: str) -> str:
        if value not in choices:
            raise ValueError("not one of the choices")
        return value

    return Annotated[str, AfterValidator(member),
                     Worded(_("expected one of {choices}, got {got}",
                              choices=", ".join(choices)))]


def text_as_list(value: Any) -> Any:
    """One text where a list of texts may be given (``extends: mpi2013``)."""
    return [value] if isinstance(value, str) else value


def errors_at(places: Iterable[tuple[KeyPath, str, Any]],
              besides: ValidationError | None = None) -> ValidationError:
    """Sentences at places inside the value being validated (``(loc, sentence, input)``;
    ``()`` is the value itself), with the errors of ``besides``, for a validator to raise:
    a check across items or keys reported together with their own errors."""
    kept = [] if besides is None else [
        {"type": PydanticCustomError(e["type"], "{message}" if message_of(e) else e["msg"],
                                     e.get("ctx")), "loc": e["loc"],
         "input": e.get("input")} for e in besides.errors(include_url=False)]
    return ValidationError.from_exception_data("plancheck", [*kept, *(
        {"type": worded(sentence, value), "loc": tuple(loc), "input": value}
        for loc, sentence, value in places)])


# --- which model stands at a key path ---------------------------------------------------

def _members(annotation: Any) -> Sequence[Any]:
    """``X`` of ``Annotated[X, ...]``, the members of ``X | Y`` (``None`` left out)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [a for m in typing.get_args(annotation) if m is not type(None)
                for a in _members(m)]
    return [annotation]


def field_info(model: type[BaseModel], key: str) -> FieldInfo | None:
    """The field a file's ``key`` fills (its alias, else its name)."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _step(annotation: Any, part: str | int) -> Any:
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            info = field_info(member, str(part))
            if info is not None:
                return info.annotation
        origin, args = typing.get_origin(member), typing.get_args(member)
        if origin in (list, tuple) and args and isinstance(part, int):
            return args[0]
        if origin is dict and len(args) == 2:
            return args[1]
    return None


def model_at(root: Any, path: KeyPath) -> type[BaseModel] | None:
    """The model whose keys are at ``path`` of a file read as ``root`` (a model, or a
    type such as ``list[Model]``), if any."""
    annotation: Any = root
    for part in path:
        annotation = _step(annotation, part)
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
    return None


def keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a model reads, in its order."""
    return [info.alias or name for name, info in model.model_fields.items()]


# --- errors as sentences ------------------------------------------------------------------

@dataclass(frozen=True)
class Wording:
    """What :func:`sentences` needs to know of one file format.

    ``model_at`` finds the model at a key path (its keys, for "did you mean"; its wording
    of unknown keys; the ``description`` of a missing field, said after it). A missing key
    is reported at the mapping that lacks it (``missing_at_parent``) or at its own path.
    ``key_segments`` keeps pydantic's ``[key]`` step in the path of an error about a
    mapping's key; ``one_per_place`` keeps only the first error about each key or item
    (the plan format has always had the steps and every error). ``special`` words errors
    that only one format knows (``None`` from it: the common wording).
    """

    model_at: Callable[[KeyPath], type[BaseModel] | None]
    missing_at_parent: bool = True
    key_segments: bool = False
    one_per_place: bool = True
    special: Callable[[Any, KeyPath], str | Message | None] = lambda error, path: None

    @classmethod
    def of(cls, root: Any, **options: Any) -> Wording:
        """The wording of a format read as ``root`` (a model, ``list[Model]``...), its
        models found by walking their fields."""
        return cls(lambda path: model_at(root, path), **options)


def shown_value(given: Any) -> str | Message:
    """A value in an error: "a mapping", "a list", else its ``repr``."""
    return _shown(given)


def _shown(given: Any) -> str | Message:
    if isinstance(given, dict):
        return _("a mapping")
    if isinstance(given, list):
        return _("a list")
    return repr(given)


def describe(error: Any, path: KeyPath, wording: Wording) -> str | Message:
    """One pydantic error as a plain sentence, in the user's language when shown."""
    kind = error["type"]
    shown = _shown(error.get("input"))
    special = wording.special(error, path)
    if special is not None:
        return special
    own_message = message_of(error)
    if own_message is not None:
        return own_message
    if kind == "missing":
        if not path:
            return _("missing required key")
        model = wording.model_at(path[:-1])
        info = field_info(model, str(path[-1])) if model is not None else None
        if info is not None and info.description:
            return _("missing required key {key}: {note}", key=repr(path[-1]),
                     note=Message(info.description))  # waivers.py words it
        return _("missing required key {key}", key=repr(path[-1]))
    if kind == "extra_forbidden":
        key = str(path[-1])
        model = wording.model_at(path[:-1])
        keys = keys_of(model) if model is not None else []
        own = getattr(model, "unknown_key", None)
        if isinstance(own, Message):
            return own.with_args(key=key)
        if own:
            return str(own).format(key=key)
        near = close_matches(key, keys)
        if near:
            return _("unknown key {key}; did you mean {near}?", key=repr(key),
                     near=repr(near[0]))
        return _("unknown key {key}; expected one of {keys}", key=repr(key),
                 keys=", ".join(keys))
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("expected a whole number, got {got}", got=shown)
    if kind in {"float_parsing", "float_type"}:
        return _("expected a number, got {got}", got=shown)
    if kind == "string_type":
        return _("expected a text, got {got}", got=shown)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return _("expected one of {choices}, got {got}", choices=expected, got=shown)
    if kind.startswith("date"):
        return _("expected a date like 2025-07-18, got {got}", got=shown)
    if kind in {"list_type", "tuple_type"}:
        return _("expected a list, got {got}", got=shown)
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("expected a mapping, got {got}", got=shown)
    return str(error["msg"]).removeprefix("Value error, ")


def sentences(exc: ValidationError, wording: Wording) -> list[tuple[KeyPath, str | Message]]:
    """Every error of ``exc`` as ``(key path, sentence)``, in pydantic's order."""
    out: list[tuple[KeyPath, str | Message]] = []
    seen: set[KeyPath] = set()
    for error in exc.errors(include_url=False):
        path = tuple(p if isinstance(p, int) else str(p) for p in error["loc"])
        if not wording.key_segments:
            path = tuple(p for p in path if p != "[key]")
        where = path[:-1] if error["type"] == "missing" and wording.missing_at_parent else path
        if wording.one_per_place:
            if path in seen:
                continue  # a mapping's key and its value both wrong: the key's error is enough
            seen.add(path)
        out.append((where, describe(error, path, wording)))
    return out


def located_problems(exc: ValidationError, wording: Wording, source: Locator) -> list[Problem]:
    """pydantic's errors as problems located in ``source``, in file order."""
    problems = [source.problem(path, message) for path, message in sentences(exc, wording)]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0, str(p.path)))
    return problems
