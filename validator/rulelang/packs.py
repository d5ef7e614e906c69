"""Rule packs: a folder with ``pack.yaml`` and rule files, which may extend other packs.

::

    name: lao-cai                       # required: a short name
    version: "1.0"                      # required
    title: {vi: "...", en: "..."}       # required, both languages
    authority: {vi: "...", en: "..."}   # required: who issues the pack
    extends: [mpi2013]                  # bundled pack names or folders (relative to this file)
    params: {growth_max: 12}            # new values of inherited or own parameters
    disable: [SMART-S]                  # rules that do not run
    severity: {PH-03: error}            # new severities
    overrides: [SMART-R]                # inherited rules this pack redefines on purpose
    tags:                               # tags this pack's rules may use (besides inherited ones)
      budget: {vi: "Ngân sách", en: "Budget"}

A pack's rules are the ``*.rules`` files under its folder (not under ``cases/`` nor inside a
nested pack). The effective rule set of a pack is that of the packs it extends, in order,
then its own rules (a rule with an inherited id replaces the inherited one), then its
settings; a plain rule file or folder without ``pack.yaml`` is a layer without settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.core.errors import InputError, Problem
from validator.core.files import read_text
from validator.core.findings import SEVERITIES
from validator.core.hints import did_you_mean
from validator.core.i18n import LANGS
from validator.core.resources import data_path
from validator.core.sourcemap import SourceMap
from validator.formats.yaml_json import load_yaml

PACK_FILE = "pack.yaml"
RULE_SUFFIX = ".rules"
KEYS = ("name", "version", "title", "authority", "extends", "params", "disable", "severity",
        "overrides", "tags")
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_RULE_ID = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*")
_TAG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(eq=False)
class Pack:
    """One pack.yaml, read and checked (its rule files are parsed by the rule set)."""

    name: str
    folder: Path
    file: Path
    source: SourceMap
    version: str = ""
    title: dict[str, str] = field(default_factory=dict)
    authority: dict[str, str] = field(default_factory=dict)
    extends: list[Pack] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    overrides: list[str] = field(default_factory=list)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)

    def problem(self, path: tuple[str | int, ...], message: str) -> Problem:
        """A problem located at a key path of this pack.yaml."""
        return self.source.problem(path, message)

    @property
    def key(self) -> Path:
        """The pack's identity: its resolved folder."""
        return self.folder.resolve()

    def chain(self) -> list[Pack]:
        """The packs this one stands on, each once, ancestors first, then itself."""
        out: list[Pack] = []
        for parent in self.extends:
            for pack in parent.chain():
                if all(p.key != pack.key for p in out):
                    out.append(pack)
        return [*out, self]

    def inherits_from(self, other: Pack) -> bool:
        """True when this pack extends ``other``, directly or not."""
        return other.key != self.key and any(p.key == other.key for p in self.chain()[:-1])

    def rule_files(self) -> list[Path]:
        return folder_rule_files(self.folder, skip_packs=True)

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "title": self.title,
                "authority": self.authority, "folder": str(self.folder),
                "extends": [p.name for p in self.extends]}


@dataclass
class Layer:
    """Rule files that enter a rule set together: one pack's own files, or plain files."""

    pack: Pack | None
    files: list[Path]
    top: bool = True  # named on the command line (False: only reached through ``extends``)

    @property
    def name(self) -> str:
        return self.pack.name if self.pack else ""


def folder_rule_files(folder: Path, skip_packs: bool = False) -> list[Path]:
    """The ``*.rules`` files under ``folder``, outside ``cases/`` (and nested packs)."""
    out = []
    for path in sorted(folder.rglob("*" + RULE_SUFFIX)):
        parts = path.relative_to(folder).parts
        if "cases" in parts:
            continue
        if skip_packs and any((folder.joinpath(*parts[:i]) / PACK_FILE).is_file()
                              for i in range(1, len(parts))):
            continue
        out.append(path)
    return out


def bundled_packs() -> list[str]:
    return sorted(p.name for p in data_path("rules").iterdir() if p.is_dir())


def locate(raw: str) -> Path:
    """A rule file, folder or bundled pack name as a path (InputError when none)."""
    path = Path(raw)
    if path.exists():
        return path
    bundled = data_path("rules") / raw
    if bundled.is_dir() and "/" not in raw:
        return bundled
    raise InputError.single(raw, "no such rule file, folder or bundled pack "
                            f"(bundled packs: {', '.join(bundled_packs())})")


