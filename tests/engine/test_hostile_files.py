"""engine.formats against hostile, malformed, truncated and mismatched files.

Every bad file must raise ModelFileError with a one-line "<file name>: <problem>" message,
in well under a second, without allocating much more than the file itself (measured with
tracemalloc, which also sees NumPy's array buffers) and without unpickling anything."""

from __future__ import annotations

import io
import json
import os
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from backprop_lab.engine import Architecture, Network, init_network
from backprop_lab.engine.formats import ModelFileError, load_model, model_to_dict, save_model
from backprop_lab.engine.formats.common import MAX_FILE_BYTES, MAX_HEADER_BYTES, MAX_JSON_BYTES

MB = 1024 * 1024
XOR = Architecture.build(2, [2], 1, "sigmoid", "sigmoid")
DEEP = Architecture.build(3, [8, 6], 2, "tanh", "softmax")


def make_net(arch=XOR, dtype="float64", seed=0) -> Network:
    net = init_network(arch, "he", seed, dtype)
    rng = np.random.default_rng(seed)
    biases = tuple(
        None if b is None else rng.normal(0, 1, b.shape).astype(dtype) for b in net.biases
    )
    return Network(arch, net.weights, biases)


def rejected(path: Path, match: str | None = None, max_alloc: int | None = None) -> str:
    """load_model(path) must raise ModelFileError matching ``match`` cheaply (how fast is
    timed by benchmarks/bench_file_checks.py, not here).

    Allocation limit: 4 MB plus 3x the file size (binary formats) or 40x (JSON, whose
    numbers become Python objects). Returns the message."""
    size = path.stat().st_size if path.is_file() else 0
    if max_alloc is None:
        factor = 40 if path.suffix.lower() == ".json" else 3
        max_alloc = 4 * MB + factor * min(size, 64 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=match) as e:
            load_model(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    message = str(e.value)
    assert message.startswith(f"{path.name}: "), message
    assert "\n" not in message
    assert peak < max_alloc, f"allocated {peak / MB:.1f} MB"
    return message


# ================================================================ JSON


def json_doc(arch=XOR, dtype="float64") -> dict:
    return model_to_dict(make_net(arch, dtype))


def write_json(tmp_path: Path, doc: object, name="m.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def _set(path_keys, value):
    def mutate(d):
        target = d
        for key in path_keys[:-1]:
            target = target[key]
        target[path_keys[-1]] = value

    return mutate


def _del(path_keys):
    def mutate(d):
        target = d
        for key in path_keys[:-1]:
            target = target[key]
        del target[path_keys[-1]]

    return mutate


JSON_CASES = {
    "wrong format": (_set(["format"], "keras.model"), "not a Backprop Lab model"),
    "missing format": (_del(["format"]), "not a Backprop Lab model"),
    "version 2": (_set(["version"], 2), "version 2 is not supported"),
    "version string": (_set(["version"], "1"), "version.* whole number"),
    "version bool": (_set(["version"], True), "version.* whole number, got true"),
    "version float": (_set(["version"], 1.0), "version.* whole number"),
    "missing version": (_del(["version"]), 'missing "version"'),
    "missing input_size": (_del(["input_size"]), 'missing "input_size"'),
    "input_size bool": (_set(["input_size"], True), "input_size.* whole number, got true"),
    "input_size zero": (_set(["input_size"], 0), "invalid architecture: input size"),
    "unknown top key": (_set(["optimizer"], "adam"), "unknown key 'optimizer'"),
    "missing layers": (_del(["layers"]), 'missing "layers"'),
    "layers not list": (_set(["layers"], {"units": 1}), '"layers" must be a list'),
    "no layers": (_set(["layers"], []), "no layers"),
    "layer not object": (_set(["layers", 0], 5), "layer 1: expected an object"),
    "unknown layer key": (_set(["layers", 0, "dropout"], 0.5), "layer 1: unknown key 'dropout'"),
    "missing units": (_del(["layers", 1, "units"]), 'layer 2: missing "units"'),
    "missing weight": (_del(["layers", 0, "weight"]), 'layer 1: missing "weight"'),
    "missing activation": (_del(["layers", 0, "activation"]), 'missing "activation"'),
    "units bool": (_set(["layers", 0, "units"], True), "units.* whole number, got true"),
    "units float": (_set(["layers", 0, "units"], 2.0), "units.* whole number"),
    "units zero": (_set(["layers", 0, "units"], 0), "invalid architecture: layer 1 width"),
    "units too many": (_set(["layers", 0, "units"], 10**6), "invalid architecture"),
    "units vs rows": (_set(["layers", 0, "units"], 3), "layer 1 weight has 2 rows, expected 3"),
    "unknown activation": (_set(["layers", 0, "activation"], "swish"), "unknown activation"),
    "activation not str": (_set(["layers", 0, "activation"], 3), "activation.* must be a name"),
    "softmax hidden": (
        _set(["layers", 0, "activation"], "softmax"),
        "only allowed on the output layer",
    ),
    "weight not list": (_set(["layers", 0, "weight"], "abc"), "must be a list of rows"),
    "weight string number": (_set(["layers", 0, "weight", 0, 0], "0.5"), "'0.5' is not a number"),
    "weight null": (_set(["layers", 0, "weight", 0, 0], None), "null is not a number"),
    "weight bool": (_set(["layers", 0, "weight", 0, 1], True), "true is not a number"),
    "weight nested": (_set(["layers", 0, "weight", 0, 0], [1.0]), "is not a number"),
    "weight object": (_set(["layers", 0, "weight", 1, 0], {"v": 1}), "is not a number"),
    "weight row missing": (
        lambda d: d["layers"][0]["weight"].pop(),
        "layer 1 weight has 1 rows, expected 2",
    ),
    "weight row short": (
        lambda d: d["layers"][0]["weight"][1].pop(),
        "layer 1 weight row 2 has 1 numbers, expected 2",
    ),
    "weight transposed": (
        lambda d: d["layers"][1].__setitem__("weight", [[0.1], [0.2]]),
        "layer 2 weight has 2 rows, expected 1",
    ),
    "weight row not list": (_set(["layers", 0, "weight", 0], 1.0), "must be a list of numbers"),
    "huge integer": (_set(["layers", 0, "weight", 0, 0], 10**400), "too large"),
    "bias length": (
        lambda d: d["layers"][0]["bias"].append(0.0),
        "layer 1 bias has 3 numbers, expected 2",
    ),
    "bias bool value": (_set(["layers", 1, "bias", 0], False), "false is not a number"),
    "bias true but null": (_set(["layers", 0, "bias"], None), '"bias" is missing'),
    "bias false but present": (_set(["bias"], False), 'has a "bias" but "bias" is false'),
    "bias mixed": (
        lambda d: (d.pop("bias"), d["layers"][1].__setitem__("bias", None)),
        "layer 2 has no bias but other layers have one",
    ),
    "bias not bool": (_set(["bias"], "yes"), '"bias" must be true or false'),
    "bias as int": (_set(["bias"], 1), '"bias" must be true or false'),
    "dtype unknown": (_set(["dtype"], "float16"), '"dtype" must be "float32" or "float64"'),
    "float32 overflow": (
        lambda d: (d.__setitem__("dtype", "float32"), _set(["layers", 0, "weight", 0, 0], 1e39)(d)),
        "too large for float32",
    ),
    "too many layers": (
        lambda d: d.__setitem__(
            "layers",
            [{"units": 1, "activation": "tanh", "weight": [[0.0]], "bias": [0.0]}] * 65,
        ),
        "65 layers, at most 64",
    ),
}


@pytest.mark.parametrize("case", list(JSON_CASES))
def test_bad_json_document(tmp_path, case):
    mutate, match = JSON_CASES[case]
    doc = json_doc()
    mutate(doc)
    rejected(write_json(tmp_path, doc), match)


@pytest.mark.parametrize("doc", [[], [1, 2], "model", 3.5, None, True])
def test_json_top_level_not_an_object(tmp_path, doc):
    rejected(write_json(tmp_path, doc), "expected a JSON object")


def _valid_json_text() -> str:
    return json.dumps(json_doc())


RAW_JSON_CASES = {
    "NaN": (lambda t: t.replace('"bias": [', '"bias": [NaN, ', 1), "NaN is not allowed"),
    "Infinity": (lambda t: t.replace('"bias": [', '"bias": [Infinity, ', 1), "Infinity"),
    "-Infinity": (lambda t: t.replace('"bias": [', '"bias": [-Infinity, ', 1), "-Infinity"),
    "1e999": (lambda t: t.replace('"bias": [', '"bias": [1e999, ', 1), "too large"),
    "-1e400": (lambda t: t.replace('"bias": [', '"bias": [-1e400, ', 1), "too large"),
    "5000 digit integer": (
        lambda t: t.replace('"bias": [', '"bias": [' + "9" * 5000 + ", ", 1),
        "invalid JSON",
    ),
    "duplicate key": (lambda t: t.replace("{", '{"version": 1, ', 1), "'version' appears twice"),
    "truncated": (lambda t: t[: len(t) // 2], "invalid JSON at line 1"),
    "empty": (lambda t: "", "invalid JSON"),
    "trailing garbage": (lambda t: t + " {}", "invalid JSON.*Extra data"),
    "single quotes": (lambda t: t.replace('"', "'"), "invalid JSON"),
    "deeply nested": (lambda t: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "deeply nested weight": (
        lambda t: t.replace('"weight": [', '"weight": ' + "[" * 50_000 + "]" * 50_000 + ", [", 1),
        "nested too deeply",
    ),
    "bracket bomb": (lambda t: "[" + "[]," * 400_000 + "[]]", "JSON brackets"),
    "object nesting": (lambda t: '{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
}


@pytest.mark.parametrize("case", list(RAW_JSON_CASES))
def test_bad_json_text(tmp_path, case):
    mutate, match = RAW_JSON_CASES[case]
    path = tmp_path / "m.json"
    path.write_text(mutate(_valid_json_text()))
    rejected(path, match)


def test_json_not_utf8(tmp_path):
    path = tmp_path / "m.json"
    path.write_bytes(_valid_json_text().encode("utf-16"))
    rejected(path, "not UTF-8")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    rejected(path, "not UTF-8")


def test_json_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "m.json"
    path.write_bytes(b"\xef\xbb\xbf" + _valid_json_text().encode())
    assert load_model(path).equals(make_net())


def test_json_uppercase_suffix_is_checked_too(tmp_path):
    path = tmp_path / "M.JSON"
    path.write_text("NaN")
    rejected(path, "NaN is not allowed")


# ================================================================ size limits, odd files


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(size)
    return path


@pytest.mark.parametrize(
    ("suffix", "limit"),
    [(".json", MAX_JSON_BYTES), (".npz", MAX_FILE_BYTES), (".safetensors", MAX_FILE_BYTES)],
)
def test_oversized_file_rejected_before_reading(tmp_path, suffix, limit):
    path = _sparse(tmp_path / f"big{suffix}", limit + 1)
    message = rejected(
        path, f"the file is {limit + 1:,} bytes, more than the .* limit", max_alloc=MB
    )
    assert f"{limit // MB}.0 MB" in message


@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_folder_is_not_a_file(tmp_path, suffix):
    path = tmp_path / f"folder{suffix}"
    path.mkdir()
    rejected(path, "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_fifo_is_rejected_without_blocking(tmp_path, suffix):
    path = tmp_path / f"pipe{suffix}"
    os.mkfifo(path)
    rejected(path, "not a regular file")


@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_empty_file(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    rejected(path)


@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_random_bytes(tmp_path, suffix):
    path = tmp_path / f"noise{suffix}"
    path.write_bytes(np.random.default_rng(0).bytes(5000))
    rejected(path)


@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_every_truncation_of_a_valid_file_is_rejected(tmp_path, suffix):
    good = tmp_path / f"good{suffix}"
    save_model(make_net(DEEP), good)
    data = good.read_bytes()
    cut = tmp_path / f"cut{suffix}"
    step = max(1, len(data) // 150)
    for n in range(0, len(data), step):
        cut.write_bytes(data[:n])
        with pytest.raises(ModelFileError):
            load_model(cut)


@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_format_confusion(tmp_path, suffix):
    """A file of one format under another format's suffix."""
    for other in (".json", ".npz", ".safetensors", ".onnx"):
        if other == suffix:
            continue
        src = tmp_path / f"src{other}"
        save_model(make_net(), src)
        path = tmp_path / f"m{suffix}"
        path.write_bytes(src.read_bytes())
        rejected(path)


# ================================================================ architecture documents


ARCH_CASES = {
    "unknown activation": (lambda a: a["layers"][0].update(activation="gelu"), "unknown activ"),
    "width 0": (lambda a: a["layers"][0].update(units=0), "layer 1 width must be between"),
    "negative width": (lambda a: a["layers"][0].update(units=-2), "layer 1 width"),
    "softmax hidden": (
        lambda a: a["layers"][0].update(activation="softmax"),
        "only allowed on the output layer",
    ),
    "input 0": (lambda a: a.update(input_size=0), "input size must be between"),
    "wrong format": (lambda a: a.update(format="other"), "not a Backprop Lab model"),
    "version 99": (lambda a: a.update(version=99), "version 99 is not supported"),
    "weights inside": (
        lambda a: a["layers"][0].update(weight=[[0.0]]),
        "layer 1: unknown key 'weight'",
    ),
    "no layers": (lambda a: a.update(layers=[]), "no layers"),
    "bool width": (lambda a: a["layers"][1].update(units=True), "whole number, got true"),
}


def _arch_doc(net: Network) -> dict:
    d = model_to_dict(net)
    for layer in d["layers"]:
        del layer["weight"], layer["bias"]
    return d


@pytest.mark.parametrize("case", list(ARCH_CASES))
@pytest.mark.parametrize("suffix", [".json", ".npz", ".safetensors"])
def test_invalid_architecture_in_every_format(tmp_path, suffix, case):
    mutate, match = ARCH_CASES[case]
    net = make_net()
    path = tmp_path / f"m{suffix}"
    if suffix == ".json":
        if case == "weights inside":
            pytest.skip("the .json document carries weights by design")
        doc = model_to_dict(net)
        mutate(doc)
        path.write_text(json.dumps(doc))
    elif suffix == ".npz":
        arch = _arch_doc(net)
        mutate(arch)
        arrays = _npz_arrays(net)
        arrays["architecture"] = np.array(json.dumps(arch))
        np.savez(path, **arrays)
    else:
        arch = _arch_doc(net)
        mutate(arch)
        write_st(
            path,
            _st_tensors(net),
            {"format": "backprop-lab.model", "architecture": json.dumps(arch)},
        )
    message = rejected(path, match)
    if suffix != ".json":
        assert "architecture" in message


# ================================================================ npz


def _npz_arrays(net: Network) -> dict[str, np.ndarray]:
    """The arrays of the .npz that save_model writes for ``net`` (rebuilt, writable)."""
    arrays = {"architecture": np.array(json.dumps(_arch_doc(net)))}
    for n, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        arrays[f"layer{n}.weight"] = np.array(w)
        if b is not None:
            arrays[f"layer{n}.bias"] = np.array(b)
    return arrays


def npy_bytes(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, a, allow_pickle=True)
    return buf.getvalue()


def npy_header(shape, descr="<f8", version=(1, 0)) -> bytes:
    buf = io.BytesIO()
    d = {"descr": descr, "fortran_order": False, "shape": tuple(shape)}
    if version == (1, 0):
        np.lib.format.write_array_header_1_0(buf, d)
    else:
        np.lib.format.write_array_header_2_0(buf, d)
    return buf.getvalue()


def raw_zip(members: list[dict]) -> bytes:
    """A zip archive written by hand, so it can lie. Each member: name, data (as stored,
    i.e. already compressed), and optionally method (0 stored, 8 deflate), crc, usize
    (declared uncompressed size), flags."""
    out = io.BytesIO()
    central = []
    for m in members:
        name = m["name"].encode()
        data = m["data"]
        method = m.get("method", 0)
        crc = m.get("crc", zlib.crc32(data) if method == 0 else 0)
        usize = m.get("usize", len(data))
        flags = m.get("flags", 0)
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s2B4HL2L2H",
                b"PK\x03\x04",
                20,
                0,
                flags,
                method,
                0,
                33,
                crc,
                len(data),
                usize,
                len(name),
                0,
            )
        )
        out.write(name)
        out.write(data)
        central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                3,
                20,
                0,
                flags,
                method,
                0,
                33,
                crc,
                len(data),
                usize,
                len(name),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + name
        )
    cd_offset = out.tell()
    cd = b"".join(central)
    out.write(cd)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(cd), cd_offset, 0
        )
    )
    return out.getvalue()


def deflate(data: bytes) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush()


def npz_members(net: Network, replace: dict | None = None, drop=()) -> list[dict]:
    """The members of the valid .npz of ``net`` (stored), with some replaced/dropped."""
    members = []
    for key, a in _npz_arrays(net).items():
        if key in drop:
            continue
        data = (replace or {}).get(key, npy_bytes(a))
        members.append({"name": f"{key}.npy", "data": data})
    for key, data in (replace or {}).items():
        if key not in _npz_arrays(net):
            members.append({"name": f"{key}.npy", "data": data})
    return members


def write_npz(tmp_path: Path, arrays: dict, name="m.npz") -> Path:
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


class Evil:
    """Unpickling this would create a folder: proof that nothing is unpickled."""

    marker = ""

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_npz_pickled_object_arrays_are_never_unpickled(tmp_path):
    marker = tmp_path / "PWNED"
    Evil.marker = str(marker)
    net = make_net()
    evil = np.empty((2, 2), dtype=object)
    evil[...] = Evil()
    for key in ("layer0.weight", "architecture"):
        arrays = _npz_arrays(net)
        arrays[key] = evil if key != "architecture" else np.array(Evil(), dtype=object)
        path = write_npz(tmp_path, arrays)
        rejected(path, "object arrays are not allowed")
        assert not marker.exists()


NPZ_ARRAY_CASES = {
    "missing architecture": (lambda a: a.pop("architecture"), "no 'architecture' array"),
    "architecture float": (
        lambda a: a.__setitem__("architecture", np.zeros(3)),
        "architecture: expected a unicode string",
    ),
    "architecture 1-d": (
        lambda a: a.__setitem__("architecture", np.array([str(a["architecture"])])),
        "architecture: expected a unicode string",
    ),
    "architecture bytes": (
        lambda a: a.__setitem__("architecture", np.array(str(a["architecture"]).encode())),
        "architecture: expected a unicode string",
    ),
    "architecture not JSON": (
        lambda a: a.__setitem__("architecture", np.array("input 2, hidden 2")),
        "architecture: invalid JSON",
    ),
    "architecture NaN": (
        lambda a: a.__setitem__("architecture", np.array("NaN")),
        "architecture: invalid JSON: NaN is not allowed",
    ),
    "architecture nested": (
        lambda a: a.__setitem__("architecture", np.array("[" * 50_000 + "]" * 50_000)),
        "nested too deeply",
    ),
    "unknown member": (lambda a: a.__setitem__("optimizer_state", np.zeros(2)), "unexpected"),
    "extra layer": (lambda a: a.__setitem__("layer2.weight", np.zeros((1, 1))), "unexpected"),
    "missing weight": (lambda a: a.pop("layer1.weight"), "missing array 'layer1.weight'"),
    "missing bias": (lambda a: a.pop("layer0.bias"), "missing array 'layer0.bias'"),
    "weight transposed": (
        lambda a: a.__setitem__("layer1.weight", a["layer1.weight"].T.copy()),
        r"layer1.weight: shape \(2, 1\), the architecture needs \(1, 2\)",
    ),
    "weight 1-d": (
        lambda a: a.__setitem__("layer0.weight", a["layer0.weight"].ravel()),
        r"layer0.weight: shape \(4,\)",
    ),
    "bias 2-d": (
        lambda a: a.__setitem__("layer0.bias", a["layer0.bias"][None]),
        r"layer0.bias: shape \(1, 2\)",
    ),
    "int weights": (
        lambda a: a.__setitem__("layer0.weight", np.ones((2, 2), np.int64)),
        "dtype int64 is not supported",
    ),
    "float16 weights": (
        lambda a: a.__setitem__("layer0.weight", np.ones((2, 2), np.float16)),
        "dtype float16 is not supported",
    ),
    "complex weights": (
        lambda a: a.__setitem__("layer0.weight", np.ones((2, 2), np.complex128)),
        "dtype complex128 is not supported",
    ),
    "bool weights": (
        lambda a: a.__setitem__("layer0.weight", np.ones((2, 2), bool)),
        "dtype bool is not supported",
    ),
    "structured weights": (
        lambda a: a.__setitem__("layer0.weight", np.zeros((2, 2), [("a", "<f8")])),
        "structured arrays are not allowed",
    ),
    "mixed dtypes": (
        lambda a: a.__setitem__("layer0.bias", a["layer0.bias"].astype(np.float32)),
        "dtype float32 differs",
    ),
    "nan weight": (lambda a: a["layer1.weight"].__setitem__((0, 1), np.nan), "NaN or infinite"),
    "inf bias": (lambda a: a["layer0.bias"].__setitem__(0, -np.inf), "NaN or infinite"),
}


@pytest.mark.parametrize("case", list(NPZ_ARRAY_CASES))
def test_bad_npz_arrays(tmp_path, case):
    mutate, match = NPZ_ARRAY_CASES[case]
    arrays = _npz_arrays(make_net())
    mutate(arrays)
    rejected(write_npz(tmp_path, arrays), match)


def test_npz_declared_dtype_must_match_arrays(tmp_path):
    arrays = _npz_arrays(make_net(dtype="float64"))
    arch = json.loads(str(arrays["architecture"]))
    arch["dtype"] = "float32"
    arrays["architecture"] = np.array(json.dumps(arch))
    rejected(write_npz(tmp_path, arrays), "architecture says float32 but the arrays are float64")


def test_npz_bias_arrays_without_bias(tmp_path):
    net = make_net()
    arrays = _npz_arrays(net)
    arch = json.loads(str(arrays["architecture"]))
    arch["bias"] = False
    arrays["architecture"] = np.array(json.dumps(arch))
    rejected(write_npz(tmp_path, arrays), "unexpected member 'layer0.bias.npy'")


def test_npz_huge_declared_shape(tmp_path):
    """A .npy header declaring a 10^18-element array in a tiny member."""
    members = npz_members(make_net(), {"layer0.weight": npy_header((10**9, 10**9))})
    path = tmp_path / "huge.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, r"layer0.weight: shape \(1000000000, 1000000000\), the architecture needs")


def test_npz_huge_array_matching_a_huge_architecture(tmp_path):
    """The architecture allows 4096 x 12000 (393 MB of float64, under the parameter cap);
    the header declares exactly that shape but the member is tiny: rejected from the sizes,
    nothing allocated."""
    arch = Architecture.build(12_000, [], 4096, output_activation="identity", bias=False)
    doc = {
        "format": "backprop-lab.model",
        "version": 1,
        "input_size": 12_000,
        "bias": False,
        "dtype": "float64",
        "layers": [{"units": 4096, "activation": "identity"}],
    }
    assert arch.parameter_count == 4096 * 12_000
    members = [
        {"name": "architecture.npy", "data": npy_bytes(np.array(json.dumps(doc)))},
        {"name": "layer0.weight.npy", "data": npy_header((4096, 12_000)) + bytes(64)},
    ]
    path = tmp_path / "huge.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, "declares 393216000 bytes of data but the member holds 64", max_alloc=MB)


def test_npz_member_with_trailing_bytes(tmp_path):
    net = make_net()
    data = npy_bytes(np.array(net.weights[0])) + b"\0" * 8
    path = tmp_path / "m.npz"
    path.write_bytes(raw_zip(npz_members(net, {"layer0.weight": data})))
    rejected(path, "declares 32 bytes of data but the member holds 40")


def test_npz_member_truncated_inside_zip(tmp_path):
    net = make_net()
    data = npy_bytes(np.array(net.weights[0]))[:-8]
    path = tmp_path / "m.npz"
    path.write_bytes(raw_zip(npz_members(net, {"layer0.weight": data})))
    rejected(path, "declares 32 bytes of data but the member holds 24")


def _npy_v1(header: bytes) -> bytes:
    header += b" " * (-(10 + len(header) + 1) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + bytes(32)


NPY_HEADER_CASES = {
    "bad magic": (b"\x93NUMPX\x01\x00" + bytes(100), "invalid .npy header"),
    "version 3": (b"\x93NUMPY\x03\x00" + bytes(100), r"\.npy version \(3, 0\) is not supported"),
    "header too long": (
        b"\x93NUMPY\x02\x00" + struct.pack("<I", 200_000) + b" " * 200_000,
        "invalid .npy header",
    ),
    "header not a dict": (
        b"\x93NUMPY\x01\x00" + struct.pack("<H", 22) + b"[1, 2, 3]            \n",
        "invalid .npy header",
    ),
    "header code": (
        _npy_v1(b"{'descr': __import__('os').mkdir('X'), 'fortran_order': False, 'shape': (2, 2)}"),
        "invalid .npy header",
    ),
    "header unterminated": (
        _npy_v1(b"{'descr': '<f8', 'shape': (), 'fortran_orde"),
        "invalid .npy header",
    ),
    "header negative shape": (
        _npy_v1(b"{'descr': '<f8', 'fortran_order': False, 'shape': (-2, 2)}"),
        "invalid .npy header|shape",
    ),
    "short": (b"\x93NUM", "invalid .npy header"),
}


@pytest.mark.parametrize("case", list(NPY_HEADER_CASES))
def test_npz_bad_npy_headers(tmp_path, case):
    data, match = NPY_HEADER_CASES[case]
    path = tmp_path / "m.npz"
    path.write_bytes(raw_zip(npz_members(make_net(), {"layer0.weight": data})))
    rejected(path, match)


def test_npz_version_2_header_and_big_endian_is_read(tmp_path):
    net = make_net()
    w = np.array(net.weights[0]).astype(">f8")
    data = npy_header(w.shape, ">f8", (2, 0)) + w.tobytes()
    path = tmp_path / "m.npz"
    path.write_bytes(raw_zip(npz_members(net, {"layer0.weight": data})))
    assert load_model(path).equals(net)


def test_npz_corrupted_data_fails_crc(tmp_path):
    net = make_net()
    path = tmp_path / "m.npz"
    save_model(net, path)
    data = bytearray(path.read_bytes())
    pos = data.find(np.array(net.weights[1]).tobytes())
    assert pos > 0
    data[pos + 3] ^= 0x40
    path.write_bytes(bytes(data))
    rejected(path, "layer1.weight: corrupted data .*Bad CRC-32")


def test_npz_declared_size_bomb(tmp_path):
    """A member whose directory entry claims 4 GB from 1 KB: rejected from the directory."""
    members = npz_members(make_net())
    members[1] = {
        "name": members[1]["name"],
        "data": deflate(bytes(1000)),
        "method": 8,
        "usize": 0xFFFF_FFF0,
    }
    path = tmp_path / "bomb.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, "would expand from .* to 4096.0 MB", max_alloc=MB)


@pytest.fixture(scope="module")
def zeros_bomb() -> bytes:
    """A real zip bomb: 600 MB of zeros deflated to ~600 KB (ratio ~1000, like legitimate
    deflate), as the weight member of an otherwise valid archive."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(MB)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(600):
        crc = zlib.crc32(chunk, crc)
    data = block * 600 + co.flush()
    members = npz_members(make_net())
    members[1] = {
        "name": members[1]["name"],
        "data": data,
        "method": 8,
        "crc": crc,
        "usize": 600 * MB,
    }
    return raw_zip(members)


def test_npz_zeros_bomb_total_size(tmp_path, zeros_bomb):
    path = tmp_path / "bomb.npz"
    path.write_bytes(zeros_bomb)
    assert path.stat().st_size < MB
    rejected(path, "would expand to 600.[0-9] MB, more than the 512.0 MB limit")


def test_npz_zeros_bomb_is_a_valid_zip(tmp_path, zeros_bomb):
    """The bomb is well-formed (zipfile can stream it): our check is what stops it."""
    with zipfile.ZipFile(io.BytesIO(zeros_bomb)) as zf:
        info = zf.infolist()[1]
        assert info.file_size == 600 * MB
        with zf.open(info) as f:
            assert f.read(MB) == bytes(MB)


def test_npz_many_small_bombs_total(tmp_path):
    """Members each under the ratio limit, together over the size limit."""
    members = npz_members(make_net())
    junk = np.random.default_rng(0).bytes(200_000)
    for n in range(4):
        members.append({"name": f"x{n}.npy", "data": junk, "method": 8, "usize": 150 * MB})
    path = tmp_path / "bombs.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, "would expand to 600.[0-9] MB")


def test_npz_too_many_members(tmp_path):
    members = npz_members(make_net())
    members += [{"name": f"junk{n}.npy", "data": b""} for n in range(5000)]
    path = tmp_path / "many.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, "has 5005 members; a model has at most 129")


def test_npz_duplicate_member(tmp_path):
    members = npz_members(make_net())
    members.append(dict(members[1]))
    path = tmp_path / "dup.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, "appears twice")


def test_npz_encrypted_member(tmp_path):
    members = npz_members(make_net())
    members[1]["flags"] = 0x1
    path = tmp_path / "enc.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, "encrypted")


def test_npz_unsupported_compression(tmp_path):
    path = tmp_path / "bz.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as zf:
        for key, a in _npz_arrays(make_net()).items():
            zf.writestr(f"{key}.npy", npy_bytes(a))
    rejected(path, "unsupported compression 12")


def test_npz_stored_sizes_disagree(tmp_path):
    members = npz_members(make_net())
    members[1]["usize"] = len(members[1]["data"]) + 100
    path = tmp_path / "sizes.npz"
    path.write_bytes(raw_zip(members))
    rejected(path, "inconsistent sizes")


def test_npz_not_a_zip_and_half_a_zip(tmp_path):
    good = tmp_path / "good.npz"
    save_model(make_net(DEEP), good)
    data = good.read_bytes()
    path = tmp_path / "m.npz"
    path.write_bytes(data[: len(data) // 2])
    rejected(path, "not a valid .npz")
    path.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty archive
    rejected(path, "no 'architecture' array")


# ================================================================ safetensors


def _st_tensors(net: Network) -> dict[str, np.ndarray]:
    out = {}
    for n, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        out[f"{2 * n}.weight"] = np.array(w)
        if b is not None:
            out[f"{2 * n}.bias"] = np.array(b)
    return out


def _st_meta(net: Network) -> dict:
    return {"format": "backprop-lab.model", "architecture": json.dumps(_arch_doc(net))}


def write_st(path: Path, tensors: dict, metadata, mutate=None, data_mutate=None) -> Path:
    """A .safetensors file from ``tensors``, with hooks to corrupt header and data."""
    header: dict = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    chunks, offset = [], 0
    for key, a in tensors.items():
        code = {"float32": "F32", "float64": "F64", "float16": "F16", "int64": "I64"}[a.dtype.name]
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[key] = {
            "dtype": code,
            "shape": list(a.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        chunks.append(raw)
        offset += len(raw)
    if mutate:
        mutate(header)
    text = json.dumps(header).encode()
    text += b" " * (-(8 + len(text)) % 8)
    data = b"".join(chunks)
    if data_mutate:
        data = data_mutate(data)
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)
    return path


def _entry(key, field, value):
    def mutate(h):
        h[key][field] = value

    return mutate


ST_CASES = {
    "no metadata": (lambda h: h.pop("__metadata__"), None, "no __metadata__"),
    "metadata wrong format": (
        lambda h: h["__metadata__"].update(format="pytorch"),
        None,
        "not a Backprop Lab model",
    ),
    "metadata not strings": (
        lambda h: h["__metadata__"].update(epoch=3),
        None,
        "__metadata__ must map names to strings",
    ),
    "metadata list": (lambda h: h.__setitem__("__metadata__", ["x"]), None, "__metadata__ must"),
    "no architecture": (
        lambda h: h["__metadata__"].pop("architecture"),
        None,
        "__metadata__ has no architecture",
    ),
    "architecture not JSON": (
        lambda h: h["__metadata__"].update(architecture="2-2-1"),
        None,
        "architecture: invalid JSON",
    ),
    "unknown tensor": (
        lambda h: h.__setitem__("4.weight", dict(h["2.weight"])),
        None,
        "unexpected tensor '4.weight'",
    ),
    "torch activation index": (
        lambda h: h.__setitem__("1.weight", h.pop("2.weight")),
        None,
        "unexpected tensor '1.weight'",
    ),
    "missing tensor": (lambda h: h.pop("2.bias"), None, "missing tensor '2.bias'"),
    "F16": (_entry("0.weight", "dtype", "F16"), None, "dtype 'F16' is not supported"),
    "BF16": (_entry("0.weight", "dtype", "BF16"), None, "dtype 'BF16' is not supported"),
    "I64": (_entry("0.weight", "dtype", "I64"), None, "dtype 'I64' is not supported"),
    "dtype not string": (_entry("0.weight", "dtype", 8), None, "dtype 8 is not supported"),
    "shape mismatch": (
        _entry("0.weight", "shape", [4, 1]),
        None,
        r"'0.weight': shape \[4, 1\], the architecture needs \[2, 2\]",
    ),
    "shape bool": (_entry("2.weight", "shape", [True, 2]), None, "tensor '2.weight': shape"),
    "shape float": (_entry("2.weight", "shape", [1.0, 2.0]), None, "tensor '2.weight': shape"),
    "shape string": (_entry("2.weight", "shape", "1,2"), None, "tensor '2.weight': shape"),
    "shape scalar": (_entry("2.bias", "shape", []), None, "tensor '2.bias': shape"),
    "offsets past the end": (
        _entry("2.bias", "data_offsets", [72, 80]),
        None,
        "'2.bias': data ends at byte 80 but the file holds only 72 bytes of data",
    ),
    "offsets far out of range": (
        _entry("2.bias", "data_offsets", [2**62, 2**62 + 8]),
        None,
        "data ends at byte .* but the file holds only 72 bytes",
    ),
    "offsets overlap": (_entry("0.bias", "data_offsets", [0, 16]), None, "overlaps"),
    "offsets same span": (
        lambda h: h["2.bias"].update(data_offsets=list(h["0.bias"]["data_offsets"][:1]) * 2),
        None,
        "data_offsets span 0 bytes",
    ),
    "offsets negative": (_entry("0.weight", "data_offsets", [-8, 24]), None, "invalid data_off"),
    "offsets reversed": (_entry("0.bias", "data_offsets", [48, 32]), None, "invalid data_off"),
    "offsets wrong size": (
        _entry("0.weight", "data_offsets", [0, 24]),
        None,
        "span 24 bytes but shape \\[2, 2\\] of F64 needs 32",
    ),
    "offsets float": (
        _entry("0.weight", "data_offsets", [0.0, 32.0]),
        None,
        r"data_offsets must be \[start, end\]",
    ),
    "offsets three": (_entry("0.weight", "data_offsets", [0, 16, 32]), None, "data_offsets must"),
    "offsets bool": (_entry("2.bias", "data_offsets", [64, True]), None, "data_offsets must"),
    "offsets huge int": (
        _entry("2.bias", "data_offsets", [10**40, 10**40 + 8]),
        None,
        "data ends at byte",
    ),
    "extra entry key": (_entry("0.weight", "scale", 1.0), None, "exactly dtype, shape and data"),
    "entry not object": (lambda h: h.__setitem__("0.bias", [0, 16]), None, "exactly dtype"),
    "truncated data": (None, lambda d: d[:-8], "data ends at byte 72 but the file holds only 64"),
    "trailing data": (None, lambda d: d + bytes(16), "16 unexpected bytes after the last tensor"),
    "nan weight": (
        None,
        lambda d: d[:8] + np.array([np.nan]).tobytes() + d[16:],
        "'0.weight': contains NaN or infinite",
    ),
    "inf bias": (
        None,
        lambda d: d[:-8] + np.array([np.inf]).tobytes(),
        "'2.bias': contains NaN or infinite",
    ),
}


@pytest.mark.parametrize("case", list(ST_CASES))
def test_bad_safetensors(tmp_path, case):
    mutate, data_mutate, match = ST_CASES[case]
    net = make_net()
    path = write_st(
        tmp_path / "m.safetensors", _st_tensors(net), _st_meta(net), mutate, data_mutate
    )
    rejected(path, match)


def test_safetensors_helper_writes_a_valid_file(tmp_path):
    net = make_net()
    path = write_st(tmp_path / "m.safetensors", _st_tensors(net), _st_meta(net))
    assert load_model(path).equals(net)


def test_safetensors_gap_between_tensors(tmp_path):
    net = make_net()

    def gap(h):
        for key in ("0.bias", "2.weight", "2.bias"):
            start, end = h[key]["data_offsets"]
            h[key]["data_offsets"] = [start + 8, end + 8]

    path = write_st(
        tmp_path / "m.safetensors", _st_tensors(net), _st_meta(net), gap, lambda d: d + bytes(8)
    )
    rejected(path, "'0.bias': gap of 8 bytes")


def test_safetensors_mixed_dtypes(tmp_path):
    net = make_net()
    tensors = _st_tensors(net)
    tensors["0.bias"] = tensors["0.bias"].astype(np.float32)
    rejected(write_st(tmp_path / "m.safetensors", tensors, _st_meta(net)), "mix dtypes F32, F64")


def test_safetensors_declared_dtype_must_match(tmp_path):
    net = make_net()
    meta = _st_meta(net)
    arch = json.loads(meta["architecture"])
    arch["dtype"] = "float32"
    meta["architecture"] = json.dumps(arch)
    path = write_st(tmp_path / "m.safetensors", _st_tensors(net), meta)
    rejected(path, "architecture says float32 but the tensors are F64")


def test_safetensors_from_another_program(tmp_path):
    st = pytest.importorskip("safetensors.numpy")
    path = tmp_path / "torch.safetensors"
    st.save_file({"0.weight": np.zeros((2, 2), np.float32)}, str(path))
    rejected(path, "no __metadata__ with the architecture: not saved by Backprop Lab")


def _st_with_header(tmp_path, header: bytes, length: int | None = None, tail=b"") -> Path:
    path = tmp_path / "m.safetensors"
    n = len(header) if length is None else length
    path.write_bytes(struct.pack("<Q", n) + header + tail)
    return path


def test_safetensors_too_short(tmp_path):
    path = tmp_path / "m.safetensors"
    path.write_bytes(b"\x08\0\0\0\0")
    rejected(path, r"too short for a \.safetensors file \(5 bytes\)")


@pytest.mark.parametrize("length", [100, 2**32, 2**63, 2**64 - 1])
def test_safetensors_header_length_beyond_file(tmp_path, length):
    path = _st_with_header(tmp_path, b'{"__metadata__": {}}    ', length)
    rejected(path, "the header claims .* bytes but the file has only 24", max_alloc=MB)


def test_safetensors_header_over_limit(tmp_path):
    """A header length inside the file but larger than any real header."""
    path = tmp_path / "m.safetensors"
    n = MAX_HEADER_BYTES + 8
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", n) + b"{")
        f.truncate(8 + n + 64)
    rejected(path, f"the header is {n:,} bytes, more than the 1.0 MB limit", max_alloc=MB)


SAFETENSORS_HEADER_CASES = {
    "not JSON": (b"hello world!", "the header is not a JSON object"),
    "array": (b"[1, 2, 3]       ", "the header is not a JSON object"),
    "NaN": (b'{"__metadata__": NaN}   ', "NaN is not allowed"),
    "truncated JSON": (b'{"__metadata__": {"form', "invalid JSON"),
    "not UTF-8": (b'{"\xff\xfe": 1}', "not UTF-8"),
    "nested": (b'{"a":' + b"[" * 60_000 + b"]" * 60_000 + b"}", "nested too deeply"),
    "duplicate": (b'{"0.weight": {}, "0.weight": {}}', "appears twice"),
}


@pytest.mark.parametrize("case", list(SAFETENSORS_HEADER_CASES))
def test_safetensors_bad_header_json(tmp_path, case):
    header, match = SAFETENSORS_HEADER_CASES[case]
    rejected(_st_with_header(tmp_path, header), match)


def test_safetensors_library_rejects_what_we_reject(tmp_path):
    """Sanity check of the test files: the reference reader also refuses overlaps."""
    st = pytest.importorskip("safetensors.numpy")
    net = make_net()
    mutate, _, _ = ST_CASES["offsets overlap"]
    path = write_st(tmp_path / "m.safetensors", _st_tensors(net), _st_meta(net), mutate)
    with pytest.raises(Exception):  # noqa: B017 - the library's own error type
        st.load_file(str(path))


def test_npz_helper_matches_save_model(tmp_path):
    net = make_net(DEEP)
    path = tmp_path / "m.npz"
    save_model(net, path)
    with np.load(path, allow_pickle=False) as z:
        saved = {k: z[k] for k in z.files}
    rebuilt = _npz_arrays(net)
    assert set(saved) == set(rebuilt)
    assert json.loads(str(saved["architecture"])) == json.loads(str(rebuilt["architecture"]))
    assert all(np.array_equal(saved[k], rebuilt[k]) for k in saved if k != "architecture")
    assert load_model(write_npz(tmp_path, rebuilt, "rebuilt.npz")).equals(net)
