"""JSON-LD read safely: no remote ``@context`` or ``@import`` is ever fetched, nesting is
capped like the other plan formats, and the project's own context IRI is inlined."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.i18n import Message, _
from validator.formats.rdf.iris import CONTEXT_IRI, prefixes
from validator.formats.yaml_json import MAX_DEPTH, json_problem, too_deep


def safe_jsonld(text: str, file: str) -> str:
    """The JSON-LD text with the project's context inlined, after refusing what would make
    the parser fetch anything or recurse too deep."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(file, _invalid(json_problem(exc.msg)), line=exc.lineno,
                                  column=exc.colno)]) from None
    except (RecursionError, ValueError) as exc:  # nesting, or a number too long
        reason = too_deep() if isinstance(exc, RecursionError) else str(exc)
        raise InputError.single(file, _invalid(reason)) from None
    list(_check_contexts(data, file))
    return json.dumps(_inline_our_context(data))


def _check_contexts(data: Any, file: str, depth: int = 0) -> Iterator[None]:
    """Refuse JSON-LD that would make the parser fetch a remote ``@context`` (or ``@import``
    one), or that nests deeper than the plan loaders allow."""
    if depth > MAX_DEPTH:
        raise InputError.single(file, _invalid(too_deep()))
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "@import":
                raise InputError.single(file, _(
                    "@import {value} would be fetched; plancheck never fetches remote "
                    "contexts: put the context inline", value=repr(value)))
            if key == "@context":
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if isinstance(item, str) and item != CONTEXT_IRI:
                        raise InputError.single(file, _(
                            "@context {item} is remote; plancheck never fetches remote "
                            "contexts: put the context inline", item=repr(item)))
            yield from _check_contexts(value, file, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _check_contexts(item, file, depth + 1)


def _invalid(why: str | Message) -> Message:
    return _("invalid {format}: {why}", format="JSON-LD", why=why)


def _inline_our_context(data: Any) -> Any:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key == "@context":
                items = value if isinstance(value, list) else [value]
                value = [prefixes() if item == CONTEXT_IRI else item for item in items]
            out[key] = _inline_our_context(value)
        return out
    if isinstance(data, list):
        return [_inline_our_context(item) for item in data]
    return data
