"""How rules compare texts: whole-word lists and the time bounds of rule files' patterns."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.core import text as folding
from validator.core.errors import InputError
from validator.rulelang import matching as text
from validator.rulelang.builtins import BUILTINS
from validator.rulelang.matching import (
    MATCH_TIMEOUT,
    WordList,
    pattern_problem,
    search_all,
    untimed_length,
    whole_words_pattern,
)

contains_any = BUILTINS["contains_any"].fn

# --- whole words ---------------------------------------------------------------------------

PIECES = ["a", "b", "đ", "ế", "1", "_", " ", "%", "-", "(", ".", "ab", "ba"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join),
                min_size=1, max_size=5),
       st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_a_word_list_finds_what_its_whole_words_pattern_finds(forms: list[str],
                                                              sample: str) -> None:
    """The run index only skips texts the pattern cannot match: it never changes an answer."""
    pattern = whole_words_pattern(forms)
    expected = pattern is not None and pattern.search(sample) is not None
    assert WordList(forms).found_in(sample) is expected
    # and the same with a form planted in the text, where the answer is often yes
    planted = f"{sample} {forms[0]} {sample}"
    expected = pattern is not None and pattern.search(planted) is not None
    assert WordList(forms).found_in(planted) is expected


@pytest.mark.parametrize("value,words,expected", [
    ("Tỷ lệ hộ nghèo", ["tỷ lệ"], True),
    ("Tỷ lệ hộ nghèo", ["hộ"], True),
    ("Số hội viên", ["hộ"], False),            # a word inside a longer word is not found
    ("Ty le ho ngheo", ["tỷ lệ"], True),       # a text without diacritics, compared bare
    ("Tý lẹ hộ nghèo", ["tỷ lệ"], False),      # a text with diacritics is compared with them
    ("Đơn vị: % so với 2020", ["%"], True),    # a form that does not start with a letter
    ("Giảm 5%", ["%"], False),                 # ... is a whole word too: not after a digit
    ("Giảm 5 phần trăm", ["%"], False),
    ("share of GRDP", ["GRDP", "GDP"], True),
    ("GRDPs", ["GRDP"], False),
    ("", ["a"], False),
    (None, ["a"], None),
])
def test_contains_any_matches_whole_words(value: object, words: list[str],
                                          expected: bool | None) -> None:
    assert contains_any(value, words) is expected


# --- the time bound of rule files' patterns ---------------------------------------------------

def test_linear_patterns_go_untimed_on_long_texts_and_nested_ones_only_on_short_texts() -> None:
    assert untimed_length("[0-9]") == text.UNTIMED_MAX
    assert untimed_length("^(tổng số|số|number of)\\b") == text.UNTIMED_MAX  # one start
    assert 50 <= untimed_length("a*b") < 1_000
    assert untimed_length("a*a*a*a*a*b") < 20
    assert untimed_length("(a?){25}a{25}") < 20


ATOMS = st.sampled_from(["a", "b", ".", "[ab]", "\\s", " ", "a?", "\\b"])


def _repeat(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(inner, st.sampled_from(["*", "+", "?", "{1,3}", "{0,9}", "*?"])).map(
        lambda p: f"(?:{p[0]}){p[1]}")


PATTERNS = st.recursive(
    ATOMS, lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda items: "(" + "|".join(items) + ")"),
        _repeat(inner)), max_leaves=10)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(PATTERNS.filter(lambda p: pattern_problem(p) is None),
       st.sampled_from(["a", "ab", " ", "a ", "ba"]), st.sampled_from(["", "!", "c"]))
def test_an_untimed_search_is_fast_on_its_longest_text(pattern: str, unit: str,
                                                       end: str) -> None:
    """Accepted patterns, on the longest texts they are searched without a time limit
    (repetitive texts that fail at the end, the slowest kind), finish within it (the
    bound allows about 10^6 steps: a long run of this test saw 60 ms at most)."""
    length = untimed_length(pattern)
    if length < 1:
        return
    sample = (unit * length)[:max(0, length - len(end))] + end
    start = time.perf_counter()
    search_all(pattern, False, sample, "search")
    search_all(pattern, False, sample, "findall")
    assert time.perf_counter() - start < MATCH_TIMEOUT


def test_a_short_text_is_searched_without_the_time_limit_and_a_long_one_within_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "MATCH_TIMEOUT", 1e-9)  # any timed search times out
    assert search_all("a*b", False, "a" * 50 + "b", "search") is not None
    with pytest.raises(InputError, match="took more than"):
        search_all("a*b", False, "a" * 1_000_000, "search")


# --- folding ---------------------------------------------------------------------------------

def _strip_marks_per_character(value: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@settings(max_examples=300, deadline=None)
@given(st.text() | st.sampled_from(["Tỷ lệ hộ nghèo", "Đường giao thông", "Ǆ̈x́", "ﬁ"]))
def test_strip_marks_drops_what_the_per_character_definition_drops(value: str) -> None:
    assert folding.strip_marks(value) == _strip_marks_per_character(value)


def test_no_combining_mark_lies_beyond_the_table() -> None:
    import sys
    import unicodedata

    assert not [c for c in range(folding.MARKS_BELOW, sys.maxunicode + 1)
                if unicodedata.combining(chr(c))]
