"""Built-in data sets and the Dataset record (engine.data)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from backprop_lab.engine.data import BUILTIN_DATASETS, Dataset, ZeroVarianceError, make_dataset

CLASSIFICATION = ("xor", "circles", "gaussians", "spiral", "spiral3")
REGRESSION = ("sine", "plane")
ARRAYS = ("x", "t", "x_val", "t_val")


def _linear_accuracy(d: Dataset) -> float:
    """Training accuracy of a least-squares linear classifier (with intercept)."""
    a = np.hstack([d.x, np.ones((len(d.x), 1))])
    t = d.targets("ce")
    w, *_ = np.linalg.lstsq(a, t, rcond=None)
    return float(np.mean((a @ w).argmax(axis=1) == d.labels))


def test_builtin_names():
    assert BUILTIN_DATASETS == ("xor", "circles", "gaussians", "spiral", "spiral3", "sine", "plane")
    assert set(CLASSIFICATION + REGRESSION) == set(BUILTIN_DATASETS)


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
def test_same_arguments_give_identical_data(name):
    a = make_dataset(name, n=120, noise=0.2, seed=7, val_split=0.25)
    b = make_dataset(name, n=120, noise=0.2, seed=7, val_split=0.25)
    for field in ARRAYS:
        assert np.array_equal(getattr(a, field), getattr(b, field))
        assert getattr(a, field).tobytes() == getattr(b, field).tobytes()
    if a.labels is not None:
        assert np.array_equal(a.labels, b.labels)
        assert np.array_equal(a.labels_val, b.labels_val)


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
def test_different_seed_gives_different_data(name):
    a = make_dataset(name, seed=1)
    b = make_dataset(name, seed=2)
    assert not np.array_equal(a.x, b.x)


def test_negative_and_huge_seeds_work_and_differ():
    a = make_dataset("xor", seed=-1)
    b = make_dataset("xor", seed=1)
    c = make_dataset("xor", seed=2**70)
    assert not np.array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    assert np.array_equal(a.x, make_dataset("xor", seed=-1).x)


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
@pytest.mark.parametrize(("n", "val_split", "n_val"), [(200, 0.2, 40), (4, 0.0, 0), (101, 0.5, 51)])
def test_shapes_and_dtypes(name, n, val_split, n_val):
    d = make_dataset(name, n=n, val_split=val_split)
    dim = 1 if name == "sine" else 2
    k = 3 if name == "spiral3" else 1
    assert d.name == name
    assert d.x.shape == (n - n_val, dim)
    assert d.t.shape == (n - n_val, k)
    assert d.x_val.shape == (n_val, dim)
    assert d.t_val.shape == (n_val, k)
    assert d.input_size == dim
    assert len(d.feature_names) == dim
    assert len(d.target_names) == k
    for field in ARRAYS:
        arr = getattr(d, field)
        assert arr.dtype == np.float64
        assert not arr.flags.writeable
        assert np.isfinite(arr).all()
    if name in CLASSIFICATION:
        assert d.task == "classification"
        assert d.labels.dtype == np.int64 and d.labels.shape == (n - n_val,)
        assert d.labels_val.shape == (n_val,)
        assert not d.labels.flags.writeable
        assert d.n_classes == (3 if name == "spiral3" else 2)
    else:
        assert d.task == "regression"
        assert d.labels is None and d.labels_val is None
        assert d.n_classes == 0


def test_arrays_cannot_be_written():
    d = make_dataset("xor")
    with pytest.raises(ValueError):
        d.x[0, 0] = 5.0
    with pytest.raises(ValueError):
        d.labels[0] = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.x = np.zeros((1, 2))


def test_val_split_zero_gives_empty_val_arrays_of_correct_shape():
    d = make_dataset("spiral3", n=50, val_split=0)
    assert d.x_val.shape == (0, 2)
    assert d.t_val.shape == (0, 3)
    assert d.labels_val.shape == (0,)
    assert d.targets("ce", "val").shape == (0, 3)
    r = make_dataset("sine", n=50, val_split=0)
    assert r.x_val.shape == (0, 1) and r.t_val.shape == (0, 1)


def test_split_is_a_partition_of_the_generated_samples():
    full = make_dataset("circles", n=300, val_split=0.0, seed=3)
    part = make_dataset("circles", n=300, val_split=0.3, seed=3)
    assert len(part.x_val) == 90
    together = np.vstack([part.x, part.x_val])
    key = lambda a: a[np.lexsort(a.T[::-1])]  # noqa: E731
    assert np.array_equal(key(together), key(full.x))


def test_at_least_one_training_row_remains():
    d = make_dataset("xor", n=4, val_split=0.9)
    assert len(d.x) >= 1
    assert len(d.x) + len(d.x_val) == 4


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classes_are_balanced(name):
    d = make_dataset(name, n=301, val_split=0.0)
    counts = np.bincount(d.labels, minlength=d.n_classes)
    assert counts.max() - counts.min() <= 1
    assert counts.sum() == 301


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_labels_match_raw_targets(name):
    d = make_dataset(name, n=100)
    if d.t.shape[1] == 1:
        assert np.array_equal(d.t[:, 0], d.labels.astype(float))
        assert set(np.unique(d.t)) <= {0.0, 1.0}
    else:
        assert np.array_equal(d.t.argmax(axis=1), d.labels)
        assert np.array_equal(d.t.sum(axis=1), np.ones(len(d.t)))


def test_xor_geometry_and_not_linearly_separable():
    d = make_dataset("xor", n=1000, noise=0.0, val_split=0)
    differ = (np.sign(d.x[:, 0]) != np.sign(d.x[:, 1])).astype(np.int64)
    assert np.array_equal(differ, d.labels)
    # every quadrant holds a cluster
    quadrants = {(bool(a > 0), bool(b > 0)) for a, b in d.x}
    assert len(quadrants) == 4
    assert _linear_accuracy(d) < 0.75
    assert _linear_accuracy(make_dataset("xor", n=1000, noise=0.1, val_split=0)) < 0.75


def test_circles_inner_class_has_smaller_radius():
    d = make_dataset("circles", n=1000, noise=0.0, val_split=0)
    r = np.linalg.norm(d.x, axis=1)
    assert r[d.labels == 0].max() <= 0.5 + 1e-12
    assert r[d.labels == 1].min() >= 0.8 - 1e-12
    noisy = make_dataset("circles", n=1000, noise=0.1, val_split=0)
    rn = np.linalg.norm(noisy.x, axis=1)
    assert rn[noisy.labels == 0].mean() < rn[noisy.labels == 1].mean()
    assert _linear_accuracy(noisy) < 0.75


def test_gaussians_are_two_blobs_a_line_separates():
    d = make_dataset("gaussians", n=1000, noise=0.1, val_split=0)
    assert np.allclose(d.x[d.labels == 0].mean(axis=0), [-1, -1], atol=0.15)
    assert np.allclose(d.x[d.labels == 1].mean(axis=0), [1, 1], atol=0.15)
    assert _linear_accuracy(d) > 0.9


@pytest.mark.parametrize("name", ["spiral", "spiral3"])
def test_spirals_are_not_linearly_separable(name):
    d = make_dataset(name, n=1500, noise=0.05, val_split=0)
    assert _linear_accuracy(d) < 0.75
    # the arms wind around the origin: every class reaches all four quadrants
    for c in range(d.n_classes):
        pts = d.x[d.labels == c]
        assert len({(bool(a > 0), bool(b > 0)) for a, b in pts}) == 4


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classes_are_learnable_at_the_default_noise(name):
    # a 1-nearest-neighbour classifier: the classes overlap only a little
    d = make_dataset(name, n=1500, noise=0.1, val_split=0.2)
    dist = np.linalg.norm(d.x_val[:, None, :] - d.x[None, :, :], axis=2)
    assert np.mean(d.labels[dist.argmin(axis=1)] == d.labels_val) > 0.8


def test_spiral_arms_are_centred_and_bounded():
    d = make_dataset("spiral3", n=900, noise=0.0, val_split=0)
    r = np.linalg.norm(d.x, axis=1)
    assert r.min() >= 0.15 - 1e-12 and r.max() <= 1.0 + 1e-12


def test_noise_blurs_the_data():
    a = make_dataset("circles", n=500, noise=0.0, val_split=0)
    b = make_dataset("circles", n=500, noise=0.3, val_split=0)
    assert np.linalg.norm(b.x, axis=1).max() > np.linalg.norm(a.x, axis=1).max()


def test_sine_regression():
    d = make_dataset("sine", n=500, noise=0.0, val_split=0)
    assert d.x.min() >= -np.pi and d.x.max() <= np.pi
    assert np.allclose(d.t[:, 0], np.sin(d.x[:, 0]))
    noisy = make_dataset("sine", n=2000, noise=0.1, val_split=0)
    resid = noisy.t[:, 0] - np.sin(noisy.x[:, 0])
    assert 0.08 < resid.std() < 0.12


def test_plane_regression_is_linear_through_origin():
    d = make_dataset("plane", n=500, noise=0.0, val_split=0)
    w, *_ = np.linalg.lstsq(d.x, d.t, rcond=None)
    assert np.allclose(d.x @ w, d.t)
    noisy = make_dataset("plane", n=2000, noise=0.2, val_split=0)
    w, *_ = np.linalg.lstsq(noisy.x, noisy.t, rcond=None)
    assert 0.15 < (noisy.t - noisy.x @ w).std() < 0.25


def test_name_is_case_insensitive():
    assert np.array_equal(make_dataset(" XOR ").x, make_dataset("xor").x)
    assert make_dataset("Spiral3").name == "spiral3"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "moons"}, "xor, circles, gaussians, spiral, spiral3, sine, plane"),
        ({"name": 3}, "unknown data set"),
        ({"n": 3}, "between 4 and 100,000"),
        ({"n": 100_001}, "between 4 and 100,000"),
        ({"n": 10.5}, "whole number"),
        ({"n": True}, "whole number"),
        ({"noise": -0.1}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"noise": float("inf")}, "noise"),
        ({"noise": "0.1"}, "noise"),
        ({"seed": 1.5}, "seed"),
        ({"seed": None}, "seed"),
        ({"val_split": 0.95}, r"\[0, 0.9\]"),
        ({"val_split": -0.1}, r"\[0, 0.9\]"),
        ({"val_split": float("nan")}, r"\[0, 0.9\]"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    args = {"name": "xor"} | kwargs
    with pytest.raises(ValueError, match=match):
        make_dataset(**args)


def test_boundary_arguments_are_accepted():
    assert len(make_dataset("xor", n=4, noise=0, val_split=0.9).x) >= 1
    assert len(make_dataset("sine", n=100_000, val_split=0.0).x) == 100_000
    assert make_dataset("plane", n=10, noise=np.float32(0.5), seed=np.int64(3)).x.shape == (8, 2)


# --- targets(), output_size() ---------------------------------------------------------------


def test_ce_targets_are_one_hot_of_labels():
    d = make_dataset("xor", n=50)
    t = d.targets("ce")
    assert t.shape == (40, 2) and t.dtype == np.float64
    assert np.array_equal(t.argmax(axis=1), d.labels)
    assert np.array_equal(t.sum(axis=1), np.ones(40))
    tv = d.targets("ce", "val")
    assert tv.shape == (10, 2)
    assert np.array_equal(tv.argmax(axis=1), d.labels_val)
    assert d.output_size("ce") == 2


def test_mse_and_bce_targets_are_raw():
    d = make_dataset("circles", n=50)
    assert d.targets("mse") is d.t
    assert d.targets("bce", "val") is d.t_val
    assert d.output_size("bce") == 1
    assert d.output_size("mse") == 1
    s = make_dataset("spiral3", n=60)
    assert np.array_equal(s.targets("ce"), s.t)
    assert s.output_size("ce") == 3 and s.output_size("mse") == 3


@pytest.mark.parametrize("name", REGRESSION)
def test_ce_on_regression_is_a_clear_error(name):
    d = make_dataset(name)
    with pytest.raises(ValueError, match="needs class labels"):
        d.targets("ce")
    with pytest.raises(ValueError, match="needs class labels"):
        d.output_size("ce")
    assert d.output_size("mse") == 1


def test_targets_rejects_bad_split():
    with pytest.raises(ValueError, match="'train' or 'val'"):
        make_dataset("xor").targets("mse", "test")


# --- standardisation ------------------------------------------------------------------------


def test_standardized_uses_training_statistics_only():
    raw = make_dataset("plane", n=400, val_split=0.25, seed=5)
    d = raw.standardized()
    assert np.allclose(d.x.mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(d.x.std(axis=0), 1.0)
    assert np.allclose(d.mean, raw.x.mean(axis=0))
    assert np.allclose(d.std, raw.x.std(axis=0))
    # the validation rows use the TRAINING statistics, not their own
    assert np.allclose(d.x_val, (raw.x_val - raw.x.mean(axis=0)) / raw.x.std(axis=0))
    assert not np.allclose(d.x_val.mean(axis=0), 0.0, atol=1e-12)
    # targets are untouched
    assert np.array_equal(d.t, raw.t) and np.array_equal(d.t_val, raw.t_val)
    assert raw.mean is None and raw.std is None
    assert not d.x.flags.writeable and not d.mean.flags.writeable


def _two_columns(x, x_val, names=("a", "b")) -> Dataset:
    return Dataset(
        name="const",
        x=np.array(x),
        t=np.zeros((len(x), 1)),
        x_val=np.array(x_val),
        t_val=np.zeros((len(x_val), 1)),
        labels=None,
        labels_val=None,
        task="regression",
        n_classes=0,
        feature_names=names,
        target_names=("y",),
    )


def test_standardized_refuses_a_constant_column_naming_it():
    # dividing by a standard deviation of 0 used to turn the column silently into zeros
    data = _two_columns([[1.0, 5.0], [3.0, 5.0]], [[2.0, 5.0]])
    with pytest.raises(ZeroVarianceError, match=r"column 'b' \(column 2\)") as raised:
        data.standardized()
    assert raised.value.column == 2
    assert "same value (5) in every training row" in str(raised.value)
    assert "it is constant" in str(raised.value)
    assert isinstance(raised.value, ValueError)  # the CLI's one-line error, exit code 2


def test_standardized_refuses_one_training_row_naming_the_column_by_number():
    data = _two_columns([[0.05, 0.1]], np.zeros((0, 2)), names=("column 1", "column 2"))
    with pytest.raises(ZeroVarianceError) as raised:
        data.standardized()
    message = str(raised.value)
    assert "input column 1:" in message and "'column 1'" not in message
    assert "only one training row" in message


def test_standardized_keeps_columns_that_vary():
    d = _two_columns([[1.0, 5.0], [3.0, 7.0]], [[2.0, 6.0]]).standardized()
    assert np.array_equal(d.x, [[-1.0, -1.0], [1.0, 1.0]])
    assert np.array_equal(d.x_val, [[0.0, 0.0]])


def test_standardizing_twice_keeps_stats_of_raw_features():
    raw = make_dataset("sine", n=100)
    once = raw.standardized()
    twice = once.standardized()
    assert np.allclose(twice.x, once.x)
    assert np.allclose((raw.x - twice.mean) / twice.std, twice.x)


# --- the Dataset record ---------------------------------------------------------------------


def _record(**overrides) -> dict:
    args = dict(
        name="r",
        x=np.zeros((3, 2)),
        t=np.zeros((3, 1)),
        x_val=np.zeros((1, 2)),
        t_val=np.zeros((1, 1)),
        labels=np.array([0, 1, 1]),
        labels_val=np.array([0]),
        task="classification",
        n_classes=2,
        feature_names=("a", "b"),
        target_names=("y",),
    )
    return args | overrides


def test_dataset_copies_inputs():
    x = np.zeros((3, 2))
    d = Dataset(**_record(x=x))
    x[0, 0] = 9.0
    assert d.x[0, 0] == 0.0
    assert x.flags.writeable  # the caller's array is left alone


@pytest.mark.parametrize(
    "overrides",
    [
        {"t": np.zeros((2, 1))},
        {"x_val": np.zeros((1, 3))},
        {"t_val": np.zeros((1, 2))},
        {"x": np.zeros(3)},
        {"task": "clustering"},
        {"labels": np.array([0, 1, 2])},
        {"labels": np.array([0, 1])},
        {"labels_val": None},
        {"feature_names": ("a",)},
        {"target_names": ()},
        {"task": "regression"},
        {"mean": np.zeros(2)},
        {"mean": np.zeros(3), "std": np.ones(3)},
    ],
)
def test_dataset_rejects_inconsistent_fields(overrides):
    with pytest.raises(ValueError):
        Dataset(**_record(**overrides))
