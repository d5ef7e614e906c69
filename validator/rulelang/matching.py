"""How rules compare texts: whole-word lists, and rule files' regular expressions.

Texts are compared folded (:func:`~validator.core.text.fold`); a text written without
diacritics is compared with the bare forms of the words
(:func:`~validator.core.text.strip_marks`). ``contains_any`` matches a list of
words or phrases as whole words (:class:`WordList`); ``matches`` and ``count_matches`` use a
rule file's regular expression, checked when the rules are resolved (:func:`pattern_problem`)
and searched within a time limit (:func:`search_all`).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
import warnings
from collections.abc import Iterable
from typing import Any

import regex

from validator.core.errors import InputError, Problem
from validator.core.i18n import Message, Number, _
from validator.core.text import LOOKUP_CACHE, fold, strip_marks


@functools.lru_cache(maxsize=LOOKUP_CACHE)
def fold_info(text: str) -> tuple[str, bool]:
    """A text folded for matching, and whether it is written without diacritics."""
    folded = fold(text)
    return folded, strip_marks(folded) == folded


# --- whole words ---------------------------------------------------------------------------

_WORD_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


@functools.lru_cache(maxsize=LOOKUP_CACHE)
def word_runs(text: str) -> tuple[str, ...]:
    """The runs of word characters of a (folded) text (interned: the same words recur in
    every text, and the cache holds as many texts as a plan has)."""
    return tuple(map(sys.intern, _WORD_RUN.findall(text)))


def whole_words_source(forms: Iterable[str]) -> str | None:
    """The source of one regular expression matching any of these forms as whole words: not
    preceded and not followed by a word character."""
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    if not ordered:
        return None
    return r"(?<!\w)(?:" + "|".join(re.escape(f) for f in ordered) + r")(?!\w)"


def whole_words_pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    """:func:`whole_words_source`, compiled."""
    source = whole_words_source(forms)
    return None if source is None else re.compile(source)


class WordList:
    """Words or phrases (already folded, bare or not) found in texts as whole words.

    The words are one regular expression (:func:`whole_words_source`), and most texts need
    not be searched: a form that starts with a word character can only be found where a run
    of word characters starts, and that run is then the form's own first run. A text none
    of whose runs is the first run of a form is answered by one set operation (forms that
    start with another character, like ``%``, are always searched for).

    The expression is compiled when a text first gets past that screen: a rule set read
    from the cache on disk compiles only the lists its plans need.
    """

    def __init__(self, forms: Iterable[str]) -> None:
        forms = {f for f in forms if f}
        firsts = [_WORD_RUN.match(form) for form in forms]
        self.firsts = frozenset(first.group() for first in firsts if first)
        self.always = not all(firsts)
        self.source = whole_words_source(forms)
        self._pattern: re.Pattern[str] | None = None

    def found_in(self, text: str) -> bool:
        if self.source is None or not (
                self.always or not self.firsts.isdisjoint(word_runs(text))):
            return False
        pattern = self._pattern
        if pattern is None:
            pattern = self._pattern = re.compile(self.source)
        return pattern.search(text) is not None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pattern": None}  # the source is enough


@functools.lru_cache(maxsize=1024)
def word_list(words: tuple[str, ...], bare: bool) -> WordList:
    """The words, folded (and stripped of diacritics when ``bare``), as a :class:`WordList`."""
    return WordList(strip_marks(fold(w)) if bare else fold(w) for w in words)


# --- regular expressions from rule files ---------------------------------------------------
#
# A rule file's pattern is a constant (a text or a parameter) checked when the rules are
# resolved: refused there with its position if it is invalid, uses backreferences, or nests
# repetition so that it can backtrack exponentially (``(a+)+``, ``(a|ab)*``). Matching uses
# the ``regex`` module, whose matcher avoids most backtracking blow-ups, with a time limit
# per search as the last resort against what a static check cannot see (a long text).
# The time limit costs about 2 µs a search, four times a short search itself, so a search
# goes without it when a bound on its work (:func:`untimed_length`) shows it cannot be slow.

MATCH_TIMEOUT = 0.5  # seconds per search
PATTERN_SITES: dict[str, Problem] = {}  # pattern -> where the rules use it (for timeouts)
_C = re._constants  # type: ignore[attr-defined]
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT)


def _class_chars(items: Any) -> set[str] | None:
    """The characters of a ``[...]`` class (lower case), or None for categories, negation
    or wide ranges."""
    chars: set[str] = set()
    for kind, arg in items:
        if kind == _C.LITERAL:
            chars.add(chr(arg).lower())
        elif kind == _C.RANGE and arg[1] - arg[0] < 256:
            chars.update(chr(c).lower() for c in range(arg[0], arg[1] + 1))
        else:
            return None
    return chars


def _first_chars(items: Any) -> set[str] | None:
    """The characters a sequence can start with, or None when it could start with almost
    anything or be empty."""
    for op, av in items:
        if op == _C.AT:
            continue
        if op == _C.LITERAL:
            return {chr(av).lower()}
        if op == _C.IN:
            return _class_chars(av)
        if op == _C.SUBPATTERN:
            return _first_chars(av[3])
        if op in _REPEATS and av[0] > 0:
            return _first_chars(av[2])
        return None
    return None


def _chars(items: Any) -> set[str] | None:
    """Every character a sequence can match, or None when that is almost any."""
    out: set[str] = set()
    for op, av in items:
        if op == _C.AT:
            continue
        if op == _C.LITERAL:
            found: set[str] | None = {chr(av).lower()}
        elif op == _C.IN:
            found = _class_chars(av)
        elif op == _C.SUBPATTERN:
            found = _chars(av[3])
        elif op in _REPEATS:
            found = _chars(av[2])
        elif op == _C.BRANCH:
            parts = [_chars(branch) for branch in av[1]]
            found = None if None in parts else set().union(*parts)  # type: ignore[arg-type]
        else:
            found = None
        if found is None:
            return None
        out |= found
    return out


def _risk(items: Any, many: bool, endless: bool, first: set[str] | None) -> Message | None:
    """Why a parsed pattern can backtrack exponentially, or None. ``many``/``endless``: an
    enclosing repetition repeats more than once / without bound; ``first``: what its body
    can start with (a repetition inside it that can match those characters can split the
    same text in exponentially many ways)."""
    for op, av in items:
        if op in (_C.GROUPREF, _C.GROUPREF_EXISTS):
            return _("backreferences are not supported")
        if op in _REPEATS:
            inner_many, inner_endless = av[1] > 1, av[1] == _C.MAXREPEAT
            if (many and inner_endless) or (endless and inner_many):
                chars = _chars(av[2])
                if first is None or chars is None or first & chars:
                    return _("a repetition inside a repetition that can match the same text "
                             "(like (a+)+) can take exponential time")
            if inner_many:
                found = _risk(av[2], True, endless or inner_endless, _first_chars(av[2]))
            else:
                found = _risk(av[2], many, endless, first)
        elif op == _C.SUBPATTERN:
            found = _risk(av[3], many, endless, first)
        elif op == _C.BRANCH:
            if endless:
                seen: set[str] = set()
                for branch in av[1]:
                    starts = _first_chars(branch)
                    if starts is None or starts & seen:
                        return _("repeated alternatives that can start alike (like (a|ab)*) "
                                 "can take exponential time; use a character class or make "
                                 "them start differently")
                    seen |= starts
            found = next((r for b in av[1] if (r := _risk(b, many, endless, first))), None)
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            found = _risk(av[1], many, endless, first)
        else:  # literals, classes, anchors; atomic groups and possessive repeats never
            found = None  # backtrack into themselves
        if found:
            return found
    return None


_QUANTIFIER = re.compile(r"\{(?:\d+(?:,\d*)?|,\d+)\}")


def _dialect_problem(pattern: str) -> str | Message | None:
    """Why ``pattern`` may mean something else to the ``regex`` module, which runs it, than
    to ``re``'s parser, which the checks and bounds read (None: it means the same). A ``{``
    that ``re`` reads as a literal is fuzzy matching to ``regex`` (``(?:ab){e<=12}``), whose
    cost no check here bounds; ``[[``, ``&&``, ``--``, ``||`` and ``~~`` inside a class are
    nested sets and set operations (``re`` warns of them)."""
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            i += 1
            if pattern.startswith("^", i):
                i += 1
            if pattern.startswith("]", i):  # a leading ] is a literal
                i += 1
            continue
        elif char == "{" and not _QUANTIFIER.match(pattern, i):
            return _("a brace that is not a repetition like {counted} must be escaped as "
                     "{escaped} (the regex module would read {fuzzy} as fuzzy matching, which "
                     "has no time bound)", counted="{2}, {1,3}", escaped="\\{",
                     fuzzy="{e<=1}")
        i += 1
    return None


def pattern_problem(pattern: str) -> str | Message | None:
    """Why a rule file's regular expression is refused, or None when it is accepted."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)  # a nested set or set operation
            parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]
        regex.compile(pattern, regex.VERSION0)
    except FutureWarning as exc:
        return _("the regex module reads this class differently ({reason}); escape [ & - | ~ "
                 "inside [...]", reason=str(exc))
    except (re.error, regex.error, OverflowError, RecursionError) as exc:
        return _("invalid regular expression: {reason}", reason=str(exc))
    return _dialect_problem(pattern) or _risk(list(parsed), False, False, None)


_ESCAPE = re.compile(r"\\.", re.DOTALL)


def _fold_pattern(pattern: str, bare: bool) -> str:
    """A pattern folded like the texts it is matched against; escapes (\\S, \\B) are kept."""
    def piece(text: str) -> str:
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold())
        return strip_marks(text) if bare else text
    out, last = [], 0
    for escape in _ESCAPE.finditer(pattern):
        out += [piece(pattern[last:escape.start()]), escape.group()]
        last = escape.end()
    return "".join([*out, piece(pattern[last:])])


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str, bare: bool = False) -> Any:
    return regex.compile(_fold_pattern(pattern, bare), regex.IGNORECASE | regex.VERSION0)


