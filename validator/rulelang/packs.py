"""Rule packs: a folder with ``pack.yaml`` (its format: :class:`PackFile`) and rule files,
which may extend other packs.

A pack's rules are the ``*.rules`` files under its folder (not under ``cases/`` nor inside a
nested pack). The effective rule set of a pack is that of the packs it extends, in order,
then its own rules (a rule with an inherited id replaces the inherited one), then its
settings; a plain rule file or folder without ``pack.yaml`` is a layer without settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from validator.core.errors import InputError, Problem
from validator.core.files import read_text
from validator.core.findings import SEVERITIES
from validator.core.hints import did_you_mean
from validator.core.i18n import Message, _
from validator.core.resources import data_path
from validator.core.schemas import (
    StrictModel,
    Worded,
    Wording,
    errors_at,
    located_problems,
    one_of,
    text_as_list,
    worded,
)
from validator.core.sourcemap import SourceMap
from validator.formats.yaml_json import load_yaml
from validator.rulelang.params import kind_of, kind_text

PACK_FILE = "pack.yaml"
RULE_SUFFIX = ".rules"
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
    summary_rules: list[str] = field(default_factory=list)  # rules whose findings are run notes

    def problem(self, path: tuple[str | int, ...], message: str | Message) -> Problem:
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
    raise InputError.single(raw, _("no such rule file, folder or bundled pack (bundled "
                                   "packs: {packs})", packs=", ".join(bundled_packs())))


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
                raise InputError.single(str(path), _("no {suffix} files in this folder",
                                                     suffix=RULE_SUFFIX))
            out.append(Layer(None, found))
        else:
            out.append(Layer(None, [path]))
    return out


# --- reading pack.yaml ---------------------------------------------------------------------

_MAPPING = _("expected a mapping of names to values")


def _empty_when_null(kind: type) -> Any:
    """``key:`` with nothing after it (YAML's null) reads as an empty list or mapping."""
    return BeforeValidator(lambda value: kind() if value is None else value)


class Texts(StrictModel):
    """A text in both languages: ``{vi: "...", en: "..."}``, neither blank."""

    unknown_key: ClassVar[str | None] = "unknown language {key!r}; expected vi and en"

    vi: Annotated[str, StringConstraints(pattern=r"\S")]
    en: Annotated[str, StringConstraints(pattern=r"\S")]


class TagMeaning(StrictModel):
    """What a tag means, in both languages (other keys are free)."""

    model_config = ConfigDict(extra="allow")

    vi: str
    en: str


_BothLanguages = Annotated[Texts, Worded(_('expected texts in Vietnamese and English: '
                                           '{{vi: "...", en: "..."}}'),
                                         keep={"extra_forbidden"})]
_RuleId = Annotated[str, StringConstraints(pattern=rf"^{_RULE_ID.pattern}$")]


def _once(ids: Any, handler: ValidatorFunctionWrapHandler) -> list[str]:
    """Each rule id once (checked also when other items are wrong, to report all)."""
    try:
        out, failed = handler(ids), None
    except ValidationError as exc:
        out, failed = [], exc
    valid = [i if isinstance(i, str) and _RULE_ID.fullmatch(i) else None
             for i in (ids if isinstance(ids, list) else [])]
    twice = [((n,), _("{id} is listed twice", id=rule_id), rule_id)
             for n, rule_id in enumerate(valid) if rule_id is not None and rule_id in valid[:n]]
    if twice or failed:
        raise errors_at(twice, failed)
    return out


_RuleIds = Annotated[
    list[Annotated[_RuleId, Worded(_("expected a rule id like SMART-S, got {got}"))]],
    WrapValidator(_once), _empty_when_null(list),
    Worded(_("expected a list of rule ids like [SMART-S]"), depth=0)]


def pack_folder(folder: Path, ref: str) -> Path | None:
    """The pack ``ref`` names from ``folder``: a folder beside pack.yaml, else a bundled
    pack (which a path with ``/`` cannot name); ``None`` when neither exists."""
    local = folder / ref
    if local.is_dir():
        return local
    bundled = data_path("rules") / ref
    return bundled if bundled.is_dir() and "/" not in ref and "\\" not in ref else None


def _extendable(ref: str, info: ValidationInfo) -> str:
    """``ref`` names a pack and does not lead back to a pack being read (the reader passes
    its folder and the folders it is reading as context)."""
    if not info.context:
        return ref
    found = pack_folder(info.context["folder"], ref)
    if found is None:
        raise worded(_("no pack {ref}: not a folder beside {file} nor a bundled pack "
                       "(bundled packs: {packs})", ref=repr(ref), file=PACK_FILE,
                       packs=", ".join(bundled_packs())))
    if not (found / PACK_FILE).is_file():
        raise worded(_("{ref} is a folder without {file}; only packs can be extended",
                       ref=repr(ref), file=PACK_FILE))
    if found.resolve() in info.context["visiting"]:
        raise worded(_("packs extend each other in a cycle through {ref}", ref=repr(ref)))
    return ref


class PackFile(StrictModel):
    """``pack.yaml``::

        name: lao-cai                       # required: a short name (a-z, 0-9, '-', '.', '_')
        version: "1.0"                      # required (a number is read as its text)
        title: {vi: "...", en: "..."}       # required, both languages
        authority: {vi: "...", en: "..."}   # required: who issues the pack
        extends: [mpi2013]                  # bundled pack names or folders (relative to
                                            #   this file); one name may be given alone
        params: {growth_max: 12}            # new values of inherited or own parameters
        disable: [SMART-S]                  # rules that do not run
        severity: {PH-03: error}            # new severities
        overrides: [SMART-R]                # inherited rules this pack redefines on purpose
        summary: [LNK-01]                   # rules whose findings are notes of the run, shown
                                            #   in its summary rather than among findings
        tags:                               # tags this pack's rules may use (besides
          budget: {vi: "Ngân sách", en: "Budget"}   # inherited ones)

    An optional key left empty (``disable:``) is an empty list or mapping. Every problem of
    the file is reported at once, at its line and column; the params are typed, and the
    rule ids of ``disable`` and ``severity`` looked up, against the whole rule set
    (:func:`apply_settings`).
    """

    name: Annotated[str, StringConstraints(pattern=rf"^{_NAME.pattern}$"),
                    Worded(_("expected a short name in lower case (letters, digits, '-')"))]
    version: Annotated[str | int | float, Worded(_('expected a version like "1.0"'))]
    title: _BothLanguages
    authority: _BothLanguages
    extends: Annotated[
        list[Annotated[str, StringConstraints(min_length=1),
                       Worded(_("expected a pack name or folder, got {got}")),
                       AfterValidator(_extendable)]],
        BeforeValidator(text_as_list), _empty_when_null(list),
        Worded(_("expected a list of packs: bundled names or folders"), depth=0)] = []
    params: Annotated[dict[str, Any], _empty_when_null(dict), Worded(_MAPPING)] = {}
    disable: _RuleIds = []
    severity: Annotated[
        dict[Annotated[_RuleId, Worded(_("expected a rule id like PH-03, got {got}"))],
             one_of(SEVERITIES)],
        _empty_when_null(dict), Worded(_MAPPING, depth=0)] = {}
    overrides: _RuleIds = []
    summary: _RuleIds = []
    tags: Annotated[
        dict[Annotated[str, StringConstraints(pattern=rf"^{_TAG.pattern}$"),
                       Worded(_("a tag is a lower-case word (like results-chain), got "
                                "{got}"))],
             Annotated[TagMeaning, Worded(_('expected the tag\'s meaning: '
                                            '{{vi: "...", en: "..."}}'))]],
        _empty_when_null(dict), Worded(_MAPPING, depth=0)] = {}


_WORDING = Wording.of(PackFile)
_SHAPE = _("expected a mapping with name, version, title, authority (and optionally extends, "
           "params, disable, severity, overrides, summary, tags)")


def load_pack(folder: Path, _visiting: tuple[Path, ...] = ()) -> Pack:
    """Read and check ``folder/pack.yaml`` and, recursively, the packs it extends."""
    file = folder / PACK_FILE
    text = read_text(file)
    if not text.strip():
        raise InputError.single(str(file), _("the file is empty; {shape}", shape=_SHAPE))
    data, source = load_yaml(text, str(file))
    if not isinstance(data, dict):
        raise InputError([Problem(str(file), _("expected a mapping with name, version, "
                                               "title and authority"), line=1, column=1)])
    visiting = (*_visiting, folder.resolve())
    try:
        read = PackFile.model_validate(data, context={"folder": folder, "visiting": visiting})
    except ValidationError as exc:
        raise InputError(located_problems(exc, _WORDING, source)) from None
    pack = Pack(read.name, folder, file, source, version=str(read.version),
                title=read.title.model_dump(), authority=read.authority.model_dump(),
                params=read.params, disable=read.disable, overrides=read.overrides,
                severity=read.severity, summary_rules=read.summary,
                tags={tag: {"vi": doc.vi, "en": doc.en} for tag, doc in read.tags.items()})
    problems = []
    for ref in read.extends:
        parent = pack_folder(folder, ref) or folder / ref  # the model found it
        try:
            pack.extends.append(load_pack(parent, visiting))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return pack


# --- applying settings -----------------------------------------------------------------------


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
                problems.append(pack.problem(("params", name), _(
                    "unknown parameter {name}{hint}", name=repr(name),
                    hint=did_you_mean(name, set(params), 2))))
            elif kind_of(value) != kind_of(params[name].default):
                problems.append(pack.problem(("params", name), _(
                    "parameter {name} expects {kind}, got {value}", name=name,
                    kind=kind_text(params[name].default), value=repr(value))))
            else:
                values[name] = value
        for rule_id, severity in pack.severity.items():
            if rule_id not in rules:
                problems.append(pack.problem(("severity", rule_id), _no_rule(rule_id, rules)))
            else:
                rules[rule_id].severity_override = severity
        for i, rule_id in enumerate(pack.disable):
            if rule_id not in rules:
                problems.append(pack.problem(("disable", i), _no_rule(rule_id, rules)))
            else:
                disabled.add(rule_id)
        for i, rule_id in enumerate(pack.summary_rules):
            if rule_id not in rules:
                problems.append(pack.problem(("summary", i), _no_rule(rule_id, rules)))
    return disabled, problems


def _no_rule(rule_id: str, rules: dict[str, Any]) -> Message:
    return _("no rule {id} in the rule set{hint}", id=rule_id,
             hint=did_you_mean(rule_id, set(rules), 2))
