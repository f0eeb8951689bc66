"""Unit tests of the matching arithmetic, checked against brute-force numpy loops."""

from __future__ import annotations

import numpy as np
import pytest

from passionfinder._index import FieldIndex
from passionfinder._matching import (
    pool_per_occupation,
    riasec_agreement,
    standardize,
)


def _field(owner: list[int], dim: int = 4, seed: int = 0) -> FieldIndex:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(owner), dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return FieldIndex(np.array([f"t{i}" for i in range(len(owner))], dtype=object), vectors,
                      np.array(owner, dtype=np.int32))


@pytest.mark.parametrize("temperature", [0.0, 0.05, 0.1, 1.0])
def test_pooling_matches_brute_force(temperature: float) -> None:
    owner = [0, 0, 0, 2, 2, 3, 5, 5, 5, 5]
    field = _field(owner)
    rng = np.random.default_rng(1)
    sims = rng.uniform(-1, 1, size=(3, len(owner))).astype(np.float32)
    pooled = pool_per_occupation(sims, field, 6, temperature)
    for q in range(3):
        for o in range(6):
            values = sims[q, np.array(owner) == o]
            if len(values) == 0:
                assert np.isnan(pooled[q, o])
            elif temperature == 0:
                assert pooled[q, o] == pytest.approx(values.max())
            else:
                expected = temperature * np.log(np.mean(np.exp(values / temperature)))
                assert pooled[q, o] == pytest.approx(expected, abs=1e-5)


def test_log_mean_exp_lies_between_mean_and_max() -> None:
    field = _field([0, 0, 0, 0])
    sims = np.array([[0.1, 0.2, 0.5, 0.9]], dtype=np.float32)
    pooled = pool_per_occupation(sims, field, 1, 0.1)[0, 0]
    assert sims.mean() < pooled < sims.max()


def test_standardize_rows_and_missing_is_average() -> None:
    scores = np.array([[1.0, 2.0, 3.0, np.nan], [5.0, 5.0, 5.0, 5.0]], dtype=np.float32)
    z = standardize(scores)
    assert z[0, :3] == pytest.approx([-1.2247, 0.0, 1.2247], abs=1e-3)
    assert z[0, 3] == 0.0  # no data -> the average, never a penalty or a bonus
    assert np.all(z[1] == 0.0)  # a constant row has no spread


def test_riasec_agreement_is_correlation_and_keeps_missing() -> None:
    person = np.array([[0.6, 0.1, 0.1, 0.1, 0.05, 0.05]], dtype=np.float32)
    occupations = np.array([[7, 2, 1, 1, 1, 1], [1, 1, 1, 7, 2, 1],
                            [np.nan] * 6], dtype=np.float32)
    got = riasec_agreement(person, occupations)[0]
    for j in range(2):
        assert got[j] == pytest.approx(np.corrcoef(person[0], occupations[j])[0, 1], abs=1e-5)
    assert got[0] > 0.9 > got[1]
    assert np.isnan(got[2])


def test_lexical_similarity_equals_the_vectorizer(synthetic_home, cache_home) -> None:
    import passionfinder as pf
    from passionfinder._lexical import LexicalIndex, _vectorizer

    catalog = pf.load_catalog(synthetic_home, cache_home=cache_home)
    lexical = LexicalIndex.from_arrays(LexicalIndex.build(catalog).to_arrays())
    texts = ["Caring for patients, patients and PATIENTS", "wiring circuits", "zzz", "",
             "the and of"]
    vec = _vectorizer({w: i for i, w in enumerate(lexical.vocabulary.tolist())})
    vec.fit(["x"])
    vec.idf_ = lexical.idf.astype(np.float64)
    expected = np.asarray((vec.transform(texts) @ lexical.documents.T).todense())
    got = lexical.similarity(texts)
    assert got.shape == (5, len(catalog))
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert got[0].max() > 0 and not got[2].any() and not got[3].any()


def test_similarities_equal_the_matrix_product() -> None:
    from passionfinder._matching import similarities

    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(50, 8)).astype(np.float32)
    for rows in (1, 2, 5, 7, 8, 20):
        query = rng.normal(size=(rows, 8)).astype(np.float32)
        np.testing.assert_allclose(similarities(query, vectors), query @ vectors.T, rtol=1e-5,
                                   atol=1e-5)


@pytest.mark.parametrize("n_rows", [300, 2048, 5000])
def test_similarities_of_grid_vectors_are_exact(n_rows: int) -> None:
    """Grid vectors (passionfinder/_exact.py) give the exact dot product: equal to the float64
    product rounded to float32, for one query row or many, in any position of the batch, with
    or without the row-major copy (FieldIndex.columns)."""
    from passionfinder._exact import on_grid
    from passionfinder._matching import similarities

    rng = np.random.default_rng(n_rows)
    vectors = on_grid(rng.normal(size=(n_rows, 384)))
    columns = np.ascontiguousarray(vectors.T)
    query = on_grid(rng.normal(size=(70, 384)))
    exact = (query.astype(np.float64) @ vectors.T.astype(np.float64)).astype(np.float32)
    assert np.array_equal(similarities(query, vectors), exact)
    assert np.array_equal(similarities(query, vectors, columns), exact)
    for i in (0, 1, 33, 69):
        assert np.array_equal(similarities(query[i:i + 1], vectors, columns)[0], exact[i])
        assert np.array_equal(similarities(query[i:i + 1], vectors)[0], exact[i])
    assert np.array_equal(similarities(query[5:40][::-1], vectors, columns), exact[5:40][::-1])


def test_segment_argmax_matches_a_loop() -> None:
    from passionfinder._matching import segment_argmax

    rng = np.random.default_rng(4)
    lengths = np.array([1, 3, 5, 2, 7])
    values = rng.integers(0, 4, size=lengths.sum()).astype(np.float32)  # ties on purpose
    got = segment_argmax(values, lengths)
    start = 0
    for seg, n in enumerate(lengths):
        assert got[seg] == start + int(np.argmax(values[start:start + n]))
        start += n
