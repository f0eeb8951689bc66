"""Results: frozen records of recommendations and classifications, with table, dict and HTML views.

The only module that knows about presentation; everything it shows is escaped.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, overload

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ._constraints import Constraints
    from ._profile import Profile
    from ._steps import StarterStep

__all__ = ["Classification", "Evidence", "OccupationMatch", "Recommendation", "Recommendations",
           "ValueContribution"]


@dataclass(frozen=True)
class Evidence:
    """Why an occupation matched one part of the profile.

    ``field`` is the profile field ('interests' or 'strengths'); ``kind`` says what of the
    occupation matched ('task', 'title', 'description', 'skill', 'knowledge', 'work style');
    ``text`` is that catalog text, ``query`` the person's words it matched, ``similarity``
    their cosine similarity.
    """

    field: str
    kind: str
    text: str
    query: str
    similarity: float

    def line(self) -> str:
        """The evidence as the text reports write it."""
        return f"your {self.field} ~ {self.kind}: \"{self.text}\" ({self.similarity:.2f})"


@dataclass(frozen=True)
class ValueContribution:
    """How one of the person's values is served by the occupation.

    ``score`` is the occupation's standing on the value, the share of occupations it ranks
    above (0-1), or None with no data (then 0.5, neutral, is used in the value score).
    ``contribution`` = ``weight`` x score used.
    """

    value: str
    weight: float
    score: float | None
    contribution: float
    detail: str


@dataclass(frozen=True)
class Recommendation:
    """One suggested occupation for one profile.

    ``score`` = (1 - value_weight) x ``match_score`` + value_weight x ``value_score`` (see
    docs/matching.md); ``field_scores`` holds the per-field match in standard deviations above
    the average occupation.
    """

    rank: int
    onet_soc_code: str
    title: str
    score: float
    match_score: float
    value_score: float | None
    job_family: str | None
    field_scores: Mapping[str, float] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    values: tuple[ValueContribution, ...] = ()
    starter_steps: tuple[StarterStep, ...] = ()

    def __repr__(self) -> str:
        return (f"<Recommendation #{self.rank} {self.onet_soc_code} {self.title!r} "
                f"score={self.score:.3f}>")

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-ready)."""
        data = asdict(self)
        data["field_scores"] = dict(self.field_scores)
        return data

    def plot(self) -> Figure:
        """The person's RIASEC profile against this occupation's, and the value breakdown
        (matplotlib; ``pip install 'passionfinder[plot]'``)."""
        parent: Recommendations | None = getattr(self, "_parent", None)
        if parent is None:
            raise ValueError("Recommendation.plot() needs the Recommendations it came from; "
                             "this record was built by hand.")
        from ._plots import plot_recommendation

        return plot_recommendation(self, parent,
                                   parent.occupation_riasec.get(self.onet_soc_code))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


