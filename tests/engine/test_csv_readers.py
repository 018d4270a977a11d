"""The CSV readers' bounds and rules: widths checked before cells are made, numbers in
ASCII only, the fast reader (NumPy's C parser) agreeing with the careful one, memory a
small multiple of the data. How fast is measured by benchmarks/bench_csv_limits.py."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from backprop_lab.engine.data import CSVError, csv_fast, csv_rows, csvfile, load_csv
from backprop_lab.engine.network import MAX_INPUTS, MAX_UNITS

MB = 1024 * 1024


def write(tmp_path, text: str | bytes, name: str = "data.csv"):
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return p


def refused(path, **kwargs) -> CSVError:
    with pytest.raises(CSVError) as info:
        load_csv(path, **kwargs)
    assert "\n" not in str(info.value)
    return info.value


def peak_of(fn) -> int:
    """Peak bytes allocated (Python objects and NumPy buffers) while ``fn()`` runs."""
    tracemalloc.start()
    try:
        fn()
    except CSVError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# ---------------------------------------------------------------- widths


def test_a_file_wider_than_a_network_is_refused_naming_the_limit(tmp_path):
    row = ",".join(["0"] * (MAX_INPUTS + 2))
    err = refused(write(tmp_path, f"{row}\n{row}\n"))
    assert (err.row, err.column) == (1, None)
    assert err.reason == (
        f"{MAX_INPUTS + 2:,} columns, but a network takes at most {MAX_INPUTS:,} input "
        "columns (plus the 1 target column)"
    )
    d = load_csv(write(tmp_path, f"{row}\n{row}\n"), targets=2, val_split=0)
    assert d.x.shape == (2, MAX_INPUTS)  # two of them targets: it just fits


def test_the_widest_file_a_network_takes_loads(tmp_path):
    row = ",".join(["1"] * MAX_INPUTS) + ",0"
    d = load_csv(write(tmp_path, f"{row}\n{row.replace(',0', ',1')}\n"), val_split=0)
    assert d.x.shape == (2, MAX_INPUTS) and d.n_classes == 2


def test_a_wide_header_is_refused_too(tmp_path):
    header = ",".join(f"c{j}" for j in range(MAX_INPUTS + 5))
    err = refused(write(tmp_path, header + "\n1,2\n"))
    assert err.row == 1 and err.reason.startswith(f"{MAX_INPUTS + 5:,} columns, but")


def test_a_long_line_is_refused_before_it_becomes_cells(tmp_path):
    # 20 MB of "0," without a line end: 10 million cells. Counting its commas is enough;
    # it used to become a list of 10 million strings (and a tuple of names) first.
    path = write(tmp_path, b"0," * (10 * MB))
    err = refused(path)
    assert err.row == 1 and err.reason.startswith(f"{10 * MB + 1:,} columns, but")
    assert peak_of(lambda: load_csv(path)) < 2.5 * 20 * MB


def test_a_wide_row_after_the_first_is_a_ragged_row_refused_before_its_cells(tmp_path):
    path = write(tmp_path, b"1,0\n2,1\n" + b"0," * (5 * MB) + b"0\n")
    err = refused(path)
    assert (err.row, err.reason) == (3, f"expected 2 columns, found {5 * MB + 1:,}")
    assert peak_of(lambda: load_csv(path)) < 2.5 * 10 * MB


def test_quoted_cells_make_the_count_a_bound(tmp_path):
    row = ",".join(["0"] * (MAX_INPUTS + 1)) + ',"1,2"'
    err = refused(write(tmp_path, row + "\n"))
    assert err.reason.startswith(f"more than {MAX_INPUTS + 2:,} columns, but")


def test_more_targets_than_an_output_layer_takes_are_refused(tmp_path):
    err = refused(write(tmp_path, "1,2,3\n"), targets=MAX_UNITS + 1)
    assert err.reason == (
        f"targets must be at most {MAX_UNITS} (the widest output layer), got {MAX_UNITS + 1}"
    )


# ---------------------------------------------------------------- numbers in ASCII only


@pytest.mark.parametrize("cell", ["1_000", "\u0661\u0662\u0663", "\uff11\uff12", "1\u0660"])
@pytest.mark.parametrize("row", [1, 3])
def test_numbers_float_reads_but_a_data_file_does_not(tmp_path, cell, row):
    # Python's float() reads all of them (1000, Arabic-Indic 123, full-width 12)
    float(cell)
    lines = ["1,2,0", "3,4,1", "5,6,0"]
    lines[row - 1] = f"7,{cell},1"
    err = refused(write(tmp_path, "\n".join(lines) + "\n"))
    assert (err.row, err.column) == (row, 2)  # in row 1 it is data, not a header
    assert err.reason.startswith(f"{cell!r} is not a number: only ASCII digits 0-9 are read")
    assert csv_fast.read_numbers(write(tmp_path, "\n".join(lines)).read_bytes(), 0, 3) is None


def test_digits_of_other_scripts_in_a_header_are_names(tmp_path):
    d = load_csv(write(tmp_path, "x\u0661,y\n1,0\n2,1\n"), val_split=0)
    assert d.feature_names == ("x\u0661",)


# ---------------------------------------------------------------- fast and careful agree


def careful(raw: bytes, targets: int = 1):
    return csv_rows.read_rows("f.csv", raw, 0, targets, MAX_INPUTS + targets, "limit")


def fast(raw: bytes):
    first = csv_rows.first_record("f.csv", raw, 0, MAX_INPUTS + 1, "limit")
    if first is None:
        return None
    row, _line, after = first
    header = csv_rows.header_of(row)
    return csv_fast.read_numbers(raw, after if header is not None else 0, len(row))


CELLS = [
    "0", "1", "-2.5", "+.5", "1e3", "1E-3", "7.", " 3 ", "\t4", '"5"', '" 6 "', "", " ",
    "nan", "inf", "-Infinity", "1e999", "1_0", "0x10", "abc", "\u00a08", "\u0663", "\uff13",
    '"1,5"', '"9\n"', "1d3", "..", "+-1", "1.5e", "\x00", "\ufeff1", "#2", " \"2\"",
]  # fmt: skip
ENDS = ["\n", "\r\n", "\r", "\n\n", "\n  \n"]


@pytest.mark.parametrize("seed", range(40))
def test_the_fast_reader_answers_only_as_the_careful_one_does(seed):
    rng = np.random.default_rng(seed)
    for _ in range(25):
        rows, width = int(rng.integers(1, 5)), int(rng.integers(2, 4))
        plain = rng.random() < 0.5  # half the files: numbers only, so the fast path runs
        pool = CELLS[:10] if plain else CELLS
        end = ENDS[0] if plain else ENDS[int(rng.integers(len(ENDS)))]
        lines = [",".join(rng.choice(pool, width)) for _ in range(rows)]
        raw = end.join(lines).encode() + (end.encode() if rng.random() < 0.5 else b"")
        got = fast(raw)
        try:
            want = careful(raw)[0]
        except CSVError:
            want = None
        if got is not None:
            assert want is not None, raw
            assert got.shape == want.shape and np.array_equal(
                got.view(np.int64), want.view(np.int64)
            ), raw
        elif plain and want is not None and b'"' not in raw:
            raise AssertionError(f"the fast reader gave way on a plain file: {raw!r}")


def test_a_plain_file_is_read_by_the_fast_reader_alone(tmp_path, monkeypatch):
    text = "a,b,c\r\n" + "".join(f"{i / 7!r}, {i % 3},{i % 2}\r\n" for i in range(5000))
    want = load_csv(write(tmp_path, text), val_split=0)

    def no_careful_read(*args, **kwargs):
        raise AssertionError("the careful reader ran")

    monkeypatch.setattr(csvfile, "read_rows", no_careful_read)
    got = load_csv(write(tmp_path, text), val_split=0)
    assert np.array_equal(got.x, want.x) and got.feature_names == ("a", "b")
    assert np.array_equal(got.x[:, 0], np.arange(5000) / 7)


def test_the_fast_reader_parses_in_pieces_so_other_threads_run_between(tmp_path, monkeypatch):
    # NumPy's parser holds the GIL: one call on a 60 MB file froze the window for seconds
    text = "a,b\n" + "".join(f"{i / 3!r},{i % 2}\n\n" for i in range(60_000))  # 1.6 MB
    sizes = []
    parse = csv_fast._parse
    monkeypatch.setattr(csv_fast, "_parse", lambda piece: sizes.append(len(piece)) or parse(piece))
    d = load_csv(write(tmp_path, text), val_split=0)
    assert np.array_equal(d.x[:, 0], np.arange(60_000) / 3)
    assert len(sizes) > 4 and max(sizes) <= csv_fast.PIECE_BYTES + 64
    raw = b"1\n22\n333\n" * 5
    cuts = list(csv_fast.pieces(raw, 2, size=7))
    assert cuts[0][0] == 2 and cuts[-1][1] == len(raw)
    for a, b in zip(cuts, cuts[1:], strict=False):
        assert a[1] == b[0] and raw[a[1] - 1 : a[1]] == b"\n"
    long = b"a,b," * 3_000_000  # 12 MB: counted 4 MB at a time, the GIL free in between
    assert csv_rows.count_bytes(long, b",", 1, len(long) - 1) == long.count(b",", 1, len(long) - 1)


def test_a_file_the_fast_reader_refuses_is_named_by_the_careful_one(tmp_path):
    text = "a,b\n" + "".join(f"{i},{i % 2}\n" for i in range(9000)) + "1,two\n"
    err = refused(write(tmp_path, text))
    assert (err.row, err.column, err.reason) == (9002, 2, "'two' is not a number")


@pytest.mark.parametrize("seed", range(5))
def test_rows_are_numbered_by_lines_ended_by_lf_crlf_or_cr(tmp_path, seed):
    import io

    rng = np.random.default_rng(seed)
    lines = [f"{i},{i % 2}" for i in range(30)] + ["1,oops"]
    ends = rng.choice(["\n", "\r\n", "\r", "\n\n", "\r\r\n"], len(lines))
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    want = next(
        n
        for n, line in enumerate(io.StringIO(text, newline=""), start=1)
        if line.startswith("1,oops")
    )
    err = refused(write(tmp_path, text))
    assert (err.row, err.column) == (want, 2)


def test_old_mac_line_ends_still_load(tmp_path):
    d = load_csv(write(tmp_path, "a,b\r1,0\r2,1\r"), val_split=0)
    assert np.array_equal(d.x[:, 0], [1.0, 2.0])


# ---------------------------------------------------------------- memory


def test_loading_holds_the_data_a_small_number_of_times(tmp_path):
    rows = 400_000
    digits = np.random.default_rng(0).integers(0, 10, rows)
    text = "".join(f"0.{d},{int(d >= 5)}\n" for d in digits)  # 2.4 MB, 6 bytes a row
    path = write(tmp_path, text)
    final = rows * (8 + 8 + 8)  # x, t and the labels
    peak = peak_of(lambda: load_csv(path))
    # was 21.8x: read() asked for the 200 MB limit up front, the text was copied at 4
    # bytes a character, and every array of the Dataset was copied once more (2.7x now)
    assert peak < 3 * final, f"{peak / final:.1f}x the data set"


def test_a_data_set_and_its_trainer_hold_the_rows_once(tmp_path):
    from backprop_lab.engine import Architecture, init_network
    from backprop_lab.engine.trainer import Trainer

    path = write(tmp_path, "".join(f"{i % 10 / 10},{i % 2}\n" for i in range(1000)))
    d = load_csv(path, standardize=True)
    assert not d.x.flags.writeable and not d.x_val.flags.writeable
    net = init_network(Architecture.build(1, [3], 1, "tanh", "sigmoid"), "xavier", 0)
    trainer = Trainer(net, d.x, d.t, x_val=d.x_val, t_val=d.t_val)
    assert np.shares_memory(trainer.x, d.x) and np.shares_memory(trainer.t_val, d.t_val)
    mine = np.array(d.x)  # writable: the trainer keeps its own copy
    assert not np.shares_memory(Trainer(net, mine, d.t).x, mine)
