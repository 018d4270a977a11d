""".json weight files that are mostly numbers in the wrong place: refused by the
declared architecture and the lists' lengths before their numbers are parsed, so
refusing costs about the file's size in memory (every number used to become a Python
float first: 20 million of them took 3 GB). Times: benchmarks/bench_csv_limits.py."""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pytest
from backprop_lab.engine import Architecture, init_network
from backprop_lab.engine.formats import ModelFileError, load_model, save_model
from backprop_lab.engine.formats.json_lists import MAX_VALUES, NumberList, scan

MB = 1024 * 1024
N = 2_000_000  # numbers in a hostile list: 10 MB of "0.37,"
MANY = "[" + "0.37, " * (N - 1) + "0.37]"


def head(**layer0) -> dict:
    layer = {"units": 2, "activation": "tanh", "weight": [[0.1, 0.2], [0.3, 0.4]], "bias": [0, 0]}
    layer.update(layer0)
    return {
        "format": "backprop-lab.model",
        "version": 1,
        "input_size": 2,
        "layers": [
            layer,
            {"units": 1, "activation": "sigmoid", "weight": [[0.5, 0.6]], "bias": [0]},
        ],
    }


def write(tmp_path, doc: dict, replace: dict[str, str]):
    """``doc`` as JSON with each placeholder string "@key" replaced by raw JSON text."""
    text = json.dumps(doc)
    for key, raw in replace.items():
        text = text.replace(json.dumps(f"@{key}"), raw, 1)
    path = tmp_path / "m.json"
    path.write_text(text)
    return path


def refused_cheaply(path, match: str) -> str:
    """load_model refuses ``path`` with ``match``, allocating at most 3x the file size."""
    size = path.stat().st_size
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=match) as e:
            load_model(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 4 * MB + 3 * size, f"allocated {peak / size:.1f}x the file"
    assert str(e.value).startswith("m.json: ") and "\n" not in str(e.value)
    return str(e.value)


def test_a_weight_row_longer_than_declared_is_refused_unread(tmp_path):
    path = write(tmp_path, head(weight=[[0.1, 0.2], "@row"]), {"row": MANY})
    refused_cheaply(path, f"^m.json: layer 1 weight row 2 has {N} numbers, expected 2$")


def test_more_rows_than_units_are_refused_unread(tmp_path):
    path = write(tmp_path, head(weight="@rows"), {"rows": "[" + ", ".join([MANY] * 3) + "]"})
    refused_cheaply(path, r"layer 1 weight has 3 rows, expected 2 \(one per unit\)")


def test_a_flat_list_as_the_weight_matrix_is_refused_unread(tmp_path):
    path = write(tmp_path, head(weight="@w"), {"w": MANY})
    refused_cheaply(path, rf"layer 1 weight has {N} rows, expected 2 \(one per unit\)")


def test_a_long_bias_is_refused_unread(tmp_path):
    path = write(tmp_path, head(bias="@b"), {"b": MANY})
    refused_cheaply(path, f"layer 1 bias has {N} numbers, expected 2")


def test_numbers_where_the_layers_belong_are_refused_unread(tmp_path):
    doc = head()
    doc["layers"] = "@layers"
    refused_cheaply(write(tmp_path, doc, {"layers": MANY}), f"{N} layers, at most 64")


def test_numbers_under_an_unknown_key_are_refused_unread(tmp_path):
    doc = head()
    doc["junk"] = ["@x", "@x"]
    text = write(tmp_path, doc, {}).read_text().replace('"@x"', MANY)
    (tmp_path / "m.json").write_text(text)
    refused_cheaply(tmp_path / "m.json", "unknown key 'junk'")


def test_values_outside_number_lists_are_counted(tmp_path):
    # a list of strings, nulls or numbers beside lists is not a number list: each value
    # is parsed, so there may only be as many as the largest network has weight rows
    items = ", ".join(['"x"', "null", "1"] * (MAX_VALUES // 3 + 10))
    path = write(tmp_path, head(weight="@w"), {"w": "[[0.1, 0.2], " + items + "]"})
    refused_cheaply(path, f"not a model file: more than {MAX_VALUES:,} values outside number")


def test_nested_rows_of_the_wrong_shape(tmp_path):
    path = write(tmp_path, head(weight=[[[0.1, 0.2]], [[0.3, 0.4]]]), {})
    refused_cheaply(path, r"layer 1 weight row 1 has 1 numbers, expected 2")
    path = write(tmp_path, head(weight=[[[0.1], 0.2], [0.3, 0.4]]), {})
    refused_cheaply(path, r"layer 1 weight row 1: \[0.1\] is not a number")
    path = write(tmp_path, head(weight=[[0.1, 0.2], [0.3, 0.4], []]), {})
    refused_cheaply(path, r"layer 1 weight has 3 rows, expected 2")


def test_a_malformed_number_names_its_line_and_column_in_the_file(tmp_path):
    net = init_network(Architecture.build(3, [4], 2, "tanh", "identity"), "xavier", 0)
    path = tmp_path / "m.json"
    save_model(net, path)
    lines = path.read_text().splitlines()
    row = next(i for i, line in enumerate(lines) if line.strip().startswith("[") and "," in line)
    col = lines[row].index(",") + 1
    lines[row] = lines[row][: col - 1] + ",," + lines[row][col:]
    path.write_text("\n".join(lines) + "\n")
    message = refused_cheaply(path, "invalid JSON at line")
    assert f"at line {row + 1} column {col + 1}: Expecting value" in message


def test_valid_files_read_back_bit_for_bit(tmp_path):
    arch = Architecture.build(5, [7, 3], 2, "relu", "softmax")
    for dtype in ("float64", "float32"):
        net = init_network(arch, "he", 3, dtype)
        save_model(net, tmp_path / "m.json")
        assert load_model(tmp_path / "m.json").equals(net)


def test_scan_leaves_flat_lists_unread_and_reads_the_rest():
    doc = scan('{"a": [1, 2.5, 3], "b": [[], ["x", [4]]], "c": "[1]"}', "s")
    assert isinstance(doc["a"], NumberList) and doc["a"].count() == 3
    assert doc["a"].parse("s") == [1, 2.5, 3]
    empty, (x, four) = doc["b"][0], doc["b"][1]
    assert empty.count() == 0 and x == "x" and four.parse("s") == [4]
    assert doc["c"] == "[1]"  # a string that looks like a list stays a string
    assert repr(doc["a"]) == "[1, 2.5, 3]"
    assert np.array_equal(doc["a"].parse("s"), [1.0, 2.5, 3.0])
