"""Split a text too long for the model into pieces that fit: at sentence ends, then between
words, then between characters (nothing is truncated)."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["split_text"]

# Sentence ends (., !, ?, ellipsis, CJK full stops) followed by space, or any line break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\u2026\u3002\uff01\uff1f])\s+|\s*\n\s*")


def split_text(text: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Split a text into pieces that each fit into ``max_tokens`` model tokens.

    The text is cut at sentence boundaries first (``.``, ``!``, ``?`` followed by space, or a
    line break) and consecutive sentences are packed greedily into pieces; a sentence that is
    too long on its own is cut into windows of whole words, and a single "word" that is still
    too long is cut by characters. Nothing is dropped except the whitespace between pieces.

    Parameters
    ----------
    text : str
        The text to split.
    max_tokens : int
        Token budget of one piece, special tokens included (the model's maximum sequence
        length).
    count_tokens : callable
        ``count_tokens(s)`` returns the number of tokens the model sees for ``s``, including
        the special tokens it adds (so ``count_tokens("")`` is the per-sequence overhead).

    Returns
    -------
    list of str
        ``[text]`` when the text already fits; otherwise the pieces in reading order, each
        with ``count_tokens(piece) <= max_tokens`` (a single character that alone exceeds the
        budget is the only exception).

    Raises
    ------
    ValueError
        If ``max_tokens`` leaves no room for text next to the special tokens.

    Examples
    --------
    >>> count = lambda s: len(s.split()) + 2  # one token per word, plus [CLS] and [SEP]
    >>> split_text("One two three. Four five six seven. Eight.", 6, count)
    ['One two three.', 'Four five six seven.', 'Eight.']
    """
    if count_tokens(text) <= max_tokens:
        return [text]
    overhead = count_tokens("")
    budget = max_tokens - overhead
    if budget < 1:
        raise ValueError(
            f"max_tokens={max_tokens} leaves no room for text next to the {overhead} special "
            "tokens the model adds."
        )

    def cost(piece: str) -> int:
        return count_tokens(piece) - overhead

    units: list[tuple[str, int]] = []
    for sentence in _SENTENCE_BREAK.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        n = cost(sentence)
        if n <= budget:
            units.append((sentence, n))
            continue
        for word in sentence.split():
            n = cost(word)
            if n <= budget:
                units.append((word, n))
            else:
                units.extend(_split_chars(word, budget, cost))

    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for unit, n in units:
        if current and used + n > budget:
            chunks.append(" ".join(current))
            current, used = [], 0
        current.append(unit)
        used += n
    if current:
        chunks.append(" ".join(current))

    # Token counts are additive across whitespace for WordPiece tokenizers; for others they
    # are close but not exact, so check every piece and halve the ones that overflow.
    out: list[str] = []
    for chunk in chunks:
        out.extend(_halve_until_fits(chunk, max_tokens, count_tokens))
    return out


def _split_chars(word: str, budget: int, cost: Callable[[str], int]) -> list[tuple[str, int]]:
    """Cut one over-long word into the longest character runs that fit ``budget``."""
    pieces: list[tuple[str, int]] = []
    start = 0
    while start < len(word):
        lo, hi = start + 1, len(word)  # binary search for the longest prefix that fits
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if cost(word[start:mid]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((word[start:lo], cost(word[start:lo])))
        start = lo
    return pieces


def _halve_until_fits(chunk: str, max_tokens: int, count_tokens: Callable[[str], int]) -> list[str]:
    if count_tokens(chunk) <= max_tokens or len(chunk) <= 1:
        return [chunk]
    words = chunk.split()
    if len(words) > 1:
        mid = len(words) // 2
        left, right = " ".join(words[:mid]), " ".join(words[mid:])
    else:
        mid = len(chunk) // 2
        left, right = chunk[:mid], chunk[mid:]
    return _halve_until_fits(left, max_tokens, count_tokens) + _halve_until_fits(
        right, max_tokens, count_tokens
    )
