"""Loading data sets from CSV files (engine.data.load_csv) and its errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from backprop_lab.engine.data import CSVError, Dataset, csvfile, load_csv


def to_csv(data: np.ndarray) -> str:
    return "\n".join(",".join(repr(float(v)) for v in row) for row in data)


def write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    p = tmp_path / name
    if isinstance(text, str):
        p.write_bytes(text.encode("utf-8"))
    else:
        p.write_bytes(text)
    return p


def error(path, **kwargs) -> CSVError:
    with pytest.raises(CSVError) as info:
        load_csv(path, **kwargs)
    err = info.value
    assert isinstance(err, ValueError)
    assert "\n" not in str(err)
    return err


# --- good files -----------------------------------------------------------------------------


def test_header_names_the_columns(tmp_path):
    d = load_csv(write(tmp_path, "x1,x2,label\n0.5,1,0\n-2,3e-1,1\n7,8,1\n"), val_split=0)
    assert d.feature_names == ("x1", "x2")
    assert d.target_names == ("label",)
    assert np.array_equal(d.x, [[0.5, 1.0], [-2.0, 0.3], [7.0, 8.0]])
    assert np.array_equal(d.t, [[0.0], [1.0], [1.0]])
    assert d.name == "data"


def test_without_header_all_rows_are_data(tmp_path):
    d = load_csv(write(tmp_path, "1,2,3\n4,5,6.5\n"), val_split=0)
    assert d.x.shape == (2, 2) and d.t.shape == (2, 1)
    assert d.feature_names == ("column 1", "column 2")
    assert d.target_names == ("column 3",)
    assert np.array_equal(d.t[:, 0], [3.0, 6.5])


def test_header_needs_only_one_text_cell(tmp_path):
    d = load_csv(write(tmp_path, "1,2,y\n4,5,6\n"), val_split=0)
    assert d.feature_names == ("1", "2") and d.target_names == ("y",)
    assert d.x.shape == (1, 2)


def test_empty_header_cell_gets_a_default_name(tmp_path):
    d = load_csv(write(tmp_path, "a,,c\n1,2,3\n"), val_split=0)
    assert d.feature_names == ("a", "column 2")


def test_bom_crlf_whitespace_and_blank_lines(tmp_path):
    text = b"\xef\xbb\xbf a , b ,c\r\n 1 ,\t2,0\r\n\r\n3, 4 ,1 \r\n\r\n   \r\n\r\n"
    d = load_csv(write(tmp_path, text), val_split=0)
    assert d.feature_names == ("a", "b") and d.target_names == ("c",)
    assert np.array_equal(d.x, [[1.0, 2.0], [3.0, 4.0]])
    assert np.array_equal(d.labels, [0, 1])


def test_old_mac_line_ends_and_quoted_numbers(tmp_path):
    d = load_csv(write(tmp_path, 'a,b\r"1",2\r3,"4"\r'), val_split=0)
    assert np.array_equal(d.x[:, 0], [1.0, 3.0])
    assert np.array_equal(d.t[:, 0], [2.0, 4.0])


def test_path_may_be_str_or_pathlike(tmp_path):
    p = write(tmp_path, "1,0\n2,1\n")
    assert np.array_equal(load_csv(str(p), val_split=0).x, load_csv(p, val_split=0).x)


def test_several_targets_make_regression(tmp_path):
    d = load_csv(write(tmp_path, "a,b,c,d\n1,2,0,1\n3,4,1,0\n5,6,1,1\n"), targets=2, val_split=0)
    assert d.x.shape == (3, 2) and d.t.shape == (3, 2)
    assert d.target_names == ("c", "d")
    assert d.task == "regression" and d.labels is None and d.n_classes == 0
    with pytest.raises(ValueError, match="needs class labels"):
        d.targets("ce")
    assert d.targets("bce") is d.t
    assert d.output_size("mse") == 2


@pytest.mark.parametrize(
    ("column", "task", "n_classes"),
    [
        ("0 1 1 0", "classification", 2),
        ("2 0 1 2", "classification", 3),
        ("0 5 0 5", "classification", 6),
        ("1.0 0.0 1 2e0", "classification", 3),
        ("0 999 1 2", "classification", 1000),
        ("0 1000 1 2", "regression", 0),
        ("0 1.5 1 2", "regression", 0),
        ("0 -1 1 2", "regression", 0),
        ("0 0 0 0", "regression", 0),
        ("0.25 0.5 3 9", "regression", 0),
    ],
)
def test_classification_detection(tmp_path, column, task, n_classes):
    rows = "".join(f"{i},{v}\n" for i, v in enumerate(column.split()))
    d = load_csv(write(tmp_path, "x,y\n" + rows), val_split=0.25)
    assert d.task == task
    assert d.n_classes == n_classes
    if task == "classification":
        values = np.array([float(v) for v in column.split()])
        assert np.array_equal(d.labels, d.t[:, 0].astype(np.int64))
        assert d.labels.dtype == np.int64
        assert d.targets("ce").shape == (3, n_classes)
        assert d.targets("ce", "val").shape == (1, n_classes)
        assert sorted(np.concatenate([d.labels, d.labels_val])) == sorted(values.astype(int))
    else:
        assert d.labels is None and d.labels_val is None


def test_ce_targets_are_one_hot(tmp_path):
    d = load_csv(write(tmp_path, "a,c\n1,2\n2,0\n3,1\n4,2\n"), val_split=0)
    assert np.array_equal(d.targets("ce"), [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert d.output_size("ce") == 3 and d.output_size("bce") == 1


def test_split_is_seeded_and_partitions_the_rows(tmp_path):
    rows = "".join(f"{i},{i % 2}\n" for i in range(50))
    p = write(tmp_path, rows)
    a = load_csv(p, val_split=0.2, seed=4)
    b = load_csv(p, val_split=0.2, seed=4)
    c = load_csv(p, val_split=0.2, seed=5)
    assert a.x.shape == (40, 1) and a.x_val.shape == (10, 1)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.x_val, b.x_val)
    assert not np.array_equal(a.x_val, c.x_val)
    assert sorted(np.concatenate([a.x[:, 0], a.x_val[:, 0]])) == list(range(50))
    assert np.array_equal(a.labels, a.x[:, 0].astype(int) % 2)


def test_val_split_zero_and_single_row(tmp_path):
    d = load_csv(write(tmp_path, "a,b,c\n1,2,3\n"), val_split=0.9)
    assert d.x.shape == (1, 2) and d.x_val.shape == (0, 2) and d.t_val.shape == (0, 1)
    d = load_csv(write(tmp_path, "1,2,3\n4,5,6\n"), val_split=0)
    assert d.x_val.shape == (0, 2) and d.t_val.shape == (0, 1)


def test_standardize_uses_training_rows(tmp_path):
    rng = np.random.default_rng(0)
    data = np.hstack([rng.normal(5, 3, (200, 2)), rng.normal(0, 1, (200, 1))])
    p = tmp_path / "n.csv"
    p.write_text(to_csv(data))
    raw = load_csv(p, standardize=False)
    d = load_csv(p, standardize=True)
    assert np.allclose(d.x.mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(d.x.std(axis=0), 1.0)
    assert np.allclose(d.x_val, (raw.x_val - raw.x.mean(axis=0)) / raw.x.std(axis=0))
    assert np.array_equal(d.t, raw.t)
    assert raw.mean is None and d.mean is not None


def test_standardize_refuses_a_one_row_file_naming_the_column(tmp_path):
    # standardising one row used to turn every input into 0 without a word
    p = write(tmp_path, "0.05,0.10,0.01,0.99\n", "one_row.csv")
    assert np.array_equal(load_csv(p, 2).x, [[0.05, 0.10]])  # off: the numbers as written
    with pytest.raises(CSVError) as raised:
        load_csv(p, 2, standardize=True)
    assert str(raised.value).startswith("one_row.csv: cannot standardise input column 1:")
    assert "only one training row" in str(raised.value)


def test_standardize_refuses_a_constant_column_by_its_header_name(tmp_path):
    p = write(tmp_path, "a,bias,t\n1,7,0\n2,7,1\n3,7,0\n4,7,1\n")
    with pytest.raises(CSVError, match=r"input column 'bias' \(column 2\).*constant"):
        load_csv(p, val_split=0, standardize=True)


def test_large_file_spans_several_chunks(tmp_path):
    n = 3 * csvfile._CHUNK + 17
    data = np.arange(n * 3, dtype=float).reshape(n, 3) / 7.0
    p = tmp_path / "big.csv"
    p.write_text(
        "a,b,c\n" + "\n".join(",".join(repr(float(v)) for v in row) for row in data) + "\n"
    )
    d = load_csv(p, val_split=0)
    assert np.array_equal(d.x, data[:, :2]) and np.array_equal(d.t, data[:, 2:])
    # an error in a later chunk still names its own line
    lines = p.read_text().splitlines()
    lines[2 * csvfile._CHUNK + 5] = "1,oops,3"
    p.write_text("\n".join(lines))
    err = error(p)
    assert (err.row, err.column) == (2 * csvfile._CHUNK + 6, 2)


def test_result_is_a_read_only_dataset(tmp_path):
    d = load_csv(write(tmp_path, "1,2,0\n3,4,1\n5,6,1\n"), val_split=0)
    assert isinstance(d, Dataset)
    for arr in (d.x, d.t, d.x_val, d.t_val, d.labels):
        assert not arr.flags.writeable
    assert d.x.dtype == np.float64


# --- errors ---------------------------------------------------------------------------------


def test_text_cell(tmp_path):
    err = error(write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,2,abc\n"))
    assert (err.row, err.column) == (5, 3)
    assert err.reason == "'abc' is not a number"
    assert str(err) == "data.csv, row 5, column 3: 'abc' is not a number"
    assert err.path.endswith("data.csv")


def test_missing_value(tmp_path):
    err = error(write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n7,,9\n"))
    assert (err.row, err.column) == (4, 2)
    assert str(err) == "data.csv, row 4, column 2: missing value"


def test_whitespace_only_cell_is_missing(tmp_path):
    err = error(write(tmp_path, "1,2\n  ,3\n"))
    assert (err.row, err.column, err.reason) == (2, 1, "missing value")


def test_first_bad_cell_in_file_order_is_reported(tmp_path):
    err = error(write(tmp_path, "1,2,3\n4,x,6\n7,8,\n"))
    assert (err.row, err.column) == (2, 2)


def test_ragged_row(tmp_path):
    err = error(write(tmp_path, "a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3,4\n1,2,3\n"))
    assert (err.row, err.column) == (7, None)
    assert str(err) == "data.csv, row 7: expected 4 columns, found 3"
    err = error(write(tmp_path, "1,2\n3,4,5\n"))
    assert err.row == 2 and err.reason == "expected 2 columns, found 3"


def test_row_numbers_count_blank_lines(tmp_path):
    err = error(write(tmp_path, "a,b\r\n\r\n1,2\r\n\r\n3,q\r\n"))
    assert (err.row, err.column) == (5, 2)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n", b"\r\n  \r\n"])
def test_empty_file(tmp_path, content):
    err = error(write(tmp_path, content))
    assert (err.row, err.column) == (None, None)
    assert str(err) == "data.csv: the file is empty"


@pytest.mark.parametrize("content", ["a,b,c\n", "a,b,c", "a,b,c\r\n\r\n\n"])
def test_header_only(tmp_path, content):
    err = error(write(tmp_path, content))
    assert str(err) == "data.csv: only a header row, no data"
    assert err.row is None


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("nan", "nan"),
        ("NaN", "NaN"),
        ("inf", "inf"),
        ("-Infinity", "-Infinity"),
        ("1e999", "1e999"),
    ],
)
def test_non_finite_value(tmp_path, cell, shown):
    err = error(write(tmp_path, f"a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n{cell},1\n"))
    assert (err.row, err.column) == (9, 1)
    assert str(err) == f"data.csv, row 9, column 1: non-finite value '{shown}'"


def test_non_finite_in_first_row_is_data_not_header(tmp_path):
    err = error(write(tmp_path, "1,nan\n2,3\n"))
    assert (err.row, err.column) == (1, 2)
    assert "non-finite" in err.reason


def test_file_over_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "data.csv"
    with open(p, "wb") as f:
        f.truncate(300 * 1024**2)  # sparse: takes no disk space

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(csvfile, "open", no_open, raising=False)
    err = error(p)
    assert str(err) == "data.csv: file is 300 MB, over the 200 MB limit"
    assert (err.row, err.column) == (None, None)


def test_small_size_limit(tmp_path):
    p = write(tmp_path, "1,2\n3,4\n")  # 8 bytes
    err = error(p, max_bytes=5)
    assert err.reason == "file is 8 bytes, over the 5 bytes limit"
    assert load_csv(p, max_bytes=8, val_split=0).x.shape == (2, 1)


def test_undecodable_bytes(tmp_path):
    err = error(write(tmp_path, b"a,b\n1,2\n3,\xe9t\xe9\n"))
    assert (err.row, err.column) == (3, 2)
    assert "not UTF-8" in err.reason


def test_utf16_file_is_not_utf8(tmp_path):
    err = error(write(tmp_path, "a,b\n1,2\n".encode("utf-16")))
    assert "not UTF-8" in err.reason
    assert err.row == 1


@pytest.mark.parametrize("targets", [0, -1, True, 1.5, "1"])
def test_bad_targets_argument(tmp_path, targets):
    err = error(write(tmp_path, "1,2,3\n"), targets=targets)
    assert "targets" in err.reason


@pytest.mark.parametrize(("content", "targets"), [("1,2,3\n", 3), ("1,2,3\n", 4), ("1\n2\n", 1)])
def test_targets_must_leave_a_feature_column(tmp_path, content, targets):
    err = error(write(tmp_path, content), targets=targets)
    assert "at least one feature column" in err.reason
    assert (err.row, err.column) == (None, None)


def test_missing_file(tmp_path):
    err = error(tmp_path / "nope.csv")
    assert str(err) == "nope.csv: cannot open the file: No such file or directory"
    assert err.path == str(tmp_path / "nope.csv")


def test_folder_is_not_a_file(tmp_path):
    err = error(tmp_path)
    assert "folder" in err.reason


def test_unreadable_file_reports_the_os_reason(tmp_path, monkeypatch):
    p = write(tmp_path, "1,2\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(csvfile, "open", denied, raising=False)
    err = error(p)
    assert str(err) == "data.csv: cannot open the file: Permission denied"


def test_nul_byte_is_reported(tmp_path):
    err = error(write(tmp_path, "1,2\n3,\x004\n"))
    assert (err.row, err.column) == (2, 2)


def test_unterminated_quote_names_the_line_it_starts_on(tmp_path):
    err = error(write(tmp_path, '1,2\n3,4\n5,"6\n7,8\n'))
    assert (err.row, err.column) == (3, 2)
    assert "\n" not in str(err)


def test_overlong_cell(tmp_path):
    err = error(write(tmp_path, "1,2\n3,4\n5," + "9" * 200_000 + "\n"))
    assert err.row == 3
    err = error(write(tmp_path, "1,2\n3," + "x" * 5000 + "\n"))
    assert (err.row, err.column) == (2, 2)
    assert len(str(err)) < 120


@pytest.mark.parametrize("kwargs", [{"val_split": 1.0}, {"seed": "x"}, {"max_bytes": -1}])
def test_bad_other_arguments_are_value_errors(tmp_path, kwargs):
    with pytest.raises(ValueError):
        load_csv(write(tmp_path, "1,2\n3,4\n"), **kwargs)