STEP_BUDGET = 10**6  # the most steps an untimed search may take, by the bound below
UNTIMED_MAX = 1 << 14  # longer texts are always searched with the time limit
                       # (findall alone may return a match per character)
_CAP = 10**15


def _times(av: Any, n: int) -> int:
    """How many times a repetition can repeat on a text of ``n`` characters (an iteration
    that matches nothing ends it)."""
    return n + 1 if av[1] == _C.MAXREPEAT else min(av[1], n + 1)


def _paths(items: Any, n: int) -> int:
    """An upper bound on the ways a backtracking matcher can try to match ``items`` from
    one position of a text of ``n`` characters (at most ``_CAP``): a sequence multiplies
    its parts' ways, alternatives add theirs, and a repetition that can repeat up to ``r``
    times adds ``w**i`` for each count ``i <= r`` it can stop at, ``w`` being its body's
    ways; a lookaround multiplies the ways of each visit."""
    total = 1
    for op, av in items:
        if op in (_C.LITERAL, _C.NOT_LITERAL, _C.ANY, _C.IN, _C.AT, _C.CATEGORY, _C.FAILURE):
            ways = 1
        elif op in (*_REPEATS, _C.POSSESSIVE_REPEAT):
            inner = _paths(av[2], n)
            ways, power = 0, 1
            for _ in range(_times(av, n) + 1):
                ways += power
                power *= inner
                if ways >= _CAP:
                    return _CAP
        elif op == _C.SUBPATTERN:
            ways = _paths(av[3], n)
        elif op == _C.ATOMIC_GROUP:
            ways = _paths(av, n)
        elif op == _C.BRANCH:
            ways = sum(_paths(branch, n) for branch in av[1])
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            ways = _paths(av[1], n)
        else:  # anything else is not bounded here
            return _CAP
        total = min(total * ways, _CAP)
    return total


