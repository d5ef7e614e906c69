"""What every fuzzed input must give: a result, or an InputError whose problems are located;
never another exception, a traceback in the log, or a traceback on the terminal."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from validator.core.errors import InputError

# syntax errors of these kinds always know their line
_LINED = ("invalid YAML", "invalid JSON: Expecting", "invalid JSON: Unterminated",
          "invalid JSON: Invalid", "invalid JSON: Extra data")


def assert_located(error: InputError, file: str) -> None:
    """Each problem names ``file``, says what is wrong in one line, and gives the line and
    column where a syntax error has one."""
    assert error.problems, "an InputError without problems"
    for problem in error.problems:
        assert problem.file == file, f"problem names {problem.file!r}, not {file!r}"
        message = problem.text("en")
        assert message.strip(), "an empty message"
        assert problem.text("vi").strip(), "an empty message in Vietnamese"
        assert "Traceback" not in str(problem)
        if message.startswith(_LINED) and "nesting deeper" not in message:
            assert problem.line is not None and problem.column is not None, str(problem)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def no_logged_tracebacks() -> Iterator[None]:
    """Fail if a library logs a traceback (Python prints it on stderr) while inside."""
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    noisy = [r for r in handler.records if r.exc_info]
    assert not noisy, f"{noisy[0].name} logged a traceback: {noisy[0].getMessage()[:200]}"


def assert_cli_clean(code: int, out: str, err: str, file: str) -> None:
    """The CLI exits 0, 1 or 2; exit 2 explains itself on stderr, naming the file."""
    assert code in (0, 1, 2), f"exit code {code}"
    assert "Traceback" not in out + err
    if code == 2:
        assert err.strip(), "exit 2 with nothing on stderr"
        assert file in err, err[:300]
