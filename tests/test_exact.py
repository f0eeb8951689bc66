"""The arithmetic of passionfinder/_exact.py: grid vectors whose similarities are exact, and
weighted sums whose float32 result does not depend on the order of summation."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from passionfinder._exact import GRID, median, on_grid, weighted_sums

#: an OpenBLAS kernel every CPU of the architecture can run, other than the one it picks
OTHER_KERNEL = {"x86_64": "Prescott", "AMD64": "Prescott", "aarch64": "ARMV8",
                "arm64": "ARMV8"}.get(platform.machine())


def test_on_grid_gives_unit_vectors_on_the_grid() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 384)).astype(np.float32) * rng.uniform(0.1, 10, size=(200, 1))
    g = on_grid(x)
    assert g.dtype == np.float32 and g.shape == x.shape
    scaled = g.astype(np.float64) * GRID
    assert np.array_equal(scaled, np.rint(scaled))  # multiples of 1 / GRID
    np.testing.assert_allclose(np.linalg.norm(g, axis=1), 1.0, atol=2e-3)
    # rounding moves the cosine with the original vector very little
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    cos = (g * unit).sum(axis=1) / np.linalg.norm(g, axis=1)
    assert cos.min() > 0.9999


def test_on_grid_rows_do_not_depend_on_each_other() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 384))
    whole = on_grid(x)
    for i in (0, 7, 49):
        assert np.array_equal(on_grid(x[i:i + 1])[0], whole[i])
    assert np.array_equal(on_grid(x[::-1]), whole[::-1])


def test_on_grid_keeps_zero_rows_and_refuses_other_shapes() -> None:
    g = on_grid(np.zeros((2, 4)))
    assert not g.any()
    with pytest.raises(ValueError, match="rows, dim"):
        on_grid(np.zeros(4))


def test_grid_products_take_any_summation_order() -> None:
    """What makes the similarities exact: summing the terms of a grid dot product in any
    order, in float32, gives the same bits (while plain unit vectors differ)."""
    rng = np.random.default_rng(2)
    a, b = on_grid(rng.normal(size=(2, 384)))
    terms = a * b  # float32, exact
    sums = set()
    for seed in range(30):
        order = np.random.default_rng(seed).permutation(384)
        total = np.float32(0)
        for t in terms[order]:
            total = np.float32(total + t)
        sums.add(float(total))
    assert len(sums) == 1
    plain = rng.normal(size=(2, 384)).astype(np.float32)
    plain /= np.linalg.norm(plain, axis=1, keepdims=True)
    plain_terms = plain[0] * plain[1]
    plain_sums = set()
    for seed in range(30):
        total = np.float32(0)
        for t in plain_terms[np.random.default_rng(seed).permutation(384)]:
            total = np.float32(total + t)
        plain_sums.add(float(total))
    assert len(plain_sums) > 1  # the test can tell the difference


def test_weighted_sums_match_float64_products() -> None:
    rng = np.random.default_rng(3)
    values, weights = rng.random((5, 40)), rng.random((30, 40))
    got = weighted_sums(values, weights)
    assert got.dtype == np.float32 and got.shape == (5, 30)
    assert np.array_equal(got, (values @ weights.T).astype(np.float32))
    for i in range(5):
        assert np.array_equal(weighted_sums(values[i:i + 1], weights)[0], got[i])


PRODUCTS = textwrap.dedent("""
    import sys
    import numpy as np
    from passionfinder._exact import on_grid
    from passionfinder._matching import similarities
    rng = np.random.default_rng(5)
    table = on_grid(rng.normal(size=(5000, 384)))
    query = on_grid(rng.normal(size=(9, 384)))
    sys.stdout.write(similarities(query, table, np.ascontiguousarray(table.T)).tobytes().hex()
                     + " " + similarities(query[3:4], table).tobytes().hex())
""")


def _products(kernel: str | None) -> list[str]:
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    done = subprocess.run([sys.executable, "-c", PRODUCTS], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


@pytest.mark.skipif(OTHER_KERNEL is None, reason="no second OpenBLAS kernel known for this CPU")
def test_similarities_are_the_same_bits_under_another_blas_kernel() -> None:
    mine, other = _products(None), _products(OTHER_KERNEL)
    assert mine[0] == other[0]  # a batch
    assert mine[1] == other[1]  # a single row
    # a single row is the same row of the batch
    assert mine[1] == mine[0][3 * 5000 * 8:4 * 5000 * 8]


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 1016, 1017])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_median_is_numpys(n: int, dtype: type) -> None:
    rng = np.random.default_rng(n)
    for _ in range(50):
        x = rng.normal(size=n).astype(dtype)
        x[rng.integers(0, n, size=n // 4)] = x[0]  # ties
        assert median(x) == float(np.median(x))
        y = x.copy()
        y[::3] = np.nan
        assert np.isnan(median(y)) and np.isnan(np.median(y))
        if (~np.isnan(y)).any():
            assert median(y, skip_nan=True) == float(np.nanmedian(y))
    assert np.isnan(median(np.full(n, np.nan, dtype), skip_nan=True))
    assert np.isnan(median(np.zeros(0, dtype)))


def test_median_does_not_import_numpy_ma() -> None:
    """np.median imports numpy.ma on its first call (tens of ms of a first recommendation)."""
    code = ("import sys, numpy as np\nfrom passionfinder._exact import median\n"
            "median(np.arange(10.0)); median(np.arange(9.0), skip_nan=True)\n"
            "print('numpy.ma' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
