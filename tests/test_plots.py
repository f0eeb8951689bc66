"""The matplotlib pictures (passionfinder._plots) on hand-built records: no data, no model."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from passionfinder import Profile, Recommendation, Recommendations, ValueContribution  # noqa: E402
from passionfinder._plots import plot_recommendation, plot_recommendations  # noqa: E402

ATTRIBUTION = "This product includes information from the O*NET 30.2 Database (test attribution)."
RIASEC = {"Realistic": 0.62, "Investigative": 0.08, "Artistic": 0.06, "Social": 0.08,
          "Enterprising": 0.07, "Conventional": 0.09}
BIKE_SCORES = {"realistic": 7.0, "investigative": 1.82, "artistic": 1.17, "social": 1.62,
               "enterprising": 1.49, "conventional": 3.34}
LONG_TITLE = "Outdoor Power Equipment and Other Small Engine Mechanics, Including Lawn Mowers"


def _rec(rank: int, code: str, title: str, *, match: float, value: float | None,
         values: tuple[ValueContribution, ...] = (), lam: float = 0.3) -> Recommendation:
    score = match if value is None else (1 - lam) * match + lam * value
    return Recommendation(rank=rank, onet_soc_code=code, title=title, score=score,
                          match_score=match, value_score=value, job_family="Repair",
                          field_scores={"interests": 4.6, "riasec": 1.3, "strengths": -0.1},
                          values=values)


VALUES = (
    ValueContribution("independence", 0.5, 0.48, 0.24, "ranks above 48% of other occupations"),
    ValueContribution("financial security", 0.5, None, 0.25, "no wage data"),
)


def _recs(riasec: dict[str, float] | None = RIASEC, *, with_values: bool = True,
          n: int = 3) -> Recommendations:
    titles = ["Bicycle Repairers", "Motorcycle Mechanics", LONG_TITLE, "Farm Equipment Mechanics"]
    codes = ["49-3091.00", "49-3052.00", "49-3053.00", "49-3041.00"]
    items = [_rec(i + 1, codes[i], titles[i], match=1.0 - 0.2 * i,
                  value=(0.5 - 0.1 * i) if with_values else None,
                  values=VALUES if with_values else ()) for i in range(n)]
    if with_values:  # one recommendation without a value score: its bar is the match alone
        items[-1] = _rec(n, codes[n - 1], titles[n - 1], match=0.5, value=None, values=VALUES)
    return Recommendations(items, profile=Profile(interests="fixing old bikes"), riasec=riasec,
                           value_weights={"independence": 0.5, "financial security": 0.5}
                           if with_values else {},
                           value_weight=0.3 if with_values else 0.0, attribution=ATTRIBUTION)


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def _bars(ax: Axes) -> list[Rectangle]:
    """The bars of a panel, in drawing order."""
    bars = list(ax.patches)
    assert all(isinstance(p, Rectangle) for p in bars)
    return [p for p in bars if isinstance(p, Rectangle)]


def _render(fig: Figure) -> bytes:
    """Draw the figure to PNG bytes (runs the layout; any matplotlib warning is an error)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _no_pyplot_figures():
    """The plots never register figures with pyplot (no global state)."""
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before


def test_plot_recommendation_panels_bars_and_attribution() -> None:
    recs = _recs()
    fig = plot_recommendation(recs[0], recs, BIKE_SCORES)
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 2
        interests, values = fig.axes
        # six types x (you, occupation)
        assert len(interests.patches) == 12
        assert [t.get_text() for t in interests.get_xticklabels()] == [
            "Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional"]
        assert "share" in interests.get_ylabel()
        # a grey track and a standing bar per value; the weights are in the labels
        assert len(values.patches) == 2 * len(VALUES)
        labels = [t.get_text() for t in values.get_yticklabels()]
        assert labels == ["independence\nweight 50%", "financial security\nweight 50%"]
        widths = [p.get_width() for p in _bars(values)[len(VALUES):]]
        assert widths == pytest.approx([0.48, 0.0])
        texts = _texts(fig)
        assert ATTRIBUTION in " ".join(" ".join(texts).split())
        assert any("no data" in t for t in texts)  # the value with score None
        assert "48%" in texts
        title = fig.get_suptitle()
        assert "Bicycle Repairers" in title and "49-3091.00" in title
        assert _render(fig).startswith(b"\x89PNG")
    finally:
        plt.close(fig)


def test_plot_recommendation_without_riasec_or_values() -> None:
    recs = _recs(riasec=None, with_values=False)
    fig = plot_recommendation(recs[0], recs, None)
    try:
        interests, fields = fig.axes
        assert len(interests.patches) == 0
        notes = " ".join(_texts(fig))
        assert "no interest profile for you" in notes
        assert "no O*NET interest scores" in notes
        # no values: the field scores instead
        assert [t.get_text() for t in fields.get_yticklabels()] == ["interests", "riasec", "strengths"]
        assert [p.get_width() for p in _bars(fields)] == pytest.approx([4.6, 1.3, -0.1])
        assert "no values given" in fig.get_suptitle()
        _render(fig)
    finally:
        plt.close(fig)