class Recommendations(Sequence[Recommendation]):
    """The ranked recommendations for one profile.

    A sequence of :class:`Recommendation`, plus what was inferred about the person:
    ``riasec`` (their RIASEC interest profile, 0-1 per type), ``value_weights`` (the values
    used, summing to 1), ``value_mapping`` (for free-text values, the vocabulary entries
    matched and their similarity) and ``avoided`` (what their interests and strengths say
    they would rather avoid, e.g. ``('math',)`` for "I don't like math"; it counts against
    the occupations close to it).

    Steering (docs/steering.md): ``constraints`` (the :class:`Constraints` applied, or None),
    ``candidates`` (how many occupations were ranked: those passing the constraints, less
    the disliked ones), ``excluded_no_data`` (per filtered field, how many occupations were
    left out for having no data on it, e.g. ``{"wage_median": 31}``), and ``liked`` /
    ``disliked`` (the feedback codes used).
    """

    def __init__(self, items: Sequence[Recommendation], *, profile: Profile,
                 riasec: Mapping[str, float] | None, value_weights: Mapping[str, float],
                 value_mapping: Sequence[tuple[str, float]] = (), value_weight: float = 0.0,
                 attribution: str = "", release: str = "",
                 occupation_riasec: Mapping[str, Mapping[str, float | None]] | None = None,
                 avoided: Sequence[str] = (), constraints: Constraints | None = None,
                 candidates: int | None = None,
                 excluded_no_data: Mapping[str, int] | None = None,
                 liked: Sequence[str] = (), disliked: Sequence[str] = ()) -> None:
        self._items = tuple(items)
        for item in self._items:  # so that rec.plot() finds the person's profile
            object.__setattr__(item, "_parent", self)
        #: each recommended occupation's O*NET interest scores (1-7, None when missing)
        self.occupation_riasec = dict(occupation_riasec or {})
        self.profile = profile
        self.riasec = dict(riasec) if riasec is not None else None
        self.value_weights = dict(value_weights)
        self.value_mapping = tuple(value_mapping)
        self.avoided = tuple(avoided)
        self.value_weight = value_weight
        self.attribution = attribution
        self.release = release
        self.constraints = constraints
        self.candidates = candidates
        self.excluded_no_data = dict(excluded_no_data or {})
        self.liked = tuple(liked)
        self.disliked = tuple(disliked)

    @overload
    def __getitem__(self, index: int) -> Recommendation: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Recommendation]: ...

    def __getitem__(self, index: int | slice) -> Recommendation | Sequence[Recommendation]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Recommendation]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Recommendations):
            return NotImplemented
        return self._items == other._items and self.profile == other.profile

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        top = ", ".join(r.title for r in self._items[:3])
        more = f", … (+{len(self) - 3})" if len(self) > 3 else ""
        return f"<Recommendations [{len(self)}]: {top}{more}>"

    @property
    def holland_code(self) -> str | None:
        """The person's top three RIASEC letters, strongest first."""
        if not self.riasec:
            return None
        ranked = sorted(self.riasec.items(), key=lambda kv: -kv[1])
        return "".join(name[0] for name, _ in ranked[:3])

    def to_frame(self) -> pd.DataFrame:
        """One row per recommendation: rank, code, title, scores, best evidence, values and
        the first starter step."""
        import pandas as pd

        rows = []
        for rec in self._items:
            row: dict[str, Any] = {
                "rank": rec.rank, "onet_soc_code": rec.onet_soc_code, "title": rec.title,
                "job_family": rec.job_family, "score": rec.score,
                "match_score": rec.match_score, "value_score": rec.value_score,
            }
            for name, value in rec.field_scores.items():
                row[f"{name}_score"] = value
            for ev in rec.evidence:
                row.setdefault(f"{ev.field}_evidence", ev.text)
            for vc in rec.values:
                row[f"value:{vc.value}"] = vc.score
            row["first_step"] = rec.starter_steps[0].text if rec.starter_steps else None
            rows.append(row)
        return pd.DataFrame(rows).set_index("rank") if rows else pd.DataFrame()

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form (JSON-ready) of the profile, inferences and recommendations."""
        return {
            "profile": self.profile.to_dict(),
            "riasec": self.riasec,
            "holland_code": self.holland_code,
            "value_weights": self.value_weights,
            "value_mapping": [list(m) for m in self.value_mapping],
            "value_weight": self.value_weight,
            "avoided": list(self.avoided),
            "constraints": None if self.constraints is None else self.constraints.to_dict(),
            "candidates": self.candidates,
            "excluded_no_data": dict(self.excluded_no_data),
            "liked": list(self.liked),
            "disliked": list(self.disliked),
            "recommendations": [r.to_dict() for r in self._items],
            "release": self.release,
            "attribution": self.attribution,
        }

    def plot(self, k: int | None = None) -> Figure:
        """An overview figure: each role's score split into match and values, and the
        person's RIASEC profile (matplotlib; ``pip install 'passionfinder[plot]'``)."""
        from ._plots import plot_recommendations

        return plot_recommendations(self, self.occupation_riasec, k=k)

    def _profile_lines(self) -> list[str]:
        lines = []
        if self.riasec:
            shares = sorted(self.riasec.items(), key=lambda kv: -kv[1])[:3]
            lines.append(f"Interest profile (Holland code) {self.holland_code}: "
                         + ", ".join(f"{name} {share:.0%}" for name, share in shares))
        if self.value_weights:
            lines.append("Values: " + ", ".join(f"{name} {weight:.0%}"
                                                for name, weight in self.value_weights.items()))
        if self.value_mapping:
            lines.append("Values as understood from your words: "
                         + "; ".join(self._mapping_line(text, sim)
                                     for text, sim in self.value_mapping))
        if self.avoided:
            lines.append("You said you'd rather avoid (counted against close occupations): "
                         + "; ".join(self.avoided))
        if self.constraints:
            lines.append(f"Only occupations with {'; '.join(self.constraints.describe())}: "
                         f"{self.candidates:,} considered" + "".join(
                             f"; {n:,} left out for no data on {name.replace('_', ' ')}"
                             for name, n in self.excluded_no_data.items() if n))
        if self.liked or self.disliked:
            lines.append("Feedback: more like " + (", ".join(self.liked) or "–")
                         + "; less like " + (", ".join(self.disliked) or "–"))
        return lines

    def _mapping_line(self, text: str, similarity: float) -> str:
        """'clause -> value (0.62)', marked when the value was too weak a match to be used."""
        value = text.rsplit(" -> ", 1)[-1]
        used = "" if value in self.value_weights else ", too weak a match, not used"
        return f"{text} ({similarity:.2f}{used})"

    def report(self, width: int = 88) -> str:
        """A readable plain-text report: for each role, why it fits, how it serves the
        person's values and the starter steps; then the attribution.

        Examples
        --------
        >>> print(finder.recommend(profile, k=3).report())  # doctest: +SKIP
        """
        wrap = textwrap.TextWrapper(width=width, subsequent_indent="      ")
        out = self._profile_lines()
        for rec in self._items:
            values = "" if rec.value_score is None else f", values {rec.value_score:.2f}"
            out.append("")
            out.append(f"{rec.rank}. {rec.title} ({rec.onet_soc_code}) — score {rec.score:.2f} "
                       f"(match {rec.match_score:.2f}{values})")
            if rec.evidence:
                out.append("   Why it fits:")
                for ev in rec.evidence:
                    out.append(wrap.fill(f"    - {ev.line()}"))
            if rec.starter_steps:
                out.append("   Starter steps:")
                for step in rec.starter_steps:
                    out.append(wrap.fill(f"    - {step.kind.capitalize()}: {step.text}"))
        out.append("")
        # the attribution ends with the data source, maybe a path: never break inside a word
        out.append(textwrap.fill(self.attribution, width=width, break_on_hyphens=False,
                                 break_long_words=False))
        return "\n".join(out)

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{h}</th>" for h in
                       ("#", "occupation", "score", "match", "values", "why", "starter steps"))
        body = []
        for rec in self._items:
            why = "<br>".join(f"{esc(ev.field)}: {esc(ev.kind)} “{esc(ev.text)}” "
                              f"({ev.similarity:.2f})" for ev in rec.evidence[:2])
            steps = "".join(f"<li><b>{esc(step.kind)}</b>: {esc(step.text)}</li>"
                            for step in rec.starter_steps)
            steps_html = (f"<details><summary>{len(rec.starter_steps)} steps</summary>"
                          f"<ul>{steps}</ul></details>") if steps else ""
            body.append(
                f"<tr><td>{rec.rank}</td><td><b>{esc(rec.title)}</b><br>"
                f"<small>{esc(rec.onet_soc_code)}</small></td><td>{rec.score:.3f}</td>"
                f"<td>{rec.match_score:.3f}</td><td>{_fmt(rec.value_score)}</td>"
                f"<td><small>{why}</small></td><td><small>{steps_html}</small></td></tr>")
        extra = "".join(f"<p>{esc(line)}</p>" for line in self._profile_lines())
        return (f"<div>{extra}<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}"
                f"</tbody></table><p><small>{esc(self.attribution)}</small></p></div>")


