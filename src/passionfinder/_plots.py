"""Pictures of recommendations: one occupation against the person, and an overview of all of them.

Needs matplotlib (the ``plot`` extra); figures are built without pyplot, so nothing global is touched.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ._results import Recommendation, Recommendations

__all__ = ["plot_recommendation", "plot_recommendations"]

#: The six RIASEC types in O*NET order (the keys of ``Recommendations.riasec``).
_RIASEC = ("Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional")
#: Colour-blind-safe colours (Okabe-Ito).
_PERSON = "#0072B2"  # blue
_OCCUPATION = "#E69F00"  # orange
_VALUES = "#009E73"  # green
_NEGATIVE = "#D55E00"  # vermillion
_TRACK = "#E6E6E6"
_NOTE = "#555555"
_WIDTH = 11.0  # inches
_ATTRIBUTION_SIZE = 6.5  # points
_NO_DATA = "no data"
#: Words not to end a shortened title on ("Painters, Sculptors, and…").
_DANGLING = frozenset({"and", "or", "of", "the", "a", "an", "in", "for", "to", "with", "including",
                       "except", "other", "&"})


def _require_matplotlib() -> None:
    """Import matplotlib or fail with the command that installs it."""
    try:
        import matplotlib
        import matplotlib.figure  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "Plotting needs matplotlib, which is not installed. Install it with:\n"
            "pip install 'passionfinder[plot]'") from exc


def _number(value: Any) -> float | None:
    """``value`` as a finite float, or None when it is missing (None, NaN or not a number)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _riasec_values(scores: Mapping[str, Any] | None) -> list[float | None] | None:
    """The six RIASEC entries of ``scores`` in O*NET order (keys in any case); None if all missing."""
    if scores is None:  # not `not scores`: a pandas Series has no truth value
        return None
    folded = {str(key).lower(): value for key, value in scores.items()}
    values = [_number(folded.get(name.lower())) for name in _RIASEC]
    return None if all(v is None for v in values) else values


def _occupation_shares(scores: Mapping[str, Any] | None) -> list[float | None] | None:
    """O*NET interest scores (1-7) as shares of the profile: ``score - 1`` over their sum.

    Missing types stay None; the shares of the types present sum to 1.
    """
    values = _riasec_values(scores)
    if values is None:
        return None
    shifted = [None if v is None else max(v - 1.0, 0.0) for v in values]
    present = [v for v in shifted if v is not None]
    total = sum(present)
    if total <= 0:
        return [None if v is None else 1.0 / len(present) for v in shifted]
    return [None if v is None else v / total for v in shifted]


def _person_shares(riasec: Mapping[str, Any] | None) -> list[float] | None:
    """The person's RIASEC shares in O*NET order, or None when there is no complete profile."""
    values = _riasec_values(riasec)
    if values is None or any(v is None for v in values):
        return None
    total = sum(v for v in values if v is not None)
    return [v / total if total > 0 else 1.0 / 6 for v in values if v is not None]


def _correlation(a: Sequence[float | None], b: Sequence[float | None]) -> float | None:
    """Pearson correlation of two complete six-type profiles, or None."""
    if any(v is None for v in a) or any(v is None for v in b):
        return None
    x = [float(v) for v in a if v is not None]
    y = [float(v) for v in b if v is not None]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((p - mx) * (q - my) for p, q in zip(x, y, strict=True))
    sxx = sum((p - mx) ** 2 for p in x)
    syy = sum((q - my) ** 2 for q in y)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _shorten(text: str, width: int) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with an ellipsis."""
    if len(text) <= width:
        return text
    words = text[:width - 1].split(" ")
    if len(words) > 1 and text[width - 1] != " ":
        words = words[:-1]  # the last word was cut
    while len(words) > 1 and words[-1].lower().strip(",;:") in _DANGLING:
        words = words[:-1]
    return " ".join(words).rstrip(" ,;:-(") + "…"


def _new_figure(height: float, attribution: str) -> tuple[Figure, str]:
    """A pyplot-free figure with constrained layout and room at the bottom for the attribution."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(_WIDTH, height), layout="constrained")
    text = _wrap_attribution(attribution)
    if text:
        lines = text.count("\n") + 1
        bottom = (lines * _ATTRIBUTION_SIZE * 1.35 + 8) / (height * 72)
        fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))  # type: ignore[call-arg, union-attr]
    return fig, text