def test_plot_recommendation_partial_occupation_scores() -> None:
    recs = _recs()
    scores = {**BIKE_SCORES, "artistic": float("nan"), "social": None}
    fig = plot_recommendation(recs[0], recs, scores)
    try:
        interests = fig.axes[0]
        occupation = _bars(interests)[6:]
        assert occupation[2].get_height() == 0 and occupation[3].get_height() == 0
        present = [p.get_height() for i, p in enumerate(occupation) if i not in (2, 3)]
        assert sum(present) == pytest.approx(1.0)
        assert sum("no data" == t for t in _texts(fig)) == 2
        _render(fig)
    finally:
        plt.close(fig)


def test_plot_recommendation_into_given_axes() -> None:
    recs = _recs()
    fig = Figure(figsize=(12, 5), layout="constrained")
    one = fig.add_subplot(1, 1, 1)
    assert plot_recommendation(recs[1], recs, BIKE_SCORES, ax=one) is fig
    assert len(fig.axes) == 2 and one not in fig.axes
    _render(fig)

    fig2 = Figure(figsize=(12, 5), layout="constrained")
    pair = fig2.subplots(1, 2)
    assert plot_recommendation(recs[1], recs, BIKE_SCORES, ax=pair) is fig2
    assert list(fig2.axes) == list(pair)
    _render(fig2)

    with pytest.raises(ValueError, match="pair of Axes"):
        plot_recommendation(recs[1], recs, BIKE_SCORES, ax=[pair[0]])
    with pytest.raises(ValueError, match="add_axes"):
        plot_recommendation(recs[1], recs, BIKE_SCORES, ax=Figure().add_axes((0, 0, 1, 1)))


def test_plot_recommendations_stacked_bars_and_profile() -> None:
    recs = _recs(n=4)
    riasec_by_code = {"49-3091.00": BIKE_SCORES, "49-3052.00": {k.title(): v for k, v in
                                                               BIKE_SCORES.items()}}
    fig = plot_recommendations(recs, riasec_by_code)
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 2
        bars, profile = fig.axes
        labels = [t.get_text() for t in bars.get_yticklabels()]
        assert labels[:2] == ["1. Bicycle Repairers", "2. Motorcycle Mechanics"]
        assert labels[2].startswith("3. Outdoor Power") and labels[2].endswith("…")
        assert len(labels[2]) < len(LONG_TITLE)
        # 4 match bars + 4 value bars (the last, without a value score, has width 0)
        assert len(bars.patches) == 8
        match = [p.get_width() for p in _bars(bars)[:4]]
        value = [p.get_width() for p in _bars(bars)[4:]]
        assert match == pytest.approx([0.7, 0.56, 0.42, 0.5])
        assert value == pytest.approx([0.15, 0.12, 0.09, 0.0])
        assert [t.get_text() for t in bars.texts] == ["0.85", "0.68", "0.51", "0.50"]
        assert len(profile.patches) == 6  # the person's six shares
        assert len(profile.lines) == 1  # the occupations' mean profile
        assert "Holland code RCI" in profile.get_title()
        assert ATTRIBUTION in " ".join(" ".join(_texts(fig)).split())
        _render(fig)
    finally:
        plt.close(fig)


def test_plot_recommendations_k_and_missing_data() -> None:
    recs = _recs(riasec=None, n=4)
    fig = plot_recommendations(recs, {}, k=2)
    try:
        bars, profile = fig.axes
        assert len(bars.get_yticklabels()) == 2
        assert "top 2" in fig.get_suptitle()
        assert len(profile.patches) == 0 and len(profile.lines) == 0
        assert any("no data" in t for t in _texts(fig))
        _render(fig)
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="k must be at least 1"):
        plot_recommendations(recs, {}, k=0)


def test_plot_recommendations_empty() -> None:
    recs = Recommendations([], profile=Profile(interests="x"), riasec=None, value_weights={},
                           attribution=ATTRIBUTION)
    fig = plot_recommendations(recs, {})
    try:
        assert "no recommendations" in _texts(fig)
        _render(fig)
    finally:
        plt.close(fig)


def test_figures_save_to_png(tmp_path: Path) -> None:
    recs = _recs()
    for name, fig in (("one.png", plot_recommendation(recs[0], recs, BIKE_SCORES)),
                      ("all.png", plot_recommendations(recs, {"49-3091.00": BIKE_SCORES}))):
        path = tmp_path / name
        fig.savefig(path, dpi=80)
        plt.close(fig)
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_missing_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    recs = _recs()
    for call in (lambda: plot_recommendation(recs[0], recs, BIKE_SCORES),
                 lambda: plot_recommendations(recs, {})):
        with pytest.raises(ImportError) as info:
            call()
        assert "pip install 'passionfinder[plot]'" in str(info.value).splitlines()


def test_plot_methods_on_real_pipeline_records(synthetic_home, cache_home) -> None:
    from embedder import HashingEncoder

    import passionfinder as pf

    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    finder = pf.PassionFinder(catalog, HashingEncoder(), cache_home=cache_home)
    recs = finder.recommend(pf.Profile(interests="caring for patients",
                                       values=["helping others"]), k=3)
    assert set(recs.occupation_riasec) == {r.onet_soc_code for r in recs}
    for fig in (recs[0].plot(), recs.plot()):
        assert fig.axes
        fig.clear()
    hand_made = pf.Recommendation(1, "00-0000.00", "x", 0.5, 0.5, None, None)
    with pytest.raises(ValueError, match="needs the Recommendations it came from"):
        hand_made.plot()