@dataclass(frozen=True)
class OccupationMatch:
    """One candidate occupation for a classified text."""

    onet_soc_code: str
    title: str
    score: float
    matched: str  # the catalog text (title or task) that matched best
    #: Calibrated probability that this is the text's occupation (temperature-scaled softmax of
    #: the scores over all occupations; see docs/matching.md).
    confidence: float = float("nan")


@dataclass(frozen=True)
class Classification:
    """The occupations a free-text job title or activity most likely belongs to."""

    query: str
    matches: tuple[OccupationMatch, ...]
    #: False when the best match's confidence is below the ``min_confidence`` asked for: the
    #: text is too vague to code (the matches are kept, for a person to choose from).
    codable: bool = True

    def __post_init__(self) -> None:
        # The text as given, except lone surrogates (no encoder, file or table takes them),
        # which become U+FFFD, the replacement character.
        object.__setattr__(self, "query", _LONE_SURROGATE.sub("\ufffd", self.query))

    @property
    def best(self) -> OccupationMatch | None:
        """The top match, or None when nothing could be matched."""
        return self.matches[0] if self.matches else None

    @property
    def confidence(self) -> float:
        """The best match's calibrated confidence (0.0 when nothing could be matched)."""
        return self.matches[0].confidence if self.matches else 0.0

    def __repr__(self) -> str:
        best = self.best
        shown = f"{best.onet_soc_code} {best.title!r}" if best else "no match"
        if best and not self.codable:
            shown += " (not codable)"
        return f"<Classification {self.query[:40]!r} -> {shown}>"

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate: rank, code, title, score, matched text, confidence, and
        whether the text counts as codable."""
        import pandas as pd

        columns = ["rank", "query", "onet_soc_code", "title", "score", "matched", "confidence",
                   "codable"]
        return pd.DataFrame(  # the columns are given so that no match gives an empty table
            [{"rank": i + 1, "query": self.query, **asdict(m), "codable": self.codable}
             for i, m in enumerate(self.matches)], columns=columns).set_index("rank")
