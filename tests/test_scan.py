"""maxlik.scan: fits over Parquet / CSV files read batch by batch equal the in-memory fits.

References: the in-memory ``maxlik.fit`` of the same rows (itself tested against closed forms,
SciPy and NIST elsewhere), ``scipy.stats`` fits, and the NIST StRD univariate certified values
(the file must reach the same binary64 ceiling as the array). Files are written by the tests,
split over several files and read in small batches so that every fit merges many chunks.
"""

from __future__ import annotations

import gzip
import math

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import scipy.stats as st

import maxlik
from maxlik.errors import DataError, ParameterError

RNG = np.random.default_rng(20261202)
N = 12_000


def write_parquet(folder, columns: dict, n_files: int = 3, row_group_size: int = 1000):
    """Split ``columns`` (name -> (n,) array) into ``n_files`` Parquet files; the paths."""
    n = len(next(iter(columns.values())))
    cuts = np.linspace(0, n, n_files + 1).astype(int)
    paths = []
    for i in range(n_files):
        part = {k: v[cuts[i]:cuts[i + 1]] for k, v in columns.items()}
        path = folder / f"part-{i:02d}.parquet"
        pq.write_table(pa.table(part), path, row_group_size=row_group_size)
        paths.append(path)
    return paths


def write_csv(path, columns: dict, sep: str = ",", compress: bool = False):
    names = list(columns)
    n = len(columns[names[0]])
    lines = [sep.join(names)] + [sep.join(repr(float(columns[c][i])) for c in names) for i in range(n)]
    text = "\n".join(lines) + "\n"
    if compress:
        with gzip.open(path, "wt") as f:
            f.write(text)
    else:
        path.write_text(text)
    return path


@pytest.fixture(scope="module")
def positive():
    return RNG.gamma(2.5, 1.7, size=N)


@pytest.fixture(scope="module")
def files(tmp_path_factory, positive):
    folder = tmp_path_factory.mktemp("scan")
    w = RNG.integers(0, 4, size=N).astype(float)
    counts = RNG.poisson(3.0, size=N).astype(float)
    mv = RNG.normal(size=(N, 3)) @ np.array([[1.0, 0.3, 0.0], [0.0, 1.0, 0.5], [0.0, 0.0, 2.0]])
    write_parquet(folder, {"amount": positive, "w": w, "count": counts, "a": mv[:, 0], "b": mv[:, 1], "c": mv[:, 2]})
    return {"folder": folder, "x": positive, "w": w, "counts": counts, "mv": mv}