def _visits(items: Any, n: int) -> int:
    """An upper bound on the nodes one way of matching ``items`` visits (see :func:`_paths`;
    only the operations it bounds reach here)."""
    total = 0
    for op, av in items:
        if op in (*_REPEATS, _C.POSSESSIVE_REPEAT):
            total += 1 + _times(av, n) * _visits(av[2], n)
        elif op == _C.SUBPATTERN:
            total += 1 + _visits(av[3], n)
        elif op == _C.ATOMIC_GROUP:
            total += 1 + _visits(av, n)
        elif op == _C.BRANCH:
            total += 1 + max(_visits(branch, n) for branch in av[1])
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            total += 1 + _visits(av[1], n)
        else:
            total += 1
    return total


_UNTIMED: dict[tuple[str, bool], int] = {}  # (pattern, bare) -> untimed_length


def untimed_length(pattern: str, bare: bool = False) -> int:
    """The longest text on which a search with this pattern goes without a time limit (-1:
    none), computed once per process (:func:`_untimed_length`), or known beforehand
    (:func:`known_lengths`: a compiled rule set carries its patterns')."""
    found = _UNTIMED.get((pattern, bare))
    if found is None:
        if len(_UNTIMED) >= 1024:
            _UNTIMED.clear()
        found = _UNTIMED[(pattern, bare)] = _untimed_length(pattern, bare)
    return found