def _wrap_attribution(attribution: str) -> str:
    return "\n".join(textwrap.wrap(attribution, 190)) if attribution else ""


def _add_attribution(fig: Figure, text: str) -> None:
    """The O*NET attribution in small grey text across the bottom of the figure."""
    if text:
        fig.text(0.5, 0.006, text, ha="center", va="bottom", fontsize=_ATTRIBUTION_SIZE,
                 color=_NOTE, wrap=False)


def _root_figure(ax: Axes) -> Figure:
    from matplotlib.figure import Figure

    fig: Any = ax.figure
    while not isinstance(fig, Figure):  # an Axes in a SubFigure
        fig = fig.figure
    return fig


def _two_axes(ax: Axes | Sequence[Axes]) -> tuple[Axes, Axes]:
    """Two panels from the caller's ``ax``: a pair as given, or one Axes split in two."""
    from matplotlib.axes import Axes

    if isinstance(ax, Axes):
        spec = ax.get_subplotspec()
        if spec is None:
            raise ValueError("plot_recommendation needs an Axes made by add_subplot or subplots "
                             "(it splits its grid cell in two), or a pair of Axes. Got an Axes "
                             "placed with add_axes instead.")
        parent: Any = ax.figure
        grid = spec.subgridspec(1, 2, width_ratios=[1, 1.15])
        ax.remove()
        return parent.add_subplot(grid[0]), parent.add_subplot(grid[1])
    pair = list(ax)
    if len(pair) != 2 or not all(isinstance(a, Axes) for a in pair):
        raise ValueError("plot_recommendation draws two panels: pass ax as one Axes (split in "
                         f"two) or a pair of Axes. Got {len(pair)} item(s) instead.")
    return pair[0], pair[1]


def _note(ax: Axes, text: str, y: float = 0.5) -> None:
    """A grey explanatory note in the middle of a panel."""
    ax.text(0.5, y, text, transform=ax.transAxes, ha="center", va="center", fontsize=9,
            color=_NOTE, style="italic", wrap=True,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#BBBBBB",
                  "alpha": 0.9})


def _riasec_bars(ax: Axes, person: Sequence[float] | None,
                 occupation: Sequence[float | None] | None, occupation_label: str,
                 person_note: str, occupation_note: str, *, short: bool = False) -> None:
    """Grouped bars of the person's and an occupation's RIASEC shares (either may be None).

    ``short``: a narrow panel, with letters for ticks and the note at the top (the caller adds
    the legend below the panel).
    """
    n = len(_RIASEC)
    width = 0.38 if person is not None and occupation is not None else 0.6
    offset = width / 2 if person is not None and occupation is not None else 0.0
    top = 0.0
    if person is not None:
        ax.bar([i - offset for i in range(n)], person, width, color=_PERSON, label="you")
        top = max(top, *person)
    if occupation is not None:
        heights = [0.0 if v is None else v for v in occupation]
        ax.bar([i + offset for i in range(n)], heights, width, color=_OCCUPATION,
               label=occupation_label)
        for i, v in enumerate(occupation):
            if v is None:
                ax.text(i + offset, 0.01, _NO_DATA, rotation=90, ha="center", va="bottom",
                        fontsize=7, color=_NOTE)
        top = max(top, *heights)
    ax.set_xticks(range(n))
    if short:
        ax.set_xticklabels([name[0] for name in _RIASEC])
    else:
        ax.set_xticklabels(_RIASEC, rotation=30, ha="right", rotation_mode="anchor")
    notes = [t for t, missing in ((person_note, person is None),
                                  (occupation_note, occupation is None)) if missing and t]
    # headroom for the legend, and for the note when one side is missing
    ax.set_ylim(0, max(top, 0.05) * (1.7 if notes else 1.3) if top > 0 else 1.0)
    ax.grid(axis="y", color=_TRACK, linewidth=0.8)
    ax.set_axisbelow(True)
    if short:
        if notes:
            _note(ax, "\n".join(textwrap.fill(t, 24) for t in notes), y=0.84)
        return
    if person is not None or occupation is not None:
        ax.legend(loc="upper right", fontsize=8, frameon=False)
    if notes:
        _note(ax, "\n".join(notes), y=0.62 if top > 0 else 0.5)


