"""Hostile and odd input through the public API: every input gives a sensible result or a
documented error (a PassionfinderError that is also a ValueError or TypeError) whose message
names the problem; nothing crashes, hangs or grows faster than the input.

Property-based (hypothesis) on the synthetic catalog with the hashing test encoder; a few
checks on the real finder (slow, data).
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from embedder import HashingEncoder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import write_release

import passionfinder as pf
from passionfinder import (
    Encoder,
    InputTypeError,
    InvalidInputError,
    PassionFinder,
    PassionfinderError,
    Profile,
    UnknownValueError,
)
from passionfinder._values import VALUE_ENTRIES

FAST = settings(max_examples=50, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of text people (or attackers, or broken pipelines) send.
FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</td></tr></table>",
    "&amp; &lt;b&gt;", "'; DROP TABLE occupations; --", "1' OR '1'='1", "Robert'); --",
    "🎨", "👩‍🔧", "🐶🚀", "\u202e", "\u200b", "\ufeff", "\x00", "\x1b[31m", "\x7f", "\r\n", "\t",
    "\ud800", "\udfff", "אני אוהב לבשל", "مرحبا بالعالم", "我喜欢修理自行车", "नर्स",
    "Ich repariere gerne Fahrräder",
    "J'adore la cuisine", "   ", "NaN", "None", "null", "undefined", "{}", "[]", "%s %d {0}",
    "caring for patients", "fixing bikes", "cooking food", "creativity", "good pay",
]
ANY_TEXT = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(FRAGMENTS)),
                    max_size=6).map("".join)
NOT_TEXT = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(),
                     st.binary(max_size=10), st.dictionaries(st.text(max_size=3), st.integers(),
                                                             max_size=2),
                     st.builds(object), st.just(b"caring for patients"),
                     st.just(np.array(["text"])), st.just(1 + 2j))
VALUE_NAMES = [e.name for e in VALUE_ENTRIES] + [a for e in VALUE_ENTRIES for a in e.aliases]
TAGS_WE_WRITE = {"div", "p", "table", "thead", "tbody", "tr", "th", "td", "b", "br", "small",
                 "details", "summary", "ul", "li"}
_CONTROL_OR_SURROGATE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_word(text: str) -> bool:
    """A letter or digit in any script, once control characters are gone."""
    return any(c.isalnum() for c in text)


def assert_documented(exc: BaseException, *words: str) -> None:
    """A documented error: our base class and a built-in one, and a message naming the problem."""
    assert isinstance(exc, PassionfinderError), type(exc).__mro__
    assert isinstance(exc, (ValueError, TypeError)), type(exc).__mro__
    message = str(exc)
    assert message and len(message) < 2_000, message[:200]
    for word in words:
        assert word in message, (word, message)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend(attrs)


def assert_safe_html(markup: str) -> None:
    """Only the tags the results layer writes, with no attributes: nothing the user wrote
    became markup."""
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    assert parser.tags <= TAGS_WE_WRITE, parser.tags - TAGS_WE_WRITE
    assert not parser.attrs, parser.attrs
    assert "<script" not in markup.lower()


def assert_clean(text: str) -> None:
    assert text == text.strip()
    assert not _CONTROL_OR_SURROGATE.search(text), repr(text)
    assert "  " not in text
    assert has_word(text)


def check_recommendations(recs: pf.Recommendations, k: int) -> None:
    assert len(recs) == k
    codes = [r.onet_soc_code for r in recs]
    assert len(set(codes)) == k
    assert [r.rank for r in recs] == list(range(1, k + 1))
    for rec in recs:
        assert math.isfinite(rec.score) and 0.0 <= rec.score <= 1.0
        assert 0.0 <= rec.match_score <= 1.0
        assert rec.value_score is None or 0.0 <= rec.value_score <= 1.0
    data = json.dumps(recs.to_dict(), ensure_ascii=False, sort_keys=True, allow_nan=False)
    data.encode("utf-8")  # no lone surrogate survived
    assert_safe_html(recs._repr_html_())
    report = recs.report()
    assert not _CONTROL_OR_SURROGATE.search(report.replace("\n", " "))


@pytest.fixture(scope="module")
def finder(tmp_path_factory: pytest.TempPathFactory) -> PassionFinder:
    root = tmp_path_factory.mktemp("hostile")
    home, cache = write_release(root / "data"), root / "cache"
    return PassionFinder(pf.load_catalog(home, cache_home=cache), HashingEncoder(),
                         cache_home=cache)


# ---------------------------------------------------------------------------------------------
# Profile: text fields
# ---------------------------------------------------------------------------------------------

@FAST
@given(text=ANY_TEXT)
def test_any_interests_text_is_cleaned_or_refused(text: str) -> None:
    try:
        profile = Profile(interests=text)
    except InvalidInputError as exc:
        assert_documented(exc, "needs at least one of 'interests', 'strengths' or 'values'")
        assert not has_word(text)
        return
    assert isinstance(profile.interests, str)
    assert_clean(profile.interests)
    # cleaning only removes control characters, lone surrogates and extra white space
    assert [c for c in profile.interests if c.isalnum()] == [c for c in text if c.isalnum()]
    json.dumps(profile.to_dict(), ensure_ascii=False).encode("utf-8")
    assert len(repr(profile)) < 60 * 10 + 100  # at most 60 characters, each escaped


@FAST
@given(parts=st.one_of(ANY_TEXT, st.lists(st.one_of(ANY_TEXT, st.none(),
                                                     st.just(float("nan"))), max_size=6)))
def test_any_strengths_are_cleaned_and_split(parts: str | list[Any]) -> None:
    profile = Profile(interests="caring for patients", strengths=parts)
    assert isinstance(profile.strengths, tuple)
    assert len(set(profile.strengths)) == len(profile.strengths)
    for strength in profile.strengths:
        assert_clean(strength)
        assert not strength.endswith(".")


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, "", "   \t\n", "\x00\x07",
                                     "!!!???...", "🎨🎨🎨", "\u200b\ufeff", "\ud800", [], [None, ""]])
def test_missing_or_wordless_fields_count_as_absent(missing: Any) -> None:
    import pandas as pd

    for value in (missing, pd.NA):
        profile = Profile(interests="fixing bikes", strengths=value,
                          values=value if not isinstance(value, list) else None)
        assert profile.strengths == () and profile.values is None
        assert Profile(interests=value, strengths="patient").interests is None
        with pytest.raises(InvalidInputError, match="needs at least one") as info:
            Profile(interests=value, strengths=value)
        assert_documented(info.value)


@FAST
@given(bad=NOT_TEXT, field=st.sampled_from(["interests", "strengths"]))
def test_non_text_fields_raise_a_type_error_naming_the_field(bad: Any, field: str) -> None:
    with pytest.raises(InputTypeError) as info:
        Profile(**{field: bad})
    assert_documented(info.value, f"'{field}' of a Profile", type(bad).__name__)


@pytest.mark.parametrize(("field", "value", "what"), [
    ("interests", ["fixing bikes", 3], "Got int instead"),
    ("interests", ["ok", b"bytes"], "Got bytes instead"),
    ("strengths", ["patient", {"a": 1}], "a list containing dict"),
    ("strengths", ("calm", object()), "a list containing object"),
    ("values", ["creativity", 7], "containing int"),
    ("values", 3.5, "Got float instead"),
    ("values", b"good pay", "Got bytes instead"),
    ("values", {1: 1.0}, "value names in the 'values' of a Profile must be strings. Got int"),
])
def test_wrong_types_inside_fields(field: str, value: Any, what: str) -> None:
    with pytest.raises(InputTypeError) as info:
        Profile(**{"interests": "caring", field: value})
    assert_documented(info.value, what)


def test_hundred_kilobytes_of_text_are_kept_whole() -> None:
    text = "I like fixing old bikes and being outdoors. " * 2_300
    profile = Profile(interests=text, strengths=text, values="I want to help people. " * 4_000)
    assert len(profile.interests or "") == len(text.strip())
    assert "fixing old bikes" in profile.strengths[0]
    assert len(repr(profile)) < 400


# ---------------------------------------------------------------------------------------------
# Profile: values
# ---------------------------------------------------------------------------------------------

WEIGHTS = st.one_of(
    st.floats(), st.integers(-5, 10**6), st.booleans(), st.just(1e308), st.just(5e-324),
    st.just(float("inf")), st.just(float("-inf")), st.just(float("nan")), st.just(-0.0),
    st.sampled_from(["2", "high", "", None, [1], Decimal("1.5"), Fraction(1, 3),
                     np.float32(0.5), np.int64(3), np.bool_(True), np.float64("nan")]))
NAMES = st.one_of(st.sampled_from(VALUE_NAMES), st.sampled_from(["creativty", "zzz", "", "🎨",
                                                                 "<script>", "x" * 10_000]),
                  st.builds(str.upper, st.sampled_from(VALUE_NAMES)))


def expected_weights(values: dict[str, Any]) -> dict[str, float] | type[Exception]:
    """The documented contract of a {name: weight} dict, written out independently."""
    import numbers

    from passionfinder._values import resolve_value

    given: list[tuple[str, float]] = []
    for name, weight in values.items():
        try:
            entry = resolve_value(name)
        except UnknownValueError:
            return UnknownValueError
        if isinstance(weight, (bool, np.bool_)) or not isinstance(weight,
                                                                  (numbers.Real, Decimal)):
            return InputTypeError
        if not math.isfinite(float(weight)) or float(weight) < 0:
            return InvalidInputError
        given.append((entry.name, float(weight)))
    if not given:
        return {}
    top = max(w for _, w in given)
    if top == 0:
        return InvalidInputError
    # weights are relative: one below 1e-308 of the largest (5e-324 next to 1e308) is zero
    total: dict[str, float] = {}
    for name, w in given:
        total[name] = total.get(name, 0.0) + w / top
    return {k: v for k, v in total.items() if v > 0}


@FAST
@given(values=st.dictionaries(NAMES, WEIGHTS, max_size=5))
def test_value_weights_are_normalised_or_refused(values: dict[str, Any]) -> None:
    expected = expected_weights(values)
    if isinstance(expected, type):
        with pytest.raises(expected) as info:
            Profile(interests="cooking", values=values)
        assert_documented(info.value)
        message = str(info.value)
        assert "value" in message.lower() and len(message) < 1_000
        return
    profile = Profile(interests="cooking", values=values)
    if not expected:
        assert profile.values is None
        return
    got = dict(profile.values)  # type: ignore[arg-type]
    assert set(got) == set(expected)
    assert math.isclose(sum(got.values()), 1.0, rel_tol=1e-9)
    assert all(math.isfinite(w) and w > 0 for w in got.values())
    ratios_expected = {k: v / max(expected.values()) for k, v in expected.items()}
    ratios_got = {k: v / max(got.values()) for k, v in got.items()}
    for name, ratio in ratios_expected.items():
        assert math.isclose(ratios_got[name], ratio, rel_tol=1e-9, abs_tol=1e-300)


@pytest.mark.parametrize(("values", "error", "match"), [
    ({"creativity": -1}, InvalidInputError,
     r"weight of value 'creativity' must be a finite number >= 0\. Got -1\.0"),
    ({"creativity": float("nan")}, InvalidInputError, r"finite number >= 0\. Got nan"),
    ({"good pay": float("inf")}, InvalidInputError, r"Got inf instead"),
    ({"creativity": True}, InputTypeError, r"weight of value 'creativity' must be a number\. Got bool"),
    ({"creativity": "2"}, InputTypeError, r"must be a number\. Got str"),
    ({"creativity": None}, InputTypeError, r"must be a number\. Got NoneType"),
    ({"creativity": 0, "good pay": 0}, InvalidInputError, r"must not all be zero"),
    ({"creativty": 1}, UnknownValueError, r"Did you mean 'creativity'"),
    ({"x" * 5_000: 1}, UnknownValueError, r"\.\.\. \(5000 characters\)"),
    (["good pay", "unicorns"], UnknownValueError, r"Unknown value 'unicorns'"),
])
def test_value_errors_name_the_problem(values: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match) as info:
        Profile(interests="cooking", values=values)
    assert_documented(info.value)


def test_huge_and_tiny_weights_keep_their_ratio() -> None:
    assert dict(Profile(values={"good pay": 1e308, "creativity": 1e308}).values) == {
        "good pay": 0.5, "creativity": 0.5}
    # two aliases of one value add up without overflowing
    assert dict(Profile(values={"balance": 1e308, "free time": 1e308, "good pay": 1e308}
                        ).values) == pytest.approx({"work-life balance": 2 / 3, "good pay": 1 / 3})
    assert dict(Profile(values={"good pay": 5e-324}).values) == {"good pay": 1.0}
    assert dict(Profile(values={"good pay": Fraction(1, 3), "variety": Decimal("1")}  # type: ignore[dict-item]
                        ).values) == pytest.approx({"good pay": 0.25, "variety": 0.75})


def test_a_set_of_value_names_has_one_order() -> None:
    names = {"good pay", "creativity", "variety", "helping others", "independence"}
    assert list(Profile(values=names).values) == sorted(  # type: ignore[arg-type]
        Profile(values=sorted(names)).values)  # type: ignore[arg-type]


@FAST
@given(text=ANY_TEXT)
def test_any_values_text_is_names_free_text_or_a_spelling_error(text: str) -> None:
    try:
        profile = Profile(interests="cooking", values=text)
    except UnknownValueError as exc:
        assert_documented(exc, "Did you mean")
        return
    values = profile.values
    if values is None:
        assert not has_word(text)
    elif isinstance(values, str):
        assert_clean(values)
    else:
        assert math.isclose(sum(values.values()), 1.0)


# ---------------------------------------------------------------------------------------------
# PassionFinder.recommend / recommend_many / classify
# ---------------------------------------------------------------------------------------------

@FAST
@given(interests=ANY_TEXT, strengths=st.lists(ANY_TEXT, max_size=3),
       values=st.one_of(st.none(), ANY_TEXT, st.lists(st.sampled_from(VALUE_NAMES), max_size=3)),
       k=st.integers(1, 12))
def test_recommend_any_profile(finder: PassionFinder, interests: str, strengths: list[str],
                               values: Any, k: int) -> None:
    try:
        profile = Profile(interests=interests, strengths=strengths, values=values)
    except (InvalidInputError, UnknownValueError) as exc:
        assert_documented(exc)
        return
    recs = finder.recommend(profile, k=k)
    check_recommendations(recs, k)
    assert recs.profile == profile


@FAST
@given(items=st.lists(st.one_of(
    st.sampled_from(["caring for patients", "wiring circuits", "🎨 painting <b>bold</b>",
                     "cooking ' OR 1=1 --", "我喜欢修理自行车 and bikes"]),
    st.builds(lambda t: {"interests": t, "values": ["good pay"]},
              st.sampled_from(["teaching children", "numbers and budgets"])),
    st.builds(lambda s: Profile(strengths=s), st.sampled_from(["calm", "patient, careful"]))),
    max_size=6))
def test_recommend_many_equals_one_by_one(finder: PassionFinder, items: list[Any]) -> None:
    batch = finder.recommend_many(items, k=3)
    assert len(batch) == len(items)
    for item, recs in zip(items, batch, strict=True):
        check_recommendations(recs, 3)
        assert recs.to_dict() == finder.recommend(item, k=3).to_dict()


@FAST
@given(texts=st.lists(ANY_TEXT, max_size=5), k=st.integers(1, 12))
def test_classify_any_text(finder: PassionFinder, texts: list[str], k: int) -> None:
    out = finder.classify(texts, k=k)
    assert isinstance(out, list) and len(out) == len(texts)
    for text, classification in zip(texts, out, strict=True):
        assert classification.query == re.sub("[\ud800-\udfff]", "\ufffd", text)
        if has_word(text.translate({c: None for c in range(0xD800, 0xE000)})):
            assert len(classification.matches) == k
            assert len({m.onet_soc_code for m in classification.matches}) == k
            assert all(math.isfinite(m.score) for m in classification.matches)
        else:
            assert classification.matches == () and classification.best is None
        repr(classification)
        classification.to_frame()


@pytest.mark.parametrize("bad", [None, 42, 3.5, b"caring for patients", object(),
                                 [b"bytes"], [None], [42], [{"interests": 1}]])
def test_recommend_refuses_non_profiles(finder: PassionFinder, bad: Any) -> None:
    with pytest.raises(InputTypeError) as info:
        finder.recommend(bad)
    assert_documented(info.value)
    with pytest.raises(InputTypeError) as info:
        finder.recommend_many(bad if isinstance(bad, list) else [bad])
    assert_documented(info.value)


@pytest.mark.parametrize("bad", [None, 42, 3.5, object(), b"caring", "cooking",
                                 {"interests": "x"}, Profile(interests="x")])
def test_recommend_many_refuses_non_lists(finder: PassionFinder, bad: Any) -> None:
    with pytest.raises(InputTypeError) as info:
        finder.recommend_many(bad)
    assert_documented(info.value, type(bad).__name__)


def test_recommend_many_takes_any_iterable(finder: PassionFinder) -> None:
    assert finder.recommend_many([], k=2) == []
    gen = (t for t in ["cooking", "wiring"])
    assert [len(r) for r in finder.recommend_many(gen, k=2)] == [2, 2]
    assert [len(r) for r in finder.recommend_many(("cooking",), k=2)] == [2]


@pytest.mark.parametrize("bad", [None, 42, object(), b"nurse", {"a": "b"}, [b"nurse"], [None],
                                 ["ok", 3]])
def test_classify_refuses_non_text(finder: PassionFinder, bad: Any) -> None:
    with pytest.raises(InputTypeError) as info:
        finder.classify(bad)
    assert_documented(info.value, "PassionFinder.classify takes a string or a list of strings")


ARGUMENTS = st.one_of(st.integers(-3, 20), st.floats(), st.booleans(), st.none(),
                      st.text(max_size=3), st.just(np.int64(3)), st.just(np.float64(0.5)))


@FAST
@given(k=ARGUMENTS, value_weight=ARGUMENTS, diversity=ARGUMENTS)
def test_call_arguments_are_checked(finder: PassionFinder, k: Any, value_weight: Any,
                                    diversity: Any) -> None:
    def fraction_ok(x: Any) -> bool:
        return x is None or (not isinstance(x, (bool, str)) and 0.0 <= float(x) <= 1.0)

    k_ok = not isinstance(k, bool) and isinstance(k, (int, np.integer)) and 1 <= k <= 12
    if k_ok and fraction_ok(value_weight) and fraction_ok(diversity):
        recs = finder.recommend("cooking", k=k, value_weight=value_weight, diversity=diversity)
        check_recommendations(recs, int(k))
        return
    with pytest.raises(InvalidInputError) as info:
        finder.recommend("cooking", k=k, value_weight=value_weight, diversity=diversity)
    name = "k" if not k_ok else "value_weight" if not fraction_ok(value_weight) else "diversity"
    assert_documented(info.value, f"The '{name}' parameter of PassionFinder.recommend", "Got")


def test_script_tags_never_reach_the_html_unescaped(finder: PassionFinder) -> None:
    attack = "<script>alert(1)</script>"
    profile = Profile(interests=f"{attack} caring for patients", strengths=[attack, "calm"],
                      values=f"{attack} I want a high salary, <img src=x onerror=alert(1)>")
    recs = finder.recommend(profile, k=3)
    markup = recs._repr_html_()
    assert attack not in markup and "<img" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup  # shown, as text
    assert_safe_html(markup)
    assert attack in recs.report()  # the text report is plain text, not HTML: kept verbatim


# ---------------------------------------------------------------------------------------------
# Linear cost in the size of the input
# ---------------------------------------------------------------------------------------------

class CountingEncoder(Encoder):
    """Words are tokens (plus two special ones); counts the pieces the base class sends to the
    model and the characters it tokenises, the two measures of the encoding work."""

    def __init__(self, max_tokens: int = 64) -> None:
        self.name = f"test-counting-{max_tokens}"
        self.dim = 64
        self.max_tokens = max_tokens
        self._hashing = HashingEncoder(self.dim)
        self.reset()

    def reset(self) -> None:
        self.pieces = 0
        self.tokenised_chars = 0

    def _tokenize(self, texts: list[str]) -> list[Sequence[int]]:
        self.tokenised_chars += sum(len(t) for t in texts)
        return [[0] * (len(t.split()) + 2) for t in texts]

    def _embed(self, texts: list[str], ids: list[Sequence[int]], *, batch_size: int,
               show_progress: bool | None) -> np.ndarray:
        assert all(len(seq) <= self.max_tokens for seq in ids)
        self.pieces += len(texts)
        return self._hashing.encode(texts)


LONG_TEXTS = {
    "sentences": "I like fixing old bikes and being outdoors. ",
    "one endless sentence": "and fixing old bikes outdoors ",
    "lines": "bikes\n",
    "values and commas": "good with my hands, patient; ",
}


@pytest.mark.parametrize("kind", sorted(LONG_TEXTS))
def test_encoding_work_is_linear_in_the_text(tmp_path: Path, kind: str) -> None:
    home, cache = write_release(tmp_path / "data"), tmp_path / "cache"
    encoder = CountingEncoder()
    finder = PassionFinder(pf.load_catalog(home, cache_home=cache), encoder, cache_home=cache)
    unit = LONG_TEXTS[kind]
    work = {}
    for size in (10_000, 100_000):
        text = (unit * (size // len(unit) + 1))[:size]
        encoder.reset()
        recs = finder.recommend(Profile(interests=text, strengths=text, values=text), k=3)
        assert len(recs) == 3
        work[size] = (encoder.pieces, encoder.tokenised_chars)
    pieces = work[100_000][0] / work[10_000][0]
    chars = work[100_000][1] / work[10_000][1]
    assert 5 <= pieces <= 15, work  # ten times the text, about ten times the pieces
    assert chars <= 15, work


# ---------------------------------------------------------------------------------------------
# The real finder (slow, data)
# ---------------------------------------------------------------------------------------------

REAL_CASES = [
    "I love 🎨 painting and 🐶 dogs 🚀",
    "fixing\x00 bikes\x07\x1b[31m red \u200b\u202e",
    "bikes \ud800 and cars",
    "אני אוהב לבשל ومطبخ cooking",
    "我喜欢修理自行车",
    "Ich arbeite gerne mit Kindern und unterrichte Mathematik",
    "<script>alert(1)</script> caring for patients",
    "'; DROP TABLE occupations; -- nursing",
    "a" * 100_000,
]


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.parametrize("text", REAL_CASES, ids=lambda t: unicodedata.name(t[0], "x")[:20])
def test_real_finder_takes_odd_text(real_finder: PassionFinder, text: str) -> None:
    recs = real_finder.recommend(Profile(interests=text, strengths=[text],
                                         values=f"{text} and good pay"), k=5)
    check_recommendations(recs, 5)
    assert real_finder.classify(text, k=3).best is not None


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.parametrize("text", ["", "   ", "!!!", "🎨🎨🎨", "\x00\ud800"])
def test_real_finder_wordless_text(real_finder: PassionFinder, text: str) -> None:
    with pytest.raises(InvalidInputError, match="needs at least one"):
        real_finder.recommend(text)
    assert real_finder.classify(text).matches == ()


@pytest.mark.slow
@pytest.mark.data
def test_real_finder_time_is_linear_in_the_text(real_finder: PassionFinder,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pieces: list[int] = []
    embed = real_finder.encoder._embed  # type: ignore[attr-defined]

    def counting(texts: list[str], *args: Any, **kwargs: Any) -> np.ndarray:
        pieces.append(len(texts))
        return embed(texts, *args, **kwargs)

    monkeypatch.setattr(real_finder.encoder, "_embed", counting)
    unit = "I like fixing old bikes, woodwork and being outdoors in the hills. "
    seconds, chunks = {}, {}
    for size in (10_000, 100_000):
        text = f"{size} " + (unit * (size // len(unit) + 1))[:size]  # never in the text cache
        pieces.clear()
        start = time.perf_counter()
        recs = real_finder.recommend(text, k=5)
        seconds[size] = time.perf_counter() - start
        chunks[size] = sum(pieces)
        assert recs[0].title == "Bicycle Repairers" or len(recs) == 5
    assert 8 <= chunks[100_000] / chunks[10_000] <= 12, chunks
    assert seconds[100_000] / seconds[10_000] < 30, seconds
    assert seconds[100_000] < 60, seconds


def test_strengths_are_bounded() -> None:
    listed = [f"skill number {i}" for i in range(100)]
    assert len(Profile(strengths=listed).strengths) == 100
    assert len(Profile(strengths=listed * 50).strengths) == 100  # repeats count once
    with pytest.raises(InvalidInputError, match=r"at most 100 different strengths .* Got 6,500 "
                                                r"instead"):
        Profile(strengths=", ".join(f"thing {i}" for i in range(6_500)))
