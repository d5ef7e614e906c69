"""click's own words (``Usage:``, ``Error: Invalid value for …``, ``Try … for help``,
``Missing argument …``) in the language of the run.

click words its usage errors and help through :mod:`gettext`: each of its modules does
``from gettext import gettext as _`` (and ``ngettext``) and looks its English texts up
when it shows them. :func:`install` puts plancheck's catalogue in their place, for the
process that runs the command line: a text click shows is then looked up in
``validator/locale`` in the language the user asked for (``--lang``, else the default), and
an English run, or a text the catalogue lacks, reads as click writes it. The texts are
listed below as msgids, so that ``tools/messages.py`` keeps their Vietnamese in the
catalogue with plancheck's own (click itself ships no catalogue).
"""

from __future__ import annotations

import gettext
import importlib
import inspect
from collections.abc import Callable, Iterator

import click

from validator.core.i18n import N_, _, translate

# click's modules that look their texts up with gettext
_MODULES = ("click.core", "click.exceptions", "click.formatting", "click.parser",
            "click.types", "click.decorators", "click.termui", "click.utils")

# click's texts a user can meet, as click 8 writes them (click formats them itself: the
# placeholders are click's, and {name!r} keeps its conversion); the msgids must stay
# exactly as click spells them
CLICK_TEXTS = (
    _("Usage:"), _("Options"), _("Commands"), _("Positional arguments"),
    _("Show this message and exit."), _("Show the version and exit."),
    _("Error: {message}"), _("Try '{command} {option}' for help."), _("Aborted!"),
    _("Invalid value: {message}"), _("Invalid value for {param_hint}: {message}"),
    _("Missing argument"), _("Missing option"), _("Missing parameter"),
    _("Missing {param_type}"), _("Missing parameter: {param_name}"), _("Missing command."),
    _("No such option {name!r}."), _("No such command {name!r}."), _("unknown error"),
    _("Could not open file {filename!r}: {message}"),
    _("Invalid start character for option ({option})"),
    _("Argument {name!r} takes {nargs} values."), _("Option {name!r} does not take a value."),
    _("Value must be an iterable."), _("env var: {var}"), _("default: {default}"),
    _("(dynamic)"), _("deprecated"), _("required"),
    _("Choose from:\n\t{choices}"), _("{value!r} is not a valid {number_type}."),
    _("{value} is not in the range {range}."),
    _("{value!r} is not a valid boolean. Recognized values: {states}"),
    _("{value!r} is not a valid UUID."), _("file"), _("directory"), _("path"),
    _("{name} {filename!r} does not exist."), _("{name} {filename!r} is a file."),
    _("{name} {filename!r} is a directory."), _("{name} {filename!r} is not readable."),
    _("{name} {filename!r} is not writable."), _("{name} {filename!r} is not executable."),
    _("Repeat for confirmation"), _("Error: The two entered values do not match."),
    _("Error: invalid input"), _("Press any key to continue..."),
    _("Do you want to continue?"), _("Confirm the action without prompting."),
    N_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2),
    N_("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.",
       2),
    N_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2),
    N_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.",
       2),
    N_("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2),
    N_("{value!r} does not match the format {format}.",
       "{value!r} does not match the formats {formats}.", 2),
    N_("{len_type} values are required, but {len_value} was given.",
       "{len_type} values are required, but {len_value} were given.", 2),
)


def install(lang: Callable[[], str]) -> None:
    """Show click's texts through the catalogue, in the language ``lang()`` names when
    click shows them (installed once per process; later calls change nothing)."""
    def text(message: str) -> str:
        return translate(message, lang())

    def ntext(singular: str, plural: str, n: int) -> str:
        return translate(singular, lang(), plural, n)

    for name in _MODULES:
        module = importlib.import_module(name)
        if getattr(module, "_", None) is gettext.gettext:
            module._ = text  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ntext  # type: ignore[attr-defined]


def name_paths(command: click.Command) -> None:
    """Word each path parameter's kind ("file", "directory") for this run: click names it
    once, when the parameter is made (at import, before the run's language is known)."""
    for param in command.params:
        kind = param.type
        if isinstance(kind, click.Path):
            word = "file" if kind.file_okay and not kind.dir_okay else (
                "directory" if kind.dir_okay and not kind.file_okay else "path")
            kind.name = click.types._(word)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        name_paths(sub)



# the usage line's placeholders, which click writes as given when the command is made, and
# the names of the value types it shows as an option's placeholder (INTEGER RANGE)
METAVARS = (_("[OPTIONS]"), _("COMMAND [ARGS]..."), _("integer"), _("integer range"),
            _("float"), _("float range"), _("text"), _("boolean"))
_ENGLISH = "plancheck.help_en"  # the attribute keeping a command's or option's English help


def help_texts(command: click.Command) -> Iterator[str]:
    """The English help of ``command`` and everything under it (its docstring, its short
    help, each option's help), as the msgids the catalogue translates them by:
    ``tools/messages.py`` adds them to the catalogue, so a new option's help lacks its
    Vietnamese until it is translated (tests/test_messages.py)."""
    for text in (_english(command, "help"), _english(command, "short_help")):
        if text:
            yield text
    for param in command.params:
        for text in (_english(param, "help"), _english(param, "metavar")):
            if text:
                yield text
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


def word_help(command: click.Command, lang: str) -> None:
    """Word the help of ``command`` and everything under it in ``lang`` for this run.

    click keeps a command's docstring and its options' help as given when they are made
    (at import, before the run's language is known) and shows them as they are, without
    a lookup of its own; so each run sets them from their English, kept aside on first
    use, through the catalogue (an English run shows them as written)."""
    for attr in ("help", "short_help"):
        english = _english(command, attr)
        if english:
            setattr(command, attr, translate(english, lang))
    command._help_option = None  # click words --help once, in the first run's language
    command.options_metavar = translate("[OPTIONS]", lang)
    if isinstance(command, click.Group):
        command.subcommand_metavar = translate("COMMAND [ARGS]...", lang)
    for param in command.params:
        for attr in ("help", "metavar"):  # an option's placeholder: NAME=VALUE
            english = _english(param, attr)
            if english:
                setattr(param, attr, translate(english, lang))
        kind = param.type
        if not isinstance(kind, click.Path | click.Choice):  # worded by name_paths; codes
            kind.name = translate(_english(kind, "name") or kind.name, lang)
    for sub in getattr(command, "commands", {}).values():
        word_help(sub, lang)


def _english(thing: object, attr: str) -> str | None:
    """The English text of ``thing``'s ``attr`` (a docstring cleaned as click shows it),
    kept on first use."""
    kept: dict[str, str | None] = thing.__dict__.setdefault(_ENGLISH, {})
    if attr not in kept:
        text = getattr(thing, attr, None)
        kept[attr] = inspect.cleandoc(text).partition("\f")[0] if text else None
    return kept[attr]
