"""Explanations: why one occupation stands where it does for one person ("why isn't it on my
list?"), read from the same scores as the recommendations, so the two never disagree.

The score splits exactly into parts: each matched field's share of the rescaled match, the
person's median occupation (the match counts from there), the floor at 0, and each value's
contribution; the parts add up to the score :meth:`PassionFinder.recommend` gives.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._ranking import rounded
from ._results import Evidence, ValueContribution

if TYPE_CHECKING:
    from ._constraints import Screen
    from ._feedback import Feedback
    from ._finder import PassionFinder, _Encoded, _Ranked, _Scores

__all__ = ["Comparison", "Explanation", "HeldBack", "ScorePart", "build_explanation"]

#: how the match fields are named in explanations
_FIELD_LABELS = {"interests": "interests", "riasec": "RIASEC interest types",
                 "strengths": "strengths"}


@dataclass(frozen=True)
class ScorePart:
    """One additive part of an occupation's score.

    ``kind`` is "match" (a matched field, or the closeness to topics the person avoids),
    "adjustment" (where the match is counted from: the person's median occupation, and the
    floor at 0) or "value" (one of the person's values); ``contribution`` is what it adds to
    the score (negative: takes away).
    """

    name: str
    kind: str
    contribution: float
    detail: str


#: how a score part without data for the occupation begins its detail
_NO_DATA = "no data"


@dataclass(frozen=True)
class HeldBack:
    """One thing that keeps an occupation down or out of the list.

    ``kind`` is "constraint", "disliked", "weak match", "value", "avoided", "catch-all" or
    "diversity"; ``text`` says it in a sentence.
    """

    kind: str
    text: str


@dataclass(frozen=True)
class Explanation:
    """Why one occupation stands where it does for one person.

    ``rank`` is its place among all occupations by score (constraints and diversity aside);
    ``candidate_rank`` its place among those that pass the constraints (None when it does not
    pass); ``list_rank`` its place in the list of ``k`` that :meth:`PassionFinder.recommend`
    gives with the same arguments (None when it is not in it). ``parts`` add up to ``score``.
    ``cutoff`` is the score of the last occupation in that list.
    """

    onet_soc_code: str
    title: str
    job_family: str | None
    score: float
    match_score: float
    value_score: float | None
    rank: int
    occupations: int
    candidate_rank: int | None
    candidates: int
    list_rank: int | None
    k: int
    cutoff: float | None
    parts: tuple[ScorePart, ...]
    field_scores: dict[str, float]
    values: tuple[ValueContribution, ...]
    evidence: tuple[Evidence, ...]
    held_back: tuple[HeldBack, ...]
    attribution: str = ""

    def __repr__(self) -> str:
        where = f"#{self.list_rank} in the list" if self.list_rank else "not in the list"
        return (f"<Explanation {self.onet_soc_code} {self.title!r} score={self.score:.3f}, "
                f"rank {self.rank}, {where}>")

    @property
    def in_list(self) -> bool:
        """Whether it is in the list of ``k``."""
        return self.list_rank is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-ready)."""
        return asdict(self)

    def _headline(self) -> list[str]:
        where = (f"#{self.list_rank} in your list of {self.k}" if self.list_rank else
                 f"not in your list of {self.k}")
        lines = [f"{self.title} ({self.onet_soc_code}): {where}"]
        among = ("" if self.candidate_rank is None or self.candidates == self.occupations else
                 f" ({_ordinal(self.candidate_rank)} of the {self.candidates:,} considered)")
        passes = "" if self.candidate_rank is not None else " (not considered)"
        cutoff = "" if self.cutoff is None else (
            f"; the last in the list scores {self.cutoff:.3f}")
        lines.append(f"Rank {self.rank:,} of {self.occupations:,} by score{among}{passes}; "
                     f"score {self.score:.3f}{cutoff}")
        return lines

    def report(self, width: int = 88) -> str:
        """A readable plain-text explanation: rank, score parts, evidence, what holds it
        back, then the attribution."""
        wrap = textwrap.TextWrapper(width=width, subsequent_indent="      ")
        out = self._headline()
        out.append("Score parts (they add up to the score):")
        for part in self.parts:
            out.append(wrap.fill(f"   {part.name:<28} {part.contribution:+.3f}  {part.detail}"))
        out.append(f"   {'= score':<28} {self.score:.3f}")
        if self.evidence:
            out.append("Closest evidence:")
            for ev in self.evidence:
                out.append(wrap.fill(f"   - {ev.line()}"))
        if self.held_back:
            out.append("What holds it back:")
            for item in self.held_back:
                out.append(wrap.fill(f"   - {item.kind}: {item.text}"))
        else:
            out.append("Nothing holds it back.")
        if self.attribution:
            out.append("")
            out.append(_fill_attribution(self.attribution, width))
        return "\n".join(out)

    def _html_body(self) -> str:
        esc = html.escape
        head = "".join(f"<p>{esc(line)}</p>" for line in self._headline())
        parts = "".join(f"<tr><td>{esc(p.name)}</td><td>{p.contribution:+.3f}</td>"
                        f"<td><small>{esc(p.detail)}</small></td></tr>" for p in self.parts)
        parts += f"<tr><td><b>score</b></td><td><b>{self.score:.3f}</b></td><td></td></tr>"
        evidence = "".join(f"<li>{esc(ev.field)} ~ {esc(ev.kind)}: “{esc(ev.text)}” "
                           f"({ev.similarity:.2f})</li>" for ev in self.evidence)
        held = "".join(f"<li><b>{esc(h.kind)}</b>: {esc(h.text)}</li>" for h in self.held_back)
        return (f"{head}<table><thead><tr><th>part</th><th>adds</th><th></th></tr></thead>"
                f"<tbody>{parts}</tbody></table>"
                + (f"<p>Closest evidence</p><ul>{evidence}</ul>" if evidence else "")
                + (f"<p>What holds it back</p><ul>{held}</ul>" if held else
                   "<p>Nothing holds it back.</p>"))

    def _repr_html_(self) -> str:
        return (f"<div>{self._html_body()}<p><small>{html.escape(self.attribution)}</small>"
                "</p></div>")


@dataclass(frozen=True)
class Comparison:
    """Two occupations side by side for one person (:meth:`PassionFinder.compare`)."""

    first: Explanation
    second: Explanation

    def __repr__(self) -> str:
        return (f"<Comparison {self.first.onet_soc_code} ({self.first.score:.3f}) vs "
                f"{self.second.onet_soc_code} ({self.second.score:.3f})>")

    def to_frame(self) -> Any:
        """One row per score part (and the score, ranks), one column per occupation."""
        import pandas as pd

        names = list(dict.fromkeys([p.name for p in self.first.parts]
                                   + [p.name for p in self.second.parts]))
        rows = {}
        for ex in (self.first, self.second):
            got = {p.name: p.contribution for p in ex.parts}
            column: dict[str, Any] = {name: got.get(name, 0.0) for name in names}
            column.update({"score": ex.score, "rank": ex.rank,
                           "list_rank": ex.list_rank})
            rows[f"{ex.title} ({ex.onet_soc_code})"] = column
        return pd.DataFrame(rows)

    def report(self, width: int = 88) -> str:
        """Both explanations, after a table of their score parts side by side."""
        a, b = self.first, self.second
        names = list(dict.fromkeys([p.name for p in a.parts] + [p.name for p in b.parts]))
        pa = {p.name: p.contribution for p in a.parts}
        pb = {p.name: p.contribution for p in b.parts}
        out = [f"{'':<28} {a.onet_soc_code:>12} {b.onet_soc_code:>12}"]
        for name in names:
            out.append(f"{name:<28} {pa.get(name, 0.0):>+12.3f} {pb.get(name, 0.0):>+12.3f}")
        out.append(f"{'= score':<28} {a.score:>12.3f} {b.score:>12.3f}")
        out.append(f"{'rank':<28} {a.rank:>12} {b.rank:>12}")
        out.append("")
        attribution = a.attribution
        for ex in (a, b):
            out.append(_without_attribution(ex).report(width))
            out.append("")
        out.append(_fill_attribution(attribution, width))
        return "\n".join(out)

    def _repr_html_(self) -> str:
        return (f"<div><table><tr><td style='vertical-align:top'>{self.first._html_body()}</td>"
                f"<td style='vertical-align:top'>{self.second._html_body()}</td></tr></table>"
                f"<p><small>{html.escape(self.first.attribution)}</small></p></div>")


def _fill_attribution(attribution: str, width: int) -> str:
    # it ends with the data source, maybe a path: never break inside a word (as in reports)
    return textwrap.fill(attribution, width=width, break_on_hyphens=False,
                         break_long_words=False)


def _without_attribution(ex: Explanation) -> Explanation:
    from dataclasses import replace

    return replace(ex, attribution="")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def score_parts(finder: PassionFinder, o: int, ranked: _Ranked, scores: _Scores, i: int
                ) -> list[ScorePart]:
    """The additive parts of occupation ``o``'s score for person ``i`` of ``scores``; their
    sum is ``ranked.final[o]`` (to float rounding)."""
    parts: list[ScorePart] = []
    w = finder.weights
    field_weights = {"interests": w.interests, "riasec": w.riasec, "strengths": w.strengths}
    if ranked.has_match:
        share = 1.0 - ranked.value_weight if ranked.weights else 1.0
        present = {name: z[i] for name, z in scores.fields.items()
                   if not np.isnan(z[i]).all()}
        total_weight = sum(field_weights[name] for name in present)
        blended = 0.0
        for name, z in present.items():
            zo = float(z[o]) if not np.isnan(z[o]) else 0.0
            fw = field_weights[name] / total_weight if total_weight else 0.0
            blended += fw * zo
            no_data = name == "riasec" and bool(np.isnan(finder._riasec[o]).any())
            parts.append(ScorePart(
                _FIELD_LABELS.get(name, name), "match", share * fw * zo / ranked.scale,
                f"{_NO_DATA}: the occupation has no interest (RIASEC) data, so it counts as "
                f"the average occupation, {fw:.0%} of the match" if no_data else
                f"{zo:+.2f} SD from the average occupation, {fw:.0%} of the match"))
        match = float(scores.match[i, o])
        if abs(match - blended) > 1e-6:
            parts.append(ScorePart(
                "avoided topics", "match", share * (match - blended) / ranked.scale,
                "closeness to what you said you'd rather avoid"))
        parts.append(ScorePart(
            "your median occupation", "adjustment", -share * ranked.median / ranked.scale,
            "the match counts from your median occupation (0) to your best one (1)"))
        so_far = sum(p.contribution for p in parts)
        floor = share * float(ranked.match01[o]) - so_far
        if abs(floor) > 1e-6:
            parts.append(ScorePart("floor at 0", "adjustment", floor,
                                   "a match below your median occupation counts as 0"))
    if ranked.weights and ranked.standing is not None:
        lam = ranked.value_weight
        for vc in finder._contributions(o, ranked.standing, ranked.weights):
            used = 0.5 if vc.score is None else float(
                ranked.standing[o, list(ranked.weights).index(vc.value)])
            parts.append(ScorePart(f"value: {vc.value}", "value",
                                   lam * float(ranked.weights[vc.value]) * used, vc.detail))
    return parts


def _rank(key: np.ndarray, priority: np.ndarray, o: int, among: np.ndarray | None = None
          ) -> int:
    """1 + how many come before ``o``: a higher key, or the same key and a tie priority
    before it (passionfinder/_ranking.py)."""
    before = (key > key[o]) | ((key == key[o]) & (priority < priority[o]))
    if among is not None:
        before &= among
    return 1 + int(before.sum())


def build_explanation(finder: PassionFinder, o: int, ranked: _Ranked, top: Sequence[int],
                      k: int, spread: float, scores: _Scores, enc: _Encoded, passing: Screen,
                      feedback: Feedback, evidence: Sequence[Evidence]) -> Explanation:
    """The explanation of catalog row ``o`` for the one person of ``scores``."""
    i = 0
    key = rounded(ranked.order_key)
    priority = finder._tie_priority
    candidate = bool(ranked.candidates[o])
    candidate_rank = _rank(key, priority, o, ranked.candidates) if candidate else None
    list_rank = top.index(o) + 1 if o in top else None
    parts = score_parts(finder, o, ranked, scores, i)
    contributions = finder._contributions(o, ranked.standing, ranked.weights)
    held: list[HeldBack] = []
    for reason in passing.why_not(o):
        held.append(HeldBack("constraint", reason))
    if o in feedback.disliked:
        held.append(HeldBack("disliked", "you disliked it, so it is left out"))
    last = top[-1] if top else None
    if last is not None and list_rank is None and candidate:
        theirs = {p.name: p for p in score_parts(finder, last, ranked, scores, i)}
        title = finder._titles[last]
        for part in parts:
            other = theirs.get(part.name)
            if part.kind == "match" and other is not None and not part.detail.startswith(
                    _NO_DATA) and part.contribution < other.contribution - 1e-6:
                held.append(HeldBack("weak match", (
                    f"{part.name} adds {part.contribution:+.3f}, against "
                    f"{other.contribution:+.3f} for {title}, the last in the list "
                    f"(#{len(top)})")))
    if ranked.has_match and float(ranked.match01[o]) == 0.0:
        held.append(HeldBack("weak match", "its match is at or below your median occupation, "
                                           "so the match adds nothing"))
    for vc in contributions:
        if vc.score is not None and vc.score < 0.5:
            held.append(HeldBack("value", f"{vc.value} (weight {vc.weight:.0%}): {vc.detail}"))
    avoided = next((p for p in parts if p.name == "avoided topics"), None)
    if avoided is not None and avoided.contribution < 0:
        held.append(HeldBack("avoided", f"it is close to what you'd rather avoid "
                                        f"({', '.join(enc.readings[i].avoided)}): "
                                        f"{avoided.contribution:+.3f}"))
    if finder._catch_all[o]:
        from ._finder import CATCH_ALL_PENALTY

        held.append(HeldBack("catch-all", f"an \"All Other\" group, which names no one job: "
                                          f"placed {CATCH_ALL_PENALTY} lower in the ranking"))
    if candidate and list_rank is None and candidate_rank is not None and (
            candidate_rank <= min(k, int(ranked.candidates.sum()))) and spread > 0 and top:
        sims = finder._occupation_similarity[o, list(top)]
        j = int(np.argmax(sims))
        held.append(HeldBack("diversity", (
            f"by score alone it would be {_ordinal(candidate_rank)}, but the diversity step "
            f"keeps near-duplicates apart: it is much like {finder._titles[top[j]]} "
            f"(similarity {float(sims[j]):.2f}), already in the list")))
    field_scores = {name: round(float(z[i, o]), 4) for name, z in scores.fields.items()
                    if not np.isnan(z[i, o])}
    return Explanation(
        onet_soc_code=str(finder._codes[o]), title=str(finder._titles[o]),
        job_family=finder._family_names[o], score=round(float(ranked.final[o]), 6),
        match_score=round(float(ranked.match01[o]), 6) if ranked.has_match else 0.0,
        value_score=None if ranked.value_score is None else round(
            float(ranked.value_score[o]), 6),
        rank=_rank(key, priority, o), occupations=len(key), candidate_rank=candidate_rank,
        candidates=int(ranked.candidates.sum()), list_rank=list_rank, k=k,
        cutoff=None if last is None else round(float(ranked.final[last]), 6),
        parts=tuple(ScorePart(p.name, p.kind, round(p.contribution, 6), p.detail)
                    for p in parts),
        field_scores=field_scores, values=contributions, evidence=tuple(evidence),
        held_back=tuple(held), attribution=finder.catalog.attribution)