def is_pack(path: Path) -> bool:
    return path.is_dir() and (path / PACK_FILE).is_file()


def layers(paths: tuple[str, ...] | list[str]) -> list[Layer]:
    """The layers of a rule set: each pack's chain (ancestors first), or plain files."""
    out: list[Layer] = []
    seen: dict[Path, Layer] = {}
    for raw in paths:
        path = locate(raw)
        if is_pack(path):
            for pack in load_pack(path).chain():
                if pack.key in seen:
                    seen[pack.key].top = seen[pack.key].top or pack.key == path.resolve()
                    continue
                layer = Layer(pack, pack.rule_files(), top=pack.key == path.resolve())
                seen[pack.key] = layer
                out.append(layer)
        elif path.is_dir():
            found = folder_rule_files(path)
            if not found:
                raise InputError.single(str(path), f"no {RULE_SUFFIX} files in this folder")
            out.append(Layer(None, found))
        else:
            out.append(Layer(None, [path]))
    return out


# --- reading pack.yaml ---------------------------------------------------------------------

def load_pack(folder: Path, _visiting: tuple[Path, ...] = ()) -> Pack:
    """Read and check ``folder/pack.yaml`` and, recursively, the packs it extends."""
    file = folder / PACK_FILE
    text = read_text(file)
    if not text.strip():
        raise InputError.single(str(file), "the file is empty; expected a mapping with name, "
                                "version, title, authority (and optionally extends, params, "
                                "disable, severity, overrides, tags)")
    data, source = load_yaml(text, str(file))
    return _Reader(folder, file, source).read(data, (*_visiting, folder.resolve()))


