"""The command line's help in the language of the run: every command's text and options'
help come from the catalogue (validator/cli/click_text.py), and an English run shows them
as written."""

from __future__ import annotations

import re

import click
import pytest
from test_reader import ENGLISH, VIETNAMESE, _words_found

from validator.cli import main

COMMANDS = [["validate"], ["report"], ["convert"], ["template"], ["explain"], ["cache"],
            ["cache", "clear"], ["rules"], ["rules", "test"], ["rules", "lint"],
            ["rules", "new"], ["rules", "list"], ["rules", "doc"], ["serve"], ["lsp"]]


def _command(path: list[str]) -> click.Command:
    command: click.Command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


def _typed(path: list[str]) -> set[str]:
    """What a user types as it is: the command's names, the codes of its options (their
    choices), and its arguments' placeholders (FILES, PLAN; named so in its help)."""
    command = _command(path)
    return {*path, *(str(choice) for param in command.params
                     if isinstance(param.type, click.Choice) for choice in param.type.choices),
            *(param.human_readable_name for param in command.params
              if isinstance(param, click.Argument))}


# the commands without a --lang of their own: their help is in the default language
NO_LANG = {("cache",), ("rules",), ("serve",)}


def _help(cli, path: list[str], lang: str) -> tuple[str, str]:
    """The help of the command at ``path`` in ``lang``: as shown, and without what a user
    types as it is."""
    code, out, err = cli(*path, *(() if tuple(path) in NO_LANG else ("--lang", lang)),
                         "--help")
    assert code == 0, err
    # the codes typed into options (a choice, --plan kind=five_year_sedp) are not words
    text = re.sub(r"\S*=\S*", " ", out)
    for code in _typed(path):
        text = re.sub(rf"(?<![\w-]){re.escape(code)}(?![\w-])", " ", text, flags=re.I)
    return out, text
    return text


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_is_vietnamese_with_lang_vi(cli, path):
    _shown, text = _help(cli, path, "vi")
    assert "Cách dùng:" in text and "[TÙY_CHỌN]" in text
    assert _words_found(text, ENGLISH) == [], text


@pytest.mark.parametrize("path", [p for p in COMMANDS if tuple(p) not in NO_LANG],
                         ids=" ".join)
def test_help_is_english_with_lang_en(cli, path):
    shown, text = _help(cli, path, "en")
    assert "Usage:" in text and "[OPTIONS]" in text
    assert _words_found(text, VIETNAMESE) == [], text
    first = (_command(path).help or "").split("\n")[0].split()
    assert " ".join(first[:4]) in " ".join(shown.split())  # as written in the code


def test_the_help_follows_the_language_of_each_run(cli):
    """A run in one language leaves the next one's help in its own (the texts are kept
    English and worded anew per run)."""
    vi = cli("validate", "--lang", "vi", "--help")[1]
    en = cli("validate", "--lang", "en", "--help")[1]
    assert "Kiểm tra các kế hoạch" in vi and "Report format." not in vi
    assert "Validate plan FILES" in en and "Report format." in en and "Kiểm tra" not in en
    assert cli("validate", "--help")[1] == vi  # Vietnamese is the default
    top = cli("--help")[1]
    assert "Lệnh:" in top and "LỆNH [ĐỐI_SỐ]..." in top
