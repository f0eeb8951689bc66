"""Tuning the encoder: the held-out split, training pairs and batches, a tiny training run that
gives a loadable adapter, users' coded data, and the calibration of classify()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from passionfinder import load_catalog
from passionfinder._calibration import (
    Calibration,
    calibration_for,
    expected_calibration_error,
    fit_temperature,
    softmax,
)
from passionfinder._evaluation import held_out_task_positions
from passionfinder._model.adapter import ADAPTER_CONFIG, ADAPTER_WEIGHTS, adapter_digest
from passionfinder._model.tuning import (
    HELD_OUT_SHARE,
    Pair,
    TuningError,
    build_batches,
    catalog_pairs,
    coded_pairs,
    held_out,
    text_owners,
)


def _key(text: str) -> str:
    from passionfinder._model.tuning import _key as key

    return key(text)


# -- held-out split --------------------------------------------------------------------------


def _check_split(catalog) -> None:  # type: ignore[no-untyped-def]
    held = held_out(catalog)
    pairs = catalog_pairs(catalog, held=held)
    assert pairs
    banned = held.keys()
    leaked = [p.anchor for p in pairs if _key(p.anchor) in banned]
    assert leaked == []
    # the rows the quality benchmark holds out are among the held-out rows
    assert set(held_out_task_positions(catalog).tolist()) <= set(held.task_rows.tolist())
    # at least the share of every occupation with more than one task is held out
    tasks = catalog.tasks
    counts = tasks["onet_soc_code"].value_counts()
    held_counts = tasks.iloc[held.task_rows]["onet_soc_code"].value_counts()
    for code, n in counts.items():
        if n > 2:
            assert held_counts.get(code, 0) >= np.ceil(HELD_OUT_SHARE * n)
        assert held_counts.get(code, 0) < n  # never all of an occupation's tasks
    # held-out task texts are not trained on as tasks either
    task_anchors = {_key(p.anchor) for p in pairs if p.kind == "task"}
    assert not task_anchors & {_key(t) for t in held.tasks["text"]}


def test_held_out_texts_are_never_training_pairs(synthetic_home: Path, cache_home: Path) -> None:
    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    _check_split(catalog)
    held = held_out(catalog)
    assert len(held.reported_titles) == len(catalog.reported_titles)


def test_held_out_split_is_fixed(synthetic_home: Path, cache_home: Path) -> None:
    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    assert np.array_equal(held_out(catalog).task_rows, held_out(catalog).task_rows)


@pytest.mark.data
def test_real_held_out_texts_are_never_training_pairs(real_catalog) -> None:  # type: ignore[no-untyped-def]
    _check_split(real_catalog)
    held = held_out(real_catalog)
    assert len(held.emerging_tasks) > 100
    assert len(held.reported_titles) > 5000
    kinds = {p.kind for p in catalog_pairs(real_catalog, held=held)}
    assert kinds == {"task", "title", "activity", "description"}


# -- batches ---------------------------------------------------------------------------------


def test_batches_never_hold_two_texts_of_one_occupation() -> None:
    rng = np.random.default_rng(0)
    pairs = []
    for i in range(400):
        code = f"11-{int(rng.integers(0, 30)):04d}.00"
        pairs.append(Pair(f"text {i}", f"doc {code}", code, "task" if i % 3 else "title"))
    # a title two occupations carry: it must never share a batch with either occupation
    pairs += [Pair("shared title", "doc 11-0001.00", "11-0001.00", "title"),
              Pair("shared title", "doc 11-0002.00", "11-0002.00", "title")]
    owners = text_owners(pairs)
    batches = build_batches(pairs, 8, seed=1, owners=owners)
    assert batches
    seen = 0
    for batch in batches:
        assert len({p.kind for p in batch}) == 1
        assert 2 <= len(batch) <= 8
        stands_for: list[str] = []
        for p in batch:
            stands_for.extend(owners[_key(p.anchor)] | {p.code})
        assert len(stands_for) == len(set(stands_for))
        seen += len(batch)
    assert seen <= len(pairs)
    with pytest.raises(TuningError, match="batch_size"):
        build_batches(pairs, 1)


def test_neighbour_batches_hold_neighbouring_occupations_without_conflicts() -> None:
    # 40 occupations in 8 SOC groups of 5, 6 texts each
    pairs = [Pair(f"text {g} {o} {i}", f"doc {g}{o}", f"{11 + g}-{o:04d}.00", "task")
             for g in range(8) for o in range(5) for i in range(6)]
    owners = text_owners(pairs)
    spread = {}
    for share in (0.0, 1.0):
        batches = build_batches(pairs, 5, seed=3, owners=owners, neighbour_share=share)
        for batch in batches:
            assert len({p.code for p in batch}) == len(batch)
        spread[share] = np.mean([len({p.code[:2] for p in b}) for b in batches])
    # neighbour batches draw their occupations from one or two groups, random ones from many
    assert spread[1.0] <= 2.0 < spread[0.0]
    # no share: the same batches as before the option existed
    assert build_batches(pairs, 5, seed=3, owners=owners) == build_batches(
        pairs, 5, seed=3, owners=owners, neighbour_share=0.0)
    with pytest.raises(TuningError, match="neighbour_share"):
        build_batches(pairs, 5, neighbour_share=1.5)


# -- users' coded data -----------------------------------------------------------------------


def test_coded_pairs_list_unknown_codes(synthetic_home: Path, cache_home: Path) -> None:
    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    code = catalog.codes[0]
    frame = pd.DataFrame({"answer": ["I fix pipes", "I sell things", "x"],
                          "soc": [code, "99-9999.99", "12-3456.00"]})
    with pytest.raises(TuningError, match=r"99-9999\.99") as err:
        coded_pairs(catalog, frame, text="answer", code="soc")
    assert "12-3456.00" in str(err.value)
    with pytest.raises(TuningError, match="no column 'text'"):
        coded_pairs(catalog, frame, text="text", code="soc")
    empty = pd.DataFrame({"answer": ["I fix pipes", " "], "soc": [code, code]})
    with pytest.raises(TuningError, match="no text"):
        coded_pairs(catalog, empty, text="answer", code="soc")
    good = pd.DataFrame({"answer": ["I fix pipes"], "soc": [code]})
    (pair,) = coded_pairs(catalog, good, text="answer", code="soc")
    assert pair.code == code and pair.positive.startswith(catalog.title(code))


# -- a tiny training run ---------------------------------------------------------------------


@pytest.mark.slow
def test_tiny_training_gives_a_loadable_adapter(synthetic_home: Path, cache_home: Path,
                                                tmp_path: Path) -> None:
    pytest.importorskip("peft")
    from passionfinder._model.load import load_encoder
    from passionfinder._model.sources import DEFAULT_MODEL_ID
    from passionfinder._model.tuning import TrainingRecipe, sample_pairs, train_adapter

    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    pairs = sample_pairs(catalog_pairs(catalog), 40, seed=0)
    out = train_adapter(pairs, tmp_path / "adapter",
                        recipe=TrainingRecipe(steps=2, batch_size=4, max_seq_length=32),
                        threads=1)
    assert (out / ADAPTER_CONFIG).is_file()
    assert (out / ADAPTER_WEIGHTS).stat().st_size < 3_000_000
    record = json.loads((out / "training.json").read_text())
    assert record["batches"] == 2 and len(record["losses"]) == 2
    base = load_encoder("base", backend="torch")
    tuned = load_encoder(out, backend="torch")
    assert tuned.name.startswith(f"{DEFAULT_MODEL_ID}+adapter-{adapter_digest(out)[:8]}")
    texts = ["I repair engines", "Registered nurse"]
    a, b = base.encode(texts), tuned.encode(texts)
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(a, b, atol=1e-4)  # the adapter changed the model
    assert (a * b).sum(axis=1).min() > 0.5  # ... and did not wreck it in two steps
    # the merge gives the model peft runs with the adapter attached
    from peft import LoraConfig, inject_adapter_in_model, set_peft_model_state_dict
    from safetensors.torch import load_file
    from sentence_transformers import SentenceTransformer

    from passionfinder._model.tuning import LORA_TARGETS, base_model_folder

    reference = SentenceTransformer(str(base_model_folder()), device="cpu",
                                    local_files_only=True)
    bert = reference[0].auto_model
    cfg = json.loads((out / ADAPTER_CONFIG).read_text())
    inject_adapter_in_model(LoraConfig(r=cfg["r"], lora_alpha=cfg["lora_alpha"],
                                       target_modules=list(LORA_TARGETS)), bert)
    state = {k.removeprefix("base_model.model."): v
             for k, v in load_file(str(out / ADAPTER_WEIGHTS)).items()}
    set_peft_model_state_dict(bert, state)
    reference.eval()
    expected = reference.encode(texts, normalize_embeddings=True)
    assert np.allclose(b, expected, atol=1e-4)


def test_occupations_objective_trains_a_loadable_float16_adapter(
        synthetic_home: Path, cache_home: Path, tmp_path: Path) -> None:
    pytest.importorskip("peft")
    from safetensors.torch import load_file

    from passionfinder._model.load import load_encoder
    from passionfinder._model.tuning import (
        TrainingRecipe,
        occupation_texts,
        sample_pairs,
        train_adapter,
    )

    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    pairs = sample_pairs(catalog_pairs(catalog), 40, seed=0)
    recipe = TrainingRecipe(steps=3, batch_size=4, max_seq_length=32, objective="occupations",
                            refresh=2, save_dtype="float16")
    out = train_adapter(pairs, tmp_path / "adapter", recipe=recipe, threads=1,
                        occupations=occupation_texts(catalog))
    weights = load_file(str(out / ADAPTER_WEIGHTS))
    assert {str(w.dtype) for w in weights.values()} == {"torch.float16"}
    record = json.loads((out / "training.json").read_text())
    assert record["recipe"]["objective"] == "occupations"
    assert "description" not in record["pairs_seen"]  # no occupation text on their right
    assert all(np.isfinite(record["losses"]))
    tuned = load_encoder(out, backend="torch")
    vectors = tuned.encode(["I repair engines", "Registered nurse"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    with pytest.raises(TuningError, match="objective"):
        train_adapter(pairs, tmp_path / "x", recipe=TrainingRecipe(objective="triplets"))


def test_occupations_objective_never_uses_another_owner_as_negative() -> None:
    torch = pytest.importorskip("torch")
    from passionfinder._model.tuning import OccupationTargets

    class Fixed(torch.nn.Module):
        """Anchors all embed on the first axis; occupation A and B texts embed there too."""

        def forward(self, features):  # type: ignore[no-untyped-def]
            n = features["n"]
            return {"sentence_embedding": torch.tensor([[1.0, 0.0]] * n, requires_grad=True)}

    texts = {"A": "a", "B": "b", "C": "c"}
    targets = OccupationTargets(Fixed(), texts, {_key("shared"): frozenset({"A", "B"})},
                                scale=20.0, refresh=1)
    targets.encode_targets = lambda: None  # type: ignore[method-assign]
    targets.vectors = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    shared = [Pair("shared", "a", "A", "title")]
    alone = [Pair("other", "a", "A", "title")]
    prepare = lambda texts: {"n": len(texts)}  # noqa: E731
    # B carries the same title: masked, so only C competes and the loss is near zero
    assert float(targets.loss(1, shared, prepare).detach()) < 1e-6
    assert float(targets.loss(1, alone, prepare).detach()) == pytest.approx(np.log(2), abs=1e-4)
    with pytest.raises(TuningError, match="refresh"):
        OccupationTargets(Fixed(), texts, {}, scale=20.0, refresh=0)


def test_a_recipe_refuses_settings_that_would_fail_late() -> None:
    from passionfinder._model.tuning import TrainingRecipe

    for bad, match in (({"save_dtype": "int4"}, "save_dtype"),
                       ({"objective": "triplets"}, "objective"),
                       ({"neighbour_share": -0.1}, "neighbour_share"),
                       ({"refresh": 0}, "refresh"),
                       ({"mix": {"tasks": 1.0}}, "mix"),
                       ({"mix": {"task": 0.0}}, "mix")):
        with pytest.raises(TuningError, match=match):
            TrainingRecipe(**bad)
    # the defaults are the shipped adapter's recipe
    shipped = json.loads((Path(__file__).parents[1] / "src" / "passionfinder" / "adapters"
                          / "onet" / "training.json").read_text())["recipe"]
    assert {k: v for k, v in TrainingRecipe().__dict__.items() if k in shipped
            and k not in ("objective", "refresh")} == {
        k: v for k, v in shipped.items() if k not in ("objective", "refresh")}


def test_the_training_command_names_a_bad_mix() -> None:
    for mix, said in (("task0.4", "kind=share"), ("tasks=1", "pair kinds")):
        result = subprocess.run([sys.executable, "-m", "passionfinder.tuning", "--out", "x",
                                 "--mix", mix], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert said in result.stderr


# -- calibration -----------------------------------------------------------------------------


def test_fit_temperature_recovers_the_generating_temperature() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 20))
    truth = np.array([rng.choice(20, p=p) for p in softmax(logits, 1.0)])
    for target in ("top1", "likelihood"):
        # scores are the logits times T = 0.1
        t = fit_temperature(logits * 0.1, truth, target=target)
        assert t == pytest.approx(0.1, rel=0.15), target
        probs = softmax(logits * 0.1, t)
        ece = expected_calibration_error(probs.max(1), probs.argmax(1) == truth)
        assert ece < 0.04
    overconfident = softmax(logits * 0.1, t / 4)
    assert expected_calibration_error(overconfident.max(1),
                                      overconfident.argmax(1) == truth) > 0.1
    with pytest.raises(ValueError, match="target"):
        fit_temperature(logits, truth, target="ece")


def test_calibration_falls_back_for_unknown_models() -> None:
    cal = calibration_for("someone-elses-model/torch")
    assert isinstance(cal, Calibration) and not cal.fitted
    probs = cal.probabilities(np.array([[1.0, 0.5, 0.2], [0.3, 0.3, 0.3]]),
                              np.array([True, False]))
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert probs[0, 0] > probs[0, 1] > probs[0, 2]


@pytest.mark.slow
@pytest.mark.data
def test_classify_confidence_and_min_confidence(real_finder) -> None:  # type: ignore[no-untyped-def]
    sure = real_finder.classify("registered nurse", k=3)
    assert 0.0 <= sure.matches[-1].confidence <= sure.confidence <= 1.0
    assert sure.confidence > 0.5
    vague = real_finder.classify("field technician", k=3, min_confidence=0.9)
    assert vague.confidence < 0.9 and not vague.codable and vague.matches
    frame = vague.to_frame()
    assert {"confidence", "codable"} <= set(frame.columns)
    with pytest.raises(ValueError, match="min_confidence"):
        real_finder.classify("nurse", min_confidence=1.5)


@pytest.mark.slow
def test_tune_on_coded_answers_gives_a_loadable_model(synthetic_home: Path, cache_home: Path,
                                                      tmp_path: Path) -> None:
    pytest.importorskip("peft")
    import passionfinder as pf
    from passionfinder._model.adapter import START_FOLDER, shipped_adapter

    catalog = load_catalog(synthetic_home, cache_home=cache_home)
    codes = catalog.codes
    frame = pd.DataFrame({"answer": [f"my job: {catalog.title(c).lower()} work, day {i}"
                                     for i in range(3) for c in codes],
                          "soc": [c for _ in range(3) for c in codes]})
    out = pf.tune(catalog, frame, text="answer", code="soc", out=tmp_path / "mine", steps=2,
                  batch_size=4, threads=1)
    assert (out / ADAPTER_WEIGHTS).is_file()
    assert (out / START_FOLDER / ADAPTER_WEIGHTS).is_file() == (shipped_adapter() is not None)
    encoder = pf.load_encoder(out, backend="torch")
    assert encoder.encode(["I fix pipes"]).shape == (1, encoder.dim)
    with pytest.raises(TuningError, match="99-9999.99"):
        pf.tune(catalog, frame.assign(soc="99-9999.99"), text="answer", code="soc",
                out=tmp_path / "bad")


def test_the_public_tuning_module_is_the_training_code() -> None:
    import passionfinder.tuning as public
    from passionfinder._model import tuning

    assert set(tuning.__all__) <= set(public.__all__)
    assert all(getattr(public, name) is getattr(tuning, name) for name in public.__all__)


def test_the_training_command_runs_from_its_public_name() -> None:
    done = subprocess.run([sys.executable, "-m", "passionfinder.tuning", "--help"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m passionfinder.tuning")
    assert "--out" in done.stdout