def _detail(detail: str) -> str:
    """The facts in a value's ``detail`` without the 'ranks above N%' that the bar shows."""
    parts = [p.strip() for p in detail.split(";")]
    kept = [p for p in parts if p and not p.startswith("ranks above")]
    return _shorten("; ".join(kept), 80)


def _value_panel(ax: Axes, rec: Recommendation) -> None:
    """Horizontal bars: the occupation's standing (0-1) on each of the person's values."""
    values = rec.values
    y = list(range(len(values)))
    ax.barh(y, [1.0] * len(values), height=0.5, color=_TRACK)
    standings = [0.0 if vc.score is None else float(vc.score) for vc in values]
    ax.barh(y, standings, height=0.5, color=_VALUES)
    for i, vc in enumerate(values):
        detail = _detail(vc.detail)
        if detail:
            ax.text(0.005, i + 0.3, detail, va="top", ha="left", fontsize=7, color=_NOTE, zorder=3,
                    bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none",
                          "alpha": 0.85})
        if vc.score is None:
            ax.text(0.02, i, _NO_DATA + " (counted as 0.5)", va="center", ha="left", fontsize=8,
                    color=_NOTE, style="italic")
        elif vc.score > 0.85:
            ax.text(vc.score - 0.015, i, f"{vc.score:.0%}", va="center", ha="right", fontsize=8,
                    color="white", fontweight="bold")
        else:
            ax.text(vc.score + 0.015, i, f"{vc.score:.0%}", va="center", ha="left", fontsize=8)
    ax.axvline(0.5, color=_NOTE, linestyle="--", linewidth=0.8, zorder=1.5)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{_shorten(vc.value, 28)}\nweight {vc.weight:.0%}" for vc in values],
                       fontsize=9)
    ax.set_ylim(len(values) - 0.35, -0.5 - (0.3 if len(values) < 3 else 0.0))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel("standing: share of occupations it ranks above (dashed: median)")
    ax.set_title("Your values: where this occupation stands", fontsize=10)


