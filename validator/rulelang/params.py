"""Rule parameters given from outside the rule files: ``--param NAME=VALUE`` texts, and typed
values from a configuration, a pack or a case, each read as the type of the default."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from validator.core.errors import InputError
from validator.core.i18n import Message, _
from validator.formats.yaml_json import json_problem
from validator.rulelang.builtins import is_number

MAX_NUMBER_CHARS = 40  # a parameter's number as written; int() of 100,000 digits is slow
MAX_MAGNITUDE = 10**18  # beyond, a rule's arithmetic overflows floats (found by the fuzzer)


def _shown(raw: str) -> str:
    """A value as a message quotes it: at most 60 characters of it."""
    return repr(raw if len(raw) <= 60 else raw[:57] + "...")


def parse_param_value(name: str, raw: str, default: Any) -> Any:
    """A command-line or config value, read as the type of the parameter's default."""
    text = raw.strip()
    if isinstance(default, bool):
        if text.lower() in ("true", "yes", "1"):
            return True
        if text.lower() in ("false", "no", "0"):
            return False
        raise InputError.single("--param", _("{name} expects true or false, got {raw}",
                                             name=name, raw=repr(raw)))
    if is_number(default):
        try:
            if len(text) > MAX_NUMBER_CHARS:
                raise ValueError(text)
            number = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
            if not abs(number) <= MAX_MAGNITUDE:  # NaN and inf fail it too
                raise ValueError(text)
            return number
        except ValueError:
            raise InputError.single("--param", _(
                "{name} expects a finite number of at most {limit} characters and at most "
                "10^18 in size, got {raw}", name=name, limit=MAX_NUMBER_CHARS,
                raw=_shown(raw))) from None
    if isinstance(default, list):
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError.single("--param", _("{name}: invalid list: {why}", name=name,
                                                     why=json_problem(exc.msg))) from None
            except RecursionError:
                raise InputError.single("--param", _("{name}: the list is nested too deeply",
                                                     name=name)) from None
            if not isinstance(value, list):
                raise InputError.single("--param", _("{name} expects a list", name=name))
            return value
        return [item.strip() for item in text.split(",") if item.strip()]
    return raw


def check_param_type(name: str, value: Any, default: Any) -> Any:
    """A typed value (from a config file or a case) must match its default's type."""
    if is_number(value) and not abs(value) <= MAX_MAGNITUDE:  # NaN and inf fail it too
        raise InputError.single("params", _("parameter {name} expects a finite number of at "
                                            "most 10^18 in size, got {value}", name=name,
                                            value=_shown(repr(value))))
    if kind_of(value) != kind_of(default):
        raise InputError.single("params", _("parameter {name} expects {kind}, got {value}",
                                            name=name, kind=kind_text(default),
                                            value=repr(value)))
    return value


def kind_of(value: Any) -> str:
    """What a parameter's value is: ``bool``, ``number``, ``list`` or ``text``."""
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    return "list" if isinstance(value, list) else "text"


def kind_text(value: Any) -> Message:
    """What a parameter expects, as a message says it ("a number")."""
    return {"bool": _("true or false"), "number": _("a number"), "list": _("a list")}.get(
        kind_of(value)) or _("a text")


@dataclass
class ParamError(InputError):
    """A parameter's value refused, or an unknown parameter given: ``name`` says which, so
    a caller that knows where the value came from (a configuration file's ``[params]``) can
    point at it there."""

    name: str = ""
