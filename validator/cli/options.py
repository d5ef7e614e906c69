"""What the commands share: exit codes, the input-error exception, and the options several
commands take (declared once here, so they read and behave the same everywhere)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import click

from validator.core.findings import FAIL_ON
from validator.core.i18n import DEFAULT_LANG, LANGS, _

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
# report formats (validator.report.REPORTERS keys), listed here so --help stays import-light
FORMATS = ["text", "json", "sarif", "junit", "github", "markdown", "shacl", "html"]

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class InputFailure(click.ClickException):
    """An input that cannot be used: its located problems on stderr, exit code 2."""

    exit_code = EXIT_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


def error_lang() -> str:
    """The language errors are shown in: ``--lang``, else the configuration's, else the
    default (Vietnamese)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and LANG_KEY in ctx.meta:
        return str(ctx.meta[LANG_KEY])
    return _RUN_LANG.get() or DEFAULT_LANG


LANG_KEY = "plancheck.lang"  # the context's meta key: the language errors are shown in
# the language of the run, also once click has left its context (a usage error is shown
# after the command's context has closed) or before it has read --lang (a parse error)
_RUN_LANG: ContextVar[str | None] = ContextVar("plancheck_run_lang", default=None)


def use_lang(lang: str | None) -> str | None:
    """Show this command's errors in ``lang`` (when it is known)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and lang is not None:
        ctx.meta[LANG_KEY] = lang
    if lang is not None:
        _RUN_LANG.set(lang)
    return lang


@contextmanager
def run_lang(args: Sequence[str]) -> Iterator[None]:
    """One run of the command line: its language is the ``--lang`` its arguments give
    (read before click parses them, so that a parse error is worded in it too), until
    the command sets it, else the default; the next run starts afresh."""
    given = None
    for i, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in LANGS:
            given = value
    token = _RUN_LANG.set(given)
    try:
        yield
    finally:
        _RUN_LANG.reset(token)


def lang_option(default: str | None = "vi",
                help: str = "Language of titles and messages.") -> Decorator:
    """``--lang vi|en``; a default of None leaves the choice to the configuration (the
    command then calls :func:`use_lang` once it knows)."""
    return click.option("--lang", type=click.Choice(LANGS), default=default,
                        show_default=default is not None, help=help,
                        callback=lambda ctx, param, value: use_lang(value))


def errors_lang_option() -> Decorator:
    """``--lang vi|en`` for a command whose only texts are its errors and summaries (the
    command itself does not see the value)."""
    return click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG,
                        show_default=True, expose_value=False, is_eager=True,
                        help="Language of errors and summaries.",
                        callback=lambda ctx, param, value: use_lang(value))


def output_option(help: str, required: bool = False) -> Decorator:
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        required=required, help=help)


def fail_on_option() -> Decorator:
    return click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                        help="Lowest severity that makes the exit code 1  [default: warning, "
                             "or the config's].")


def rules_option(help: str = "Rule file, folder or pack (repeatable); default: the bundled "
                             "mpi2013 pack.") -> Decorator:
    return click.option("--rules", "rule_paths", multiple=True, metavar="PATH", help=help)


def params_option() -> Decorator:
    return click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                        help="Override a rule parameter (repeatable).")


def apply(fn: Callable[..., Any], *decorators: Decorator) -> Callable[..., Any]:
    """``fn`` with ``decorators`` applied as if written above it, in this order."""
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def parse_params(values: Iterable[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a mapping (values are typed by the rule set)."""
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(_("{item} is not NAME=VALUE", item=repr(item)).render(
                error_lang()), param_hint="--param")
        params[name.strip()] = value.strip()
    return params


def plan_option() -> Decorator:
    return click.option("--plan", "plan_fields", multiple=True, metavar="FIELD=VALUE",
                        help="A plan header field a workbook or document does not say, e.g. "
                             "--plan kind=five_year_sedp --plan level=district (repeatable; "
                             "see docs/xlsx.md).")


def parse_plan(values: Iterable[str], configured: dict[str, Any] | None = None,
               config: Any = None) -> dict[str, Any]:
    """``--plan FIELD=VALUE`` options over the configuration's ``[plan]`` table (of
    ``config``, a :class:`validator.pipeline.config.Config`); an unknown field is refused
    by name, at its key in the configuration."""
    if not configured and not values:  # the usual case: no need to import the workbook
        return {}  # reader (its title block imports openpyxl: 0.1 s CPU)
    from validator.core.errors import InputError
    from validator.core.hints import did_you_mean
    from validator.formats.xlsx.titleblock import GIVEN_KEYS

    known = sorted(GIVEN_KEYS)
    out: dict[str, Any] = {}
    for name, value in (configured or {}).items():
        if name not in GIVEN_KEYS:
            raise InputError([config.problem(("plan", name), _(
                "unknown plan header field{hint} (the fields: {known})",
                hint=did_you_mean(name, known), known=", ".join(known)))])
        out[name] = value
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(_("{item} is not FIELD=VALUE", item=repr(item)).render(
                error_lang()), param_hint="--plan")
        if name not in GIVEN_KEYS:
            raise click.BadParameter(_(
                "unknown plan header field {name}{hint} (the fields: {known})", name=repr(name),
                hint=did_you_mean(name, known), known=", ".join(known)).render(error_lang()),
                param_hint="--plan")
        out[name] = value.strip()
    return out


def write_output(text: str | bytes, output: Path | None) -> None:
    """A command's text on standard output, or in ``output`` (whole or not at all); a write
    that fails is a located error (exit code 2)."""
    from validator.core.output import write_file, write_stdout

    if output is None:
        write_stdout(text.decode("utf-8") if isinstance(text, bytes) else text)
    else:
        write_file(output, text)


def reads_of(plans: Iterable[str] = (), rule_paths: Iterable[str] = (),
             files: Iterable[Path | None] = (), rewritable: Iterable[tuple[Path | None, str]] = ()
             ) -> list[Any]:
    """What a run reads (:class:`validator.core.output.Reads`), for
    :func:`validator.core.output.check_outputs`: the plan files of ``plans`` (files, folders,
    globs), rule files and folders, single ``files`` (a configuration, waivers), and
    ``rewritable`` files that one output option may replace (a baseline it updates)."""
    import glob

    from validator.core.output import Reads
    from validator.load import PLAN_SUFFIXES

    reads: list[Any] = []
    for raw in plans:
        path = Path(raw)
        if path.is_dir():
            reads.append(Reads(path, tuple(PLAN_SUFFIXES)))
        elif path.exists() or path.is_symlink():
            reads.append(Reads(path))
        elif any(ch in raw for ch in "*?["):
            reads.extend(Reads(Path(p)) for p in glob.glob(raw, recursive=True))
    for raw in rule_paths:
        path = Path(raw)
        reads.append(Reads(path, (".rules", ".yaml", ".yml")) if path.is_dir() else Reads(path))
    reads.extend(Reads(path) for path in files if path is not None)
    reads.extend(Reads(path, may_rewrite=option) for path, option in rewritable
                 if path is not None)
    return reads