def rel(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def same_fit(a, b, rtol: float):
    assert a.n == b.n and a.weight == pytest.approx(b.weight, rel=1e-15)
    for k in b.params:
        assert rel(a.params[k], b.params[k]) <= rtol, (k, a.params[k], b.params[k])
    assert a.loglik == pytest.approx(b.loglik, rel=rtol)
    for k, se in b.stderr.items():
        assert rel(a.stderr[k], se) <= max(rtol, 1e-10), (k, a.stderr[k], se)


@pytest.mark.parametrize("family", ["normal", "gamma", "lognormal", "exponential"])
def test_closed_forms_and_gamma_equal_the_array_fit(files, family):
    src = maxlik.scan(files["folder"] / "*.parquet", column="amount", batch_rows=700)
    same_fit(maxlik.fit(src, family), maxlik.fit(files["x"], family), 1e-12)


def test_a_folder_a_list_and_a_glob_name_the_same_rows(files):
    paths = sorted(files["folder"].glob("*.parquet"))
    for spec in (files["folder"], paths, str(files["folder"] / "part-*.parquet")):
        src = maxlik.scan(spec, column="amount", batch_rows=5000)
        assert src.n_rows == N
        assert maxlik.fit(src, "normal").params["loc"] == pytest.approx(files["x"].mean(), rel=1e-14)


def test_poisson_on_counts_and_a_weight_column(files):
    src = maxlik.scan(files["folder"], column="count", weights="w", batch_rows=999)
    same_fit(maxlik.fit(src, "poisson"), maxlik.fit(files["counts"], "poisson", weights=files["w"]), 1e-12)
    same_fit(maxlik.fit(maxlik.scan(files["folder"], column="amount"), "gamma", weights="w"),
             maxlik.fit(files["x"], "gamma", weights=files["w"]), 1e-12)


def test_multivariate_normal_on_several_columns(files):
    src = maxlik.scan(files["folder"], columns=["a", "b", "c"], batch_rows=500)
    for kind in ("full", "diag"):
        fam = maxlik.MultivariateNormal(covariance_type=kind)
        same_fit(maxlik.fit(src, fam), maxlik.fit(files["mv"], fam), 1e-12)


@pytest.mark.parametrize("family", ["weibull", "student_t", "cauchy", "gumbel", "logistic"])
def test_numerical_families_equal_the_array_fit(files, family):
    src = maxlik.scan(files["folder"], column="amount", batch_rows=1500)
    same_fit(maxlik.fit(src, family), maxlik.fit(files["x"], family), 1e-8)


def test_weibull_matches_scipy_on_a_file(files):
    r = maxlik.fit(maxlik.scan(files["folder"], column="amount"), "weibull")
    c, _, scale = st.weibull_min.fit(files["x"], floc=0)  # a looser optimizer: 4-5 digits
    assert r.params["concentration"] == pytest.approx(c, rel=1e-4)
    assert r.params["scale"] == pytest.approx(scale, rel=1e-4)
    scipy_loglik = st.weibull_min.logpdf(files["x"], c, 0, scale).sum()
    assert r.loglik >= scipy_loglik - 1e-9 * abs(scipy_loglik)


def test_fixed_parameters_and_options_stream_too(files):
    src = maxlik.scan(files["folder"], column="amount", batch_rows=2000)
    same_fit(maxlik.fit(src, "student_t", fixed={"df": 5.0}), maxlik.fit(files["x"], "student_t", fixed={"df": 5.0}), 1e-8)
    same_fit(maxlik.fit(src, "gamma", method="newton", tol=1e-10), maxlik.fit(files["x"], "gamma", method="newton", tol=1e-10), 1e-8)
    r = maxlik.fit(src, "normal", fixed={"loc": 4.0})
    assert r.params["scale"] == pytest.approx(math.sqrt(np.mean((files["x"] - 4.0) ** 2)), rel=1e-12)


def test_profile_intervals_of_a_streamed_fit(files):
    src = maxlik.scan(files["folder"], column="amount", batch_rows=4000)
    a = maxlik.fit(src, "weibull").conf_int(method="profile")
    b = maxlik.fit(files["x"], "weibull").conf_int(method="profile")
    for k in b:
        assert rel(a[k], b[k]) < 1e-6


def test_fit_loglik_on_a_file_with_a_target(tmp_path):
    import jax.numpy as jnp

    x = RNG.normal(size=5000)
    y = RNG.poisson(np.exp(0.2 + 0.6 * x)).astype(float)
    write_parquet(tmp_path, {"x": x, "y": y}, n_files=2, row_group_size=600)

    def poisson_regression(p, data):
        xs, ys = data
        eta = p["a"] + p["b"] * xs
        return ys * eta - jnp.exp(eta)

    src = maxlik.scan(tmp_path, column="x", target="y", batch_rows=700)
    a = maxlik.fit_loglik(poisson_regression, src, {"a": 0.0, "b": 0.0})
    b = maxlik.fit_loglik(poisson_regression, (x, y), {"a": 0.0, "b": 0.0})
    for k in ("a", "b"):
        assert a.params[k] == pytest.approx(b.params[k], rel=1e-8)
        assert a.stderr[k] == pytest.approx(b.stderr[k], rel=1e-8)


def test_compare_ranks_a_file_like_the_array(files):
    src = maxlik.scan(files["folder"], column="amount", batch_rows=3000)
    names = ["normal", "gamma", "weibull", "lognormal"]
    a, b = maxlik.compare(src, names), maxlik.compare(files["x"], names)
    assert [r.family for r in a] == [r.family for r in b]
    for ra, rb in zip(a, b):
        assert ra.aic == pytest.approx(rb.aic, rel=1e-10)


@pytest.mark.parametrize("sep,compress", [(",", False), (";", False), ("\t", True)])
def test_csv_files_plain_semicolon_and_gzip(tmp_path, positive, sep, compress):
    x = positive[:3000]
    suffix = ".tsv.gz" if compress else ".csv"
    write_csv(tmp_path / f"a{suffix}", {"amount": x[:1800], "other": np.ones(1800)}, sep=sep, compress=compress)
    write_csv(tmp_path / f"b{suffix}", {"amount": x[1800:], "other": np.ones(1200)}, sep=sep, compress=compress)
    src = maxlik.scan(tmp_path, column="amount", batch_rows=256)
    assert src.n_rows == 3000
    same_fit(maxlik.fit(src, "gamma"), maxlik.fit(x, "gamma"), 1e-12)
    same_fit(maxlik.fit(src, "weibull"), maxlik.fit(x, "weibull"), 1e-8)


def test_nist_univariate_ceilings_hold_for_a_file(tmp_path, nist_certified):
    """Each NIST StRD univariate set, written as one Parquet file of 1-row groups and read one
    row per batch (the most merges possible), still reaches the certified digits of the array."""
    for name, entry in nist_certified["datasets"].items():
        if entry["kind"] != "univariate":
            continue
        x = np.asarray(entry["data"][entry["columns"][0]], dtype=np.float64)
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table({"x": x}), path, row_group_size=7)
        a = maxlik.fit(maxlik.scan(path, batch_rows=3), "normal")
        b = maxlik.fit(x, "normal")
        cert = entry["certified"]
        n = len(x)

        def lre(v, c):
            return 15.0 if v == c else min(15.0, -math.log10(abs(v - c) / abs(c)))

        for got, ref, c in ((a.params["loc"], b.params["loc"], cert["mean"]),
                            (a.params["scale"] * math.sqrt(n / (n - 1)), b.params["scale"] * math.sqrt(n / (n - 1)), cert["sd"])):
            assert lre(got, c) >= lre(ref, c) - 1.0, (name, got, ref, c)


