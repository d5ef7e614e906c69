"""Project configuration: ``plancheck.toml``, or ``[tool.plancheck]`` in ``pyproject.toml``,
found by walking up from the files being validated. Command-line flags win over it. The
format is :class:`ConfigFile`; :class:`Config` holds what it says, paths resolved.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, ValidationError

from validator.core.errors import InputError, Problem, format_path
from validator.core.files import MAX_PLAN_BYTES, read_text
from validator.core.findings import FAIL_ON, SEVERITIES
from validator.core.i18n import LANGS, Message, _
from validator.core.schemas import (
    StrictModel,
    Worded,
    Wording,
    one_of,
    sentences,
    text_as_list,
    worded,
)
from validator.core.sourcemap import KeyPath, SourceMap
from validator.findings.selection import glob_problem
from validator.pipeline.toml_places import toml_places
from validator.rulelang.params import ParamError

_Filled = Annotated[str, StringConstraints(min_length=1)]
_Selectors = Annotated[list[_Filled],
                       Worded(_("expected a list of rule ids, id prefixes or tags"))]
_FilePath = Annotated[_Filled | None, Worded(_("expected a file path"))]


def _bounded_glob(pattern: str) -> str:
    """A ``per-file-ignores`` glob, refused when matching it could take exponential time."""
    problem = glob_problem(pattern)
    if problem is not None:
        raise worded(problem)
    return pattern


_Glob = Annotated[str, AfterValidator(_bounded_glob)]


class ConfigFile(StrictModel):
    """The settings of ``plancheck.toml`` (or of ``[tool.plancheck]``), all optional::

        rules = ["rules/mpi2013", "rules/province"]   # paths relative to the config file
        lang = "en"                       # vi or en
        fail-on = "error"                 # error, warning, info or never
        group = false                     # one finding per entity (default: grouped)

        select = ["ALL"]                  # rule ids, id prefixes or tags (findings.selection)
        ignore = ["PH-03", "baseline"]
        waivers = "plancheck-waivers.yaml"  # paths relative to the config file
        baseline = "plancheck-baseline.json"

        [params]
        growth_max = 12                   # typed by the rule set's declarations

        [per-file-ignores]
        "drafts/**" = ["SMART"]           # path globs relative to the config file

        [severity]
        SMART-S = "info"

        [plan]                            # header fields a workbook without a plan sheet
        level = "district"                # does not say (docs/xlsx.md); --plan wins

    ``rules`` may also be one text. Each setting that is wrong is reported by its key
    (``tool.plancheck.`` before it inside pyproject.toml), all of them at once.
    """

    rules: Annotated[list[str], BeforeValidator(text_as_list),
                     Worded(_("expected a list of rule files, folders or pack names"))] = []
    lang: one_of(LANGS) | None = None
    fail_on: Annotated[one_of(FAIL_ON) | None, Field(alias="fail-on")] = None
    group: Annotated[bool | None, Worded(_("expected true or false"))] = None
    params: Annotated[dict[str, Any], Worded(_("expected a table of parameter values"))] = {}
    select: _Selectors | None = None
    ignore: _Selectors = []
    per_file_ignores: Annotated[dict[_Glob, _Selectors], Field(alias="per-file-ignores"), Worded(
        _("expected a table of path globs to lists of rule ids, id prefixes or tags"),
        depth=0)] = {}
    severity: Annotated[dict[str, one_of(SEVERITIES)], Worded(
        _("expected a table of rule ids to severities"), depth=0)] = {}
    waivers: _FilePath = None
    baseline: _FilePath = None
    plan: Annotated[dict[str, str | int], Worded(
        _("expected a table of plan header fields (kind, level, locality, period, ...)"),
        depth=0)] = {}


_WORDING = Wording.of(ConfigFile)


@dataclass
class Config:
    """The settings in force: a configuration file's, paths resolved (all optional)."""

    path: Path | None = None
    rules: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    fail_on: str | None = None
    group: bool | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    waivers: str | None = None
    baseline: str | None = None
    plan: dict[str, str | int] = field(default_factory=dict)
    #: the file's text and where its keys stand, for located messages
    source: SourceMap | None = field(default=None, repr=False, compare=False)

    @property
    def prefix(self) -> str:
        """How keys are named in messages (``tool.plancheck.`` inside pyproject.toml)."""
        return "tool.plancheck." if self.path and self.path.name == "pyproject.toml" else ""

    def problem(self, where: KeyPath, message: str | Message) -> Problem:
        """A problem with the setting at ``where`` (a key path of the settings), at the
        line and column of its key in the file, with the line shown."""
        full = (("tool", "plancheck") if self.prefix else ()) + tuple(where)
        found = (self.source.problem(full, message) if self.source is not None
                 else Problem(str(self.path), message))
        return replace(found, path=tuple(where),
                       place=(self.prefix + _key(where)).rstrip(".") or None)

    def param_error(self, error: InputError, given: Collection[str]) -> InputError:
        """``error`` at the parameter's key in this file when the value was set here and
        not by ``--param`` (the names in ``given``); any other error as it is."""
        name = error.name if isinstance(error, ParamError) else None
        if self.path is None or name is None or name not in self.params or name in given:
            return error
        return InputError([self.problem(("params", name), p.message) for p in error.problems])