def known_lengths(lengths: dict[tuple[str, bool], int]) -> None:
    """Take :func:`untimed_length` of these patterns as given (from the cache on disk)."""
    for key, length in lengths.items():
        _UNTIMED.setdefault(key, length)


def _untimed_length(pattern: str, bare: bool) -> int:
    """The longest text on which a search with this pattern goes without a time limit (-1:
    none). A search tries at most n + 1 start positions (one for a pattern anchored at the
    start), each way of matching there (:func:`_paths`), each way visiting a bounded number
    of nodes (:func:`_visits`); the text is short enough while that product stays within
    :data:`STEP_BUDGET`."""
    folded = _fold_pattern(pattern, bare)
    if pattern_problem(pattern) is not None or _dialect_problem(folded) is not None:
        return -1  # never unchecked: such a pattern is always searched with the time limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)
            tree = re._parser.parse(folded)  # type: ignore[attr-defined]
    except (re.error, OverflowError, RecursionError, FutureWarning):
        return -1
    parsed = list(tree)
    anchored = bool(parsed) and parsed[0][0] == _C.AT and (
        parsed[0][1] == _C.AT_BEGINNING_STRING
        or (parsed[0][1] == _C.AT_BEGINNING and not tree.state.flags & re.MULTILINE))

    def steps(n: int) -> int:  # an anchored search still looks at each start once
        ways = _paths(parsed, n)
        return _CAP if ways >= _CAP else (
            (1 if anchored else n + 1) * ways * _visits(parsed, n) + n + 1)
    if steps(0) > STEP_BUDGET:
        return -1
    low, high = 0, UNTIMED_MAX + 1  # the largest n whose steps fit is in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if steps(middle) <= STEP_BUDGET else (low, middle)
    return low


def search_all(pattern: str, bare: bool, text: str, find: str) -> Any:
    """``search`` or ``findall`` of a rule file's pattern, within :data:`MATCH_TIMEOUT`."""
    compiled = compile_pattern(pattern, bare)
    if len(text) <= untimed_length(pattern, bare):
        return getattr(compiled, find)(text)
    try:
        return getattr(compiled, find)(text, timeout=MATCH_TIMEOUT)
    except TimeoutError:
        site = PATTERN_SITES.get(pattern) or Problem("<rules>", "")
        raise InputError([Problem(
            site.file, _("the regular expression {pattern} took more than {seconds} s on a "
                         "text of {n} characters; simplify the pattern", pattern=repr(pattern),
                         seconds=MATCH_TIMEOUT, n=Number(len(text))),
            line=site.line, column=site.column, excerpt=site.excerpt)]) from None