# -- bad input ----------------------------------------------------------------------------------

def test_a_missing_path_and_an_empty_glob(tmp_path):
    with pytest.raises(DataError, match=r"scan: file must exist; got '.*nope.parquet'"):
        maxlik.scan(tmp_path / "nope.parquet")
    with pytest.raises(DataError, match=r"scan: the pattern must match at least one file; got '.*claims/\*\.parquet', which matched none"):
        maxlik.scan(str(tmp_path / "claims" / "*.parquet"))
    with pytest.raises(DataError, match=r"scan: the folder must contain Parquet or CSV files"):
        maxlik.scan(tmp_path)


def test_a_column_missing_from_one_file_is_named(tmp_path):
    pq.write_table(pa.table({"v": np.ones(5)}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"value": np.ones(5)}), tmp_path / "b.parquet")
    with pytest.raises(DataError, match=r"scan: every file must have column 'v'; .*b\.parquet lacks it \(it has \['value'\]\)"):
        maxlik.scan(tmp_path, column="v")
    with pytest.raises(DataError, match=r"scan: column must be one of the columns \['v'\]; got 'x', which .*a\.parquet lacks"):
        maxlik.scan(tmp_path / "a.parquet", column="x")


def test_a_column_whose_type_differs_between_files(tmp_path):
    pq.write_table(pa.table({"v": np.ones(5)}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"v": ["1", "2"]}), tmp_path / "b.parquet")
    with pytest.raises(DataError, match=r"scan: column 'v' must have one type in every file; got numeric in .*a\.parquet and text in .*b\.parquet"):
        maxlik.scan(tmp_path, column="v")


def test_corrupt_parquet_files_are_named_and_give_no_result(tmp_path):
    (tmp_path / "junk.parquet").write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1")
    with pytest.raises(DataError, match=r"scan: .*junk\.parquet must be a valid Parquet file; it could not be read"):
        maxlik.scan(tmp_path / "junk.parquet")
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"v": RNG.gamma(2, 1, 20_000)}), good, row_group_size=4000)
    start = pq.ParquetFile(good).metadata.row_group(3).column(0).data_page_offset
    raw = bytearray(good.read_bytes())
    raw[start:start + 64] = b"\xff" * 64  # a page header past the first row groups
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(bytes(raw))
    src = maxlik.scan(bad)  # the footer is intact: only reading the pages finds it
    for family in ("gamma", "weibull"):
        with pytest.raises(DataError, match=r"scan: .*bad\.parquet must be readable to the end; reading it failed .* no result was computed"):
            maxlik.fit(src, family)


def test_bad_values_deep_in_a_file_are_counted_and_located(tmp_path):
    x = RNG.gamma(2, 1, 9000)
    x[7321], x[7400], x[8000] = np.nan, -1.0, np.inf
    write_parquet(tmp_path, {"v": x}, n_files=3)
    src = maxlik.scan(tmp_path, column="v", batch_rows=500)
    for family in ("gamma", "weibull", "exponential"):
        with pytest.raises(DataError, match=r"data must be finite and (positive|non-negative) \([>=]+ 0\); got 3 value\(s\) that are not "
                                            r"\(first at data row 1321 \(0-based\) of .*part-02\.parquet: nan\)"):
            maxlik.fit(src, family)