class _Reader:
    def __init__(self, folder: Path, file: Path, source: SourceMap) -> None:
        self.folder, self.file, self.source = folder, file, source
        self.problems: list[Problem] = []

    def bad(self, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(self.source.problem(path, message))

    def read(self, data: Any, visiting: tuple[Path, ...]) -> Pack:
        if not isinstance(data, dict):
            raise InputError([Problem(str(self.file), "expected a mapping with name, version, "
                                      "title and authority", line=1, column=1)])
        for key in data:
            if key not in KEYS:
                hint = did_you_mean(key, KEYS)
                self.bad((key,), f"unknown key {key!r}{hint} (known: {', '.join(KEYS)})")
        for key in ("name", "version", "title", "authority"):
            if key not in data:
                self.bad((), f"missing required key {key!r}")
        name = data.get("name")
        if "name" in data and not (isinstance(name, str) and _NAME.fullmatch(name)):
            self.bad(("name",), "expected a short name in lower case (letters, digits, '-')")
        version = data.get("version")
        if "version" in data and (isinstance(version, bool) or not isinstance(
                version, str | int | float)):
            self.bad(("version",), "expected a version like \"1.0\"")
        pack = Pack(str(name or self.folder.name), self.folder, self.file, self.source,
                    version=str(version if version is not None else ""),
                    title=self.texts(data, "title"), authority=self.texts(data, "authority"),
                    params=self.mapping(data, "params"),
                    disable=self.ids(data, "disable"), overrides=self.ids(data, "overrides"),
                    severity=self.severities(data), tags=self.tags(data))
        pack.extends = self.extends(data, visiting)
        if self.problems:
            raise InputError(self.problems)
        return pack

    def texts(self, data: dict[str, Any], key: str) -> dict[str, str]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
                isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGS):
            self.bad((key,), 'expected texts in Vietnamese and English: {vi: "...", en: "..."}')
            return {}
        extra = sorted(set(value) - {"vi", "en"})
        if extra:
            self.bad((key, extra[0]), f"unknown language {extra[0]!r}; expected vi and en")
        return {"vi": value["vi"], "en": value["en"]}

    def mapping(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad((key,), "expected a mapping of names to values")
            return {}
        return dict(value)

    def ids(self, data: dict[str, Any], key: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad((key,), "expected a list of rule ids like [SMART-S]")
            return []
        out = []
        for i, item in enumerate(value):
            if not (isinstance(item, str) and _RULE_ID.fullmatch(item)):
                self.bad((key, i), f"expected a rule id like SMART-S, got {item!r}")
            elif item in out:
                self.bad((key, i), f"{item} is listed twice")
            else:
                out.append(item)
        return out

    def severities(self, data: dict[str, Any]) -> dict[str, str]:
        out = {}
        for rule_id, value in self.mapping(data, "severity").items():
            if not _RULE_ID.fullmatch(rule_id):
                self.bad(("severity", rule_id), f"expected a rule id like PH-03, got {rule_id!r}")
            elif value not in SEVERITIES:
                self.bad(("severity", rule_id), f"expected one of {', '.join(SEVERITIES)}, "
                                                f"got {value!r}")
            else:
                out[rule_id] = value
        return out

    def tags(self, data: dict[str, Any]) -> dict[str, dict[str, str]]:
        out = {}
        for tag, doc in self.mapping(data, "tags").items():
            if not _TAG.fullmatch(tag):
                self.bad(("tags", tag), f"a tag is a lower-case word (like results-chain), "
                                        f"got {tag!r}")
                continue
            if not isinstance(doc, dict) or not all(
                    isinstance(doc.get(lang), str) for lang in LANGS):
                self.bad(("tags", tag), 'expected the tag\'s meaning: {vi: "...", en: "..."}')
                continue
            out[tag] = {"vi": doc["vi"], "en": doc["en"]}
        return out

    def extends(self, data: dict[str, Any], visiting: tuple[Path, ...]) -> list[Pack]:
        value = data.get("extends")
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.bad(("extends",), "expected a list of packs: bundled names or folders")
            return []
        out = []
        for i, item in enumerate(value):
            where = ("extends", i)
            if not isinstance(item, str) or not item:
                self.bad(where, f"expected a pack name or folder, got {item!r}")
                continue
            local = self.folder / item
            folder = local if local.is_dir() else data_path("rules") / item
            if not folder.is_dir() or (folder != local and ("/" in item or "\\" in item)):
                self.bad(where, f"no pack {item!r}: not a folder beside {PACK_FILE} nor a "
                                f"bundled pack (bundled packs: {', '.join(bundled_packs())})")
                continue
            if not (folder / PACK_FILE).is_file():
                self.bad(where, f"{item!r} is a folder without {PACK_FILE}; only packs can be "
                                "extended")
                continue
            if folder.resolve() in visiting:
                self.bad(where, f"packs extend each other in a cycle through {item!r}")
                continue
            try:
                out.append(load_pack(folder, visiting))
            except InputError as exc:
                self.problems.extend(exc.problems)
        return out


# --- applying settings -----------------------------------------------------------------------


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "a text"


def apply_settings(packs: list[Pack], rules: dict[str, Any], params: dict[str, Any],
                   values: dict[str, Any]) -> tuple[set[str], list[Problem]]:
    """Apply each pack's params, severities and disabled rules, ancestors first.

    ``rules`` maps ids to :class:`~validator.ruleset.Rule` (severities are set on them),
    ``params`` names the declared parameters, ``values`` holds their values (updated).
    Returns the disabled rule ids and the problems found, located in pack.yaml.
    """
    disabled: set[str] = set()
    problems: list[Problem] = []
    for pack in packs:
        for name, value in pack.params.items():
            if name not in params:
                problems.append(pack.problem(("params", name), f"unknown parameter {name!r}"
                                             f"{did_you_mean(name, set(params), 2)}"))
            elif _kind(value) != _kind(params[name].default):
                problems.append(pack.problem(("params", name), f"parameter {name} expects "
                                             f"{_kind(params[name].default)}, got {value!r}"))
            else:
                values[name] = value
        for rule_id, severity in pack.severity.items():
            if rule_id not in rules:
                problems.append(pack.problem(("severity", rule_id), f"no rule {rule_id} in the "
                                             f"rule set{did_you_mean(rule_id, set(rules), 2)}"))
            else:
                rules[rule_id].severity_override = severity
        for i, rule_id in enumerate(pack.disable):
            if rule_id not in rules:
                problems.append(pack.problem(("disable", i), f"no rule {rule_id} in the rule "
                                             f"set{did_you_mean(rule_id, set(rules), 2)}"))
            else:
                disabled.add(rule_id)
    return disabled, problems