def _field_panel(ax: Axes, rec: Recommendation) -> None:
    """Horizontal bars of the per-field match (z-scores), when the person gave no values."""
    fields = list(rec.field_scores.items())
    ax.set_title("Match by field (no values given)", fontsize=10)
    if not fields:
        ax.set_xticks([])
        ax.set_yticks([])
        _note(ax, f"{_NO_DATA}: no values and no field scores")
        return
    y = list(range(len(fields)))
    z = [_number(v) for _, v in fields]
    widths = [0.0 if v is None else v for v in z]
    ax.barh(y, widths, height=0.6, color=[_PERSON if v >= 0 else _NEGATIVE for v in widths])
    low, high = min(0.0, *widths), max(0.0, *widths)
    pad = max(high - low, 1.0) * 0.12
    for i, v in enumerate(z):
        if v is None:
            ax.text(0, i, " " + _NO_DATA, va="center", ha="left", fontsize=8, color=_NOTE,
                    style="italic")
        else:
            ax.text(v + (pad / 4 if v >= 0 else -pad / 4), i, f"{v:+.1f}", va="center",
                    ha="left" if v >= 0 else "right", fontsize=8)
    ax.axvline(0, color=_NOTE, linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([name for name, _ in fields], fontsize=9)
    ax.set_ylim(len(fields) - 0.5, -0.5)
    ax.set_xlim(low - pad, high + pad)
    ax.set_xlabel("match, in standard deviations above the average occupation")


def _score_line(rec: Recommendation, value_weight: float) -> str:
    if rec.value_score is None:
        return f"score {rec.score:.2f} (interest match; no values given)"
    if value_weight >= 1:
        return f"score {rec.score:.2f} (values only; no interests or strengths given)"
    return (f"score {rec.score:.2f} = {1 - value_weight:.2f} × match {rec.match_score:.2f} "
            f"+ {value_weight:.2f} × values {rec.value_score:.2f}")


def plot_recommendation(rec: Recommendation, recs: Recommendations,
                        occupation_riasec: Mapping[str, float | None] | None,
                        ax: Axes | Sequence[Axes] | None = None) -> Figure:
    """Draw how one recommended occupation fits the person: interests and values.

    Two panels. Left: the person's RIASEC interest profile (``recs.riasec``) beside the
    occupation's, both as shares of the profile so that they are comparable (the O*NET scores,
    1-7, are shifted to 0-6 and divided by their sum). Right: the occupation's standing on each
    of the person's values, with the person's weight on each; when the person gave no values,
    the per-field match (``rec.field_scores``) instead. Missing data is shown as a note, not an
    error. The O*NET attribution (``recs.attribution``) is printed at the bottom.

    Parameters
    ----------
    rec : Recommendation
        The occupation to draw, usually one of ``recs``.
    recs : Recommendations
        The recommendations ``rec`` came from; supplies the person's profile, the value weight
        and the attribution.
    occupation_riasec : mapping of str to float or None, or None
        The occupation's six O*NET interest scores (1-7), keyed by RIASEC type name in any case
        (``"Realistic"`` or ``"realistic"``); None or NaN for missing, or None when the
        occupation has no interest data. For example
        ``finder.catalog.occupations.loc[code, ["realistic", ..., "conventional"]]``.
    ax : Axes or pair of Axes, optional
        Where to draw: one Axes made with ``add_subplot``/``subplots`` (its grid cell is split
        in two) or a pair of Axes. By default a new figure is made.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on. A new figure is not registered with pyplot: save it with
        ``fig.savefig(...)``, or display it in a notebook.

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install 'passionfinder[plot]'``).
    ValueError
        If ``ax`` is neither a subplot nor a pair of Axes.
    """
    _require_matplotlib()
    height = max(4.6, 2.6 + 0.55 * len(rec.values))
    if ax is None:
        fig, attribution = _new_figure(height, recs.attribution)
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.15])
    else:
        left, right = _two_axes(ax)
        fig, attribution = _root_figure(left), _wrap_attribution(recs.attribution)

    person = _person_shares(recs.riasec)
    occupation = _occupation_shares(occupation_riasec)
    _riasec_bars(left, person, occupation, "this occupation",
                 f"{_NO_DATA}: no interest profile for you (no interests given)",
                 f"{_NO_DATA}: no O*NET interest scores for this occupation")
    left.set_ylabel("share of interest profile\n(each sums to 1; O*NET 1–7 scores shifted to 0–6)",
                    fontsize=9)
    title = "Interests (RIASEC): you vs. this occupation"
    r = _correlation(person or [None], occupation or [None]) if person and occupation else None
    left.set_title(title if r is None else f"{title}\nprofile correlation r = {r:+.2f}",
                   fontsize=10)

    if rec.values:
        _value_panel(right, rec)
    else:
        _field_panel(right, rec)

    heading = "\n".join(textwrap.wrap(f"#{rec.rank}  {rec.title} ({rec.onet_soc_code})", 90))
    fig.suptitle(f"{heading}\n{_score_line(rec, recs.value_weight)}", fontsize=12)
    _add_attribution(fig, attribution)
    return fig