def test_bad_values_in_a_csv_are_reported_by_line(tmp_path):
    x = RNG.gamma(2, 1, 600)
    x[450] = -2.0
    write_csv(tmp_path / "d.csv", {"v": x})
    with pytest.raises(DataError, match=r"got 1 value\(s\) that are not \(first at line 452 of .*d\.csv: -2\)"):
        maxlik.fit(maxlik.scan(tmp_path / "d.csv", batch_rows=100), "gamma")
    (tmp_path / "e.csv").write_text("v\n" + "1.5\n" * 30_000 + "oops\n")  # past the block the types are taken from
    with pytest.raises(DataError, match=r"scan: .*e\.csv must be readable to the end; reading it failed .*oops"):
        maxlik.fit(maxlik.scan(tmp_path / "e.csv", column="v"), "gamma")


def test_negative_weights_in_a_weight_column(tmp_path):
    w = np.ones(100)
    w[42] = -1.0
    write_parquet(tmp_path, {"v": RNG.gamma(2, 1, 100), "w": w}, n_files=1)
    with pytest.raises(DataError, match=r"weights must be finite and non-negative; got 1 that are not \(first at data row 42 \(0-based\) of .*: -1\) in column 'w'"):
        maxlik.fit(maxlik.scan(tmp_path, column="v", weights="w"), "normal")


def test_scan_options_are_checked(tmp_path):
    write_parquet(tmp_path, {"v": RNG.gamma(2.0, 1.0, 10), "u": np.ones(10)}, n_files=1)
    with pytest.raises(DataError, match=r"scan: column must be given when .* has 2 numeric columns"):
        maxlik.scan(tmp_path)
    with pytest.raises(DataError, match=r"scan: pass column= \(one column\) or columns= \(several\), not both"):
        maxlik.scan(tmp_path, column="v", columns=["u"])
    with pytest.raises(DataError, match=r"scan: batch_rows must be an integer >= 1; got 0"):
        maxlik.scan(tmp_path, column="v", batch_rows=0)
    src = maxlik.scan(tmp_path, column="v")
    with pytest.raises(ParameterError, match=r"method must be 'newton' or 'auto' for data read in passes"):
        maxlik.fit(src, "weibull", method="bfgs")
    with pytest.raises(DataError, match=r"scan: weights must be a column name of the scanned files; got ndarray"):
        maxlik.fit(src, "normal", weights=np.ones(10))
    with pytest.raises(DataError, match=r"scan: weights must be one of the columns \['v', 'u'\]; got 'q'"):
        maxlik.fit(src, "normal", weights="q")


def test_peak_memory_is_bounded_by_the_batch_not_the_file(tmp_path):
    """tracemalloc counts NumPy's buffers: passes over 4·10⁶ values (32 MB) in batches of 2¹⁴
    rows (128 kB) allocate a few batches' worth of arrays at a time, never the column."""
    import tracemalloc

    x = RNG.gamma(2, 1, 4_000_000)
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"v": x}), path, row_group_size=1 << 16)
    del x
    src = maxlik.scan(path, batch_rows=1 << 14)
    for family in ("normal", "gamma", "weibull"):  # closed form, Newton on stats, Newton over passes
        tracemalloc.start()
        maxlik.fit(src, family)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 12 * 2**20, (family, peak)  # the column alone would be 32 MB


def test_every_parameter_fixed_and_a_start_outside_the_data(tmp_path):
    x = RNG.gamma(2, 1, 5000)
    write_parquet(tmp_path, {"v": x}, n_files=2, row_group_size=400)
    src = maxlik.scan(tmp_path, batch_rows=700)
    held = {"concentration": 2.0, "scale": 1.5}
    assert maxlik.fit(src, "weibull", fixed=held).loglik == pytest.approx(
        st.weibull_min.logpdf(x, 2.0, 0, 1.5).sum(), rel=1e-12)
    with pytest.raises(ParameterError, match=r"the log-density must be finite at the starting point; got 5000 non-finite "
                                             r"value\(s\) \(first at data row 0 \(0-based\) of .*part-00\.parquet: -inf\)"):
        maxlik.fit(src, "weibull", init={"concentration": 2.0, "scale": 1e-300})