def find_config(start: Path) -> Path | None:
    """The nearest plancheck.toml, or pyproject.toml with [tool.plancheck], at or above
    ``start``."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / "plancheck.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and re.search(r"^\[tool\.plancheck[\].]",
                                           project.read_text(encoding="utf-8",
                                                             errors="replace"), re.M):
            return project
    return None


def _table(path: Path) -> tuple[dict[str, Any], str]:
    """The settings' table of ``path`` (``[tool.plancheck]`` of a pyproject.toml), and
    the file's text."""
    text = read_text(path, MAX_PLAN_BYTES, _("configuration files"))  # no symlinks, capped
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        why = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InputError([Problem(str(path), _("invalid TOML: {why}", why=why), line=line,
                                  column=column)]) from None
    except RecursionError:
        raise InputError.single(str(path), _("invalid TOML: nested too deeply")) from None
    except ValueError as exc:  # an integer too long to convert (tomllib lets it through)
        raise InputError.single(str(path), _("invalid TOML: {reason}", reason=str(exc))
                                ) from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("plancheck", {}), text
    return data, text


def _fill(source: SourceMap) -> None:
    """Find the keys' positions (only when a problem is reported)."""
    source.positions.update(toml_places(source.text))


def load_config(path: Path) -> Config:
    """Read and check one configuration file (every wrong setting at once)."""
    table, text = _table(path)
    source = SourceMap(str(path), text, fill=_fill)
    try:
        settings = ConfigFile.model_validate(table)
    except ValidationError as exc:
        where_is = Config(path, source=source)
        raise InputError([where_is.problem(where, message)
                          for where, message in sentences(exc, _WORDING)]) from None
    folder = path.parent
    return Config(
        path,
        rules=[str(folder / r) if (folder / r).exists() else r for r in settings.rules],
        params=dict(settings.params), lang=settings.lang, fail_on=settings.fail_on,
        group=settings.group,
        select=settings.select, ignore=settings.ignore,
        per_file_ignores=settings.per_file_ignores, severity=settings.severity,
        waivers=_near(folder / settings.waivers) if settings.waivers else None,
        baseline=_near(folder / settings.baseline) if settings.baseline else None,
        plan=dict(settings.plan), source=source)


def _key(path: KeyPath) -> str:
    """A setting's key as messages name it: ``severity.SMART-S``, ``per-file-ignores.'a/*'``
    (a glob quoted: it has dots and stars of its own)."""
    if len(path) > 1 and path[0] == "per-file-ignores":
        rest = format_path(path[2:])
        joint = "" if not rest or rest.startswith("[") else "."
        return f"per-file-ignores.{path[1]!r}{joint}{rest}"
    return format_path(path)


def _near(path: Path) -> str:
    """``path`` relative to the working folder when it can be (reports stay portable)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def config_for(inputs: tuple[str, ...] | list[str]) -> Config:
    """The configuration that applies to ``inputs`` (none found: defaults)."""
    start = Path(inputs[0]) if inputs else Path.cwd()
    if not start.exists():
        start = Path.cwd()
    found = find_config(start)
    return load_config(found) if found else Config()