def plot_recommendations(recs: Recommendations,
                         riasec_by_code: Mapping[str, Mapping[str, float | None]],
                         k: int | None = None) -> Figure:
    """Draw an overview of the recommendations: their scores, and the person's interests.

    Left: one horizontal bar per recommendation, best at the top, stacked from its two parts,
    ``(1 - value_weight) x match_score`` and ``value_weight x value_score`` (``recs.value_weight``);
    when a recommendation has no value score the bar is the match alone. Right: the person's
    RIASEC profile (``recs.riasec``) with, as markers, the mean profile of the occupations
    shown. The O*NET attribution is printed at the bottom.

    Parameters
    ----------
    recs : Recommendations
        The recommendations to draw.
    riasec_by_code : mapping of str to mapping
        O*NET-SOC code -> the occupation's six O*NET interest scores (1-7), keyed by RIASEC
        type name in any case; codes that are absent, or scores that are None or NaN, count
        as missing. For example ``occupations[["realistic", ..., "conventional"]].to_dict("index")``.
    k : int, optional
        Draw only the first ``k`` recommendations (default: all).

    Returns
    -------
    matplotlib.figure.Figure
        A new figure, not registered with pyplot: save it with ``fig.savefig(...)``, or
        display it in a notebook.

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install 'passionfinder[plot]'``).
    ValueError
        If ``k`` is smaller than 1.
    """
    _require_matplotlib()
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1 (the number of recommendations to draw). Got {k}.")
    items = list(recs)[:k] if k is not None else list(recs)
    n = len(items)
    fig, attribution = _new_figure(max(4.2, 2.2 + 0.42 * n), recs.attribution)
    bars, profile = fig.subplots(1, 2, width_ratios=[3, 1])

    lam = recs.value_weight
    y = list(range(n))
    match_part = [rec.match_score if rec.value_score is None else (1 - lam) * rec.match_score
                  for rec in items]
    value_part = [0.0 if rec.value_score is None else lam * rec.value_score for rec in items]
    if n:
        if lam < 1:
            bars.barh(y, match_part, height=0.65, color=_PERSON,
                      label=f"interest match × {1 - lam:.2f}" if lam else "interest match")
        if any(rec.value_score is not None for rec in items):
            bars.barh(y, value_part, left=match_part, height=0.65, color=_VALUES,
                      label=f"values × {lam:.2f}" if lam < 1 else "values")
        for i, rec in enumerate(items):
            bars.text(match_part[i] + value_part[i] + 0.01, i, f"{rec.score:.2f}", va="center",
                      ha="left", fontsize=8)
        bars.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, fontsize=8,
                    frameon=False, borderaxespad=0.2)
    else:
        _note(bars, "no recommendations")
    bars.set_yticks(y)
    bars.set_yticklabels([f"{rec.rank}. {_shorten(rec.title, 50)}" for rec in items], fontsize=9)
    bars.set_ylim(max(n, 1) - 0.5, -0.5)
    bars.set_xlim(0, 1.08)
    bars.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    bars.set_xlabel("score (0–1)")
    bars.grid(axis="x", color=_TRACK, linewidth=0.8)
    bars.set_axisbelow(True)

    person = _person_shares(recs.riasec)
    shares = [_occupation_shares(riasec_by_code.get(rec.onet_soc_code)) for rec in items]
    mean: list[float | None] | None = None
    columns: list[list[float]] = [[v for s in shares if s is not None and (v := s[t]) is not None]
                                  for t in range(6)]
    if any(columns):
        mean = [sum(c) / len(c) if c else None for c in columns]
    _riasec_bars(profile, person, None, "", f"{_NO_DATA}: no interest profile (no interests given)",
                 "", short=True)
    if mean is not None:
        xs = [i for i, v in enumerate(mean) if v is not None]
        profile.plot(xs, [mean[i] for i in xs], linestyle="none", marker="D", markersize=6,
                     color=_OCCUPATION, markeredgecolor="black", markeredgewidth=0.6,
                     label="these occupations (mean)")
        tops = [*(person or []), *(v for v in mean if v is not None)]
        profile.set_ylim(0, max(tops) * (1.7 if person is None else 1.15))
    if person is not None or mean is not None:
        handles, labels = profile.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda j: labels[j] != "you")
        profile.legend([handles[j] for j in order], [labels[j] for j in order], loc="upper center",
                       bbox_to_anchor=(0.5, -0.08), fontsize=7, frameon=False)
    code = recs.holland_code
    profile.set_title("Your interests (RIASEC)" if code is None else
                      f"Your interests (RIASEC)\nHolland code {code}", fontsize=10)
    profile.set_ylabel("share of interest profile (sums to 1)", fontsize=8)

    shown = f"top {n}" if n < len(recs) else f"all {n}"
    fig.suptitle(f"Recommended occupations ({shown})", fontsize=12)
    _add_attribution(fig, attribution)
    return fig
