"""Which rules an author is working on: those matched by ``--select ID|TAG`` and those
whose rule file or case file differs from git's HEAD (``--changed``), so ``rules test`` runs
the cases of the rule being written, not every inherited one."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from validator.authoring.cases import rule_case_file
from validator.core.errors import InputError
from validator.core.hints import close_matches
from validator.core.i18n import _
from validator.rulelang.resolver import suggest


def selected(ruleset: Any, selectors: tuple[str, ...]) -> set[str]:
    """The ids of the rules named by id or tag (``SMART-M``, ``smart``; comma-separated or
    repeated); an unknown selector is an input error with the nearest ids and tags."""
    ids = {r.id for r in ruleset.rules}
    tags = {t for r in ruleset.rules for t in r.tags}
    chosen: set[str] = set()
    for selector in (s.strip() for group in selectors for s in group.split(",")):
        if not selector:
            continue
        if selector in ids:
            chosen.add(selector)
        elif selector in tags:
            chosen |= {r.id for r in ruleset.rules if selector in r.tags}
        else:
            raise InputError.single("--select", _("no rule has the id or tag {name}{hint}",
                                                  name=repr(selector),
                                                  hint=suggest([repr(c) for c in close_matches(
                                                      selector, ids | tags)])))
    return chosen


def changed_files(folder: Path) -> set[Path]:
    """Files under git's work tree of ``folder`` that differ from HEAD or are new."""
    def git(*args: str) -> list[str]:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                                  text=True, check=False, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError.single("--changed", _("cannot run git: {reason}",
                                                   reason=str(exc))) from None
        if done.returncode != 0:
            raise InputError.single(str(folder), _("--changed needs a git work tree: {reason}",
                                                   reason=done.stderr.strip()))
        return [line for line in done.stdout.splitlines() if line.strip()]

    top = Path(git("rev-parse", "--show-toplevel")[0])
    names = git("diff", "--name-only", "HEAD", "--", ".") + git(
        "ls-files", "--others", "--exclude-standard", "--full-name", "--", ".")
    return {(top / name).resolve() for name in names}


def own_rules(ruleset: Any) -> list[Any]:
    """The rules of the packs and files named on the command line (not inherited ones)."""
    top = [layer for layer in ruleset.layers if layer.top]
    files = {f.resolve() for layer in top for f in layer.files}
    folders = [layer.pack.folder.resolve() for layer in top if layer.pack is not None]
    return [r for r in ruleset.rules if Path(r.file).resolve() in files
            or any(Path(r.file).resolve().is_relative_to(f) for f in folders)]


def changed_rules(ruleset: Any) -> set[str]:
    """The ids of the own rules (:func:`own_rules`) whose rule file or case file changed
    against HEAD (see :func:`changed_files`), in the git work tree of each rule file's
    folder; an input error when none of them is in one."""
    rules = own_rules(ruleset)
    changed: set[Path] = set()
    folders = sorted({Path(r.file).resolve().parent for r in rules})
    errors: list[InputError] = []
    for folder in folders:
        try:
            changed |= changed_files(folder)
        except InputError as exc:
            errors.append(exc)
    if errors and len(errors) == len(folders):
        raise errors[0]
    return {r.id for r in rules
            if Path(r.file).resolve() in changed or rule_case_file(ruleset, r).resolve()
            in changed}
