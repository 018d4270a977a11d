"""engine.formats: round trips, interoperability (np.load, safetensors, onnxruntime, torch),
the JSON document, atomic writes and the public API."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from backprop_lab.engine import Architecture, LayerSpec, Network, init_network, predict
from backprop_lab.engine.formats import (
    FORMATS,
    ModelFileError,
    atomic_write,
    load_model,
    model_from_dict,
    model_json,
    model_to_dict,
    npz,
    safetensors,
    save_model,
)
from backprop_lab.engine.formats import atomic as atomic_module
from backprop_lab.engine.limits import MAX_WEIGHT

ROOT = Path(__file__).resolve().parents[2]

ARCHITECTURES = {
    "xor": Architecture.build(2, [2], 1, "sigmoid", "sigmoid"),
    "deep": Architecture.build(3, [8, 6, 5], 2, "tanh", "identity"),
    "softmax": Architecture.build(4, [7], 3, "relu", "softmax"),
    "mixed": Architecture(
        5,
        (
            LayerSpec(6, "leaky_relu"),
            LayerSpec(4, "identity"),
            LayerSpec(3, "sigmoid"),
            LayerSpec(2, "tanh"),
        ),
    ),
    "linear": Architecture.build(1, [], 1, output_activation="identity"),
    "relu_out": Architecture.build(3, [4], 2, "tanh", "relu"),
    "leaky_out": Architecture.build(3, [4], 2, "sigmoid", "leaky_relu"),
}
LOADABLE = (".json", ".npz", ".safetensors")


def make_net(arch_name="deep", dtype="float64", bias=True, seed=0) -> Network:
    """A network with random (nonzero) weights and biases."""
    arch = ARCHITECTURES[arch_name]
    arch = Architecture(arch.input_size, arch.layers, bias)
    net = init_network(arch, "he", seed, dtype)
    rng = np.random.default_rng(seed + 1)
    biases = tuple(
        None if b is None else rng.normal(0, 0.5, b.shape).astype(dtype) for b in net.biases
    )
    return Network(arch, tuple(np.array(w) for w in net.weights), biases)


def with_weights(net: Network, layer: int, values) -> Network:
    ws = [np.array(w) for w in net.weights]
    ws[layer].flat[: len(values)] = values
    return Network(net.architecture, tuple(ws), net.biases)


# ---------------------------------------------------------------- API


def test_formats_tuple():
    assert FORMATS == (".json", ".npz", ".safetensors", ".onnx")
    assert issubclass(ModelFileError, ValueError)


def test_importing_engine_does_not_import_onnx_or_torch():
    code = (
        "import sys, backprop_lab.engine, backprop_lab.engine.formats; "
        "bad = [m for m in ('onnx', 'onnxruntime', 'torch', 'safetensors', 'PySide6', 'pickle') "
        "if m in sys.modules and m != 'pickle']; print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_no_pickle_in_the_package():
    for path in (ROOT / "engine" / "formats").glob("*.py"):
        text = path.read_text()
        assert "import pickle" not in text, path
        assert "allow_pickle=True" not in text, path
    for path in (ROOT / "engine" / "formats").glob("*.py"):
        if path.name != "onnx_export.py":
            assert "import onnx" not in path.read_text(), path


def test_unknown_suffix_names_the_valid_ones(tmp_path):
    net = make_net()
    for name in ("model.txt", "model", "model.pt", "model.pkl"):
        with pytest.raises(ModelFileError) as e:
            save_model(net, tmp_path / name)
        msg = str(e.value)
        assert msg.startswith(f"{name}: ")
        assert all(s in msg for s in FORMATS)
        with pytest.raises(ModelFileError):
            load_model(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_suffix_is_case_insensitive(tmp_path):
    net = make_net()
    for suffix in (".JSON", ".Npz", ".SafeTensors"):
        path = tmp_path / f"m{suffix}"
        save_model(net, path)
        assert load_model(path).equals(net)
    save_model(net, tmp_path / "m.ONNX")
    assert (tmp_path / "m.ONNX").stat().st_size > 0


def test_onnx_is_export_only(tmp_path):
    path = tmp_path / "m.onnx"
    save_model(make_net(), path)
    with pytest.raises(ModelFileError, match=r"^m\.onnx: ONNX files are export-only"):
        load_model(path)


def test_path_may_be_str_or_pathlike(tmp_path):
    net = make_net()
    save_model(net, str(tmp_path / "a.json"))
    assert load_model(str(tmp_path / "a.json")).equals(net)


def test_error_is_one_line_with_file_name(tmp_path):
    path = tmp_path / "bad model.json"
    path.write_text('{"format": "x"}\n')
    with pytest.raises(ModelFileError) as e:
        load_model(path)
    assert "\n" not in str(e.value)
    assert str(e.value).startswith("bad model.json: ")
    assert e.value.source == "bad model.json"
    assert str(tmp_path) not in str(e.value)  # the name, not the full path


def test_model_file_error_single_message():
    e = ModelFileError("a\nb")
    assert str(e) == "a b"
    e = ModelFileError("f.json", "line 1\nline 2")
    assert str(e) == "f.json: line 1 line 2"


def test_missing_file_is_os_error(tmp_path):
    for suffix in LOADABLE:
        with pytest.raises(FileNotFoundError):
            load_model(tmp_path / f"nope{suffix}")


def test_save_rejects_non_network(tmp_path):
    with pytest.raises(TypeError):
        save_model("not a network", tmp_path / "m.json")


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", LOADABLE)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("arch_name", list(ARCHITECTURES))
def test_round_trip_bit_identical(tmp_path, suffix, dtype, bias, arch_name):
    net = make_net(arch_name, dtype, bias)
    path = tmp_path / f"model{suffix}"
    save_model(net, path)
    loaded = load_model(path)
    assert loaded.equals(net)
    assert loaded.dtype == np.dtype(dtype)
    assert loaded.architecture == net.architecture
    assert all(not w.flags.writeable for w in loaded.weights)
    for a, b in zip(loaded.weights, net.weights, strict=True):
        assert a.tobytes() == b.tobytes()  # also -0.0 vs 0.0
        assert a.dtype.isnative


EXTREMES64 = [
    0.1,
    -0.0,
    5e-324,  # smallest subnormal
    2.2250738585072014e-308,
    MAX_WEIGHT,  # the largest weight any file keeps (engine.limits)
    -MAX_WEIGHT,
    float(np.nextafter(MAX_WEIGHT, 0)),
    1 / 3,
    123456789.123456789,
    1e-300,
    2.0**-1074 * 3,
]


@pytest.mark.parametrize("suffix", LOADABLE)
def test_extreme_float64_values_survive(tmp_path, suffix):
    net = with_weights(make_net("deep", "float64"), 0, EXTREMES64)
    path = tmp_path / f"m{suffix}"
    save_model(net, path)
    loaded = load_model(path)
    assert loaded.equals(net)
    assert loaded.weights[0].tobytes() == net.weights[0].tobytes()


@pytest.mark.parametrize("suffix", LOADABLE)
@pytest.mark.parametrize(
    "value", [float(np.nextafter(MAX_WEIGHT, np.inf)), -1e308, 1.7976931348623157e308]
)
def test_weights_beyond_the_limit_are_neither_saved_nor_loaded(
    tmp_path, monkeypatch, suffix, value
):
    """|w| > engine.limits.MAX_WEIGHT: refused on save, and a file holding one (written
    here with the save check switched off) is refused on load, naming the bound."""
    net = with_weights(make_net("deep", "float64"), 0, [0.5, value])
    path = tmp_path / f"m{suffix}"
    with pytest.raises(ModelFileError, match="at most 1e\\+154"):
        save_model(net, path)
    assert not path.exists()
    module = {".json": model_json, ".npz": npz, ".safetensors": safetensors}[suffix]
    monkeypatch.setattr(module, "check_savable", lambda *a: None)
    save_model(net, path)
    monkeypatch.undo()
    with pytest.raises(ModelFileError, match="at most 1e\\+154") as e:
        load_model(path)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("suffix", LOADABLE)
def test_extreme_float32_values_survive(tmp_path, suffix):
    f32 = np.float32
    values = [
        f32(0.1),
        f32(-0.0),
        np.finfo(f32).smallest_subnormal,
        np.finfo(f32).tiny,
        np.finfo(f32).max,
        -np.finfo(f32).max,
        f32(1) / f32(3),
        np.nextafter(f32(1), f32(2)),
    ]
    net = with_weights(make_net("deep", "float32"), 0, values)
    path = tmp_path / f"m{suffix}"
    save_model(net, path)
    loaded = load_model(path)
    assert loaded.dtype == np.float32
    assert loaded.weights[0].tobytes() == net.weights[0].tobytes()


def test_random_float_bits_round_trip_json(tmp_path):
    rng = np.random.default_rng(7)
    for dtype, itype in ((np.float64, np.uint64), (np.float32, np.uint32)):
        arch = Architecture.build(16, [], 16, output_activation="identity")
        bits = rng.integers(0, np.iinfo(itype).max, (16, 16), dtype=itype, endpoint=True)
        if dtype is np.float64:  # exponents of 2**513 and up lose their top bit: |w| < 2**512
            bits &= np.uint64(0xBFFF_FFFF_FFFF_FFFF)
        w = bits.view(dtype).copy()
        w[~np.isfinite(w)] = 1.5
        assert float(np.abs(w).max()) <= MAX_WEIGHT
        net = Network(arch, (w,), (np.zeros(16, dtype),))
        save_model(net, tmp_path / "r.json")
        assert load_model(tmp_path / "r.json").weights[0].tobytes() == w.tobytes()


def test_save_overwrites_existing_file(tmp_path):
    path = tmp_path / "m.npz"
    save_model(make_net(seed=1), path)
    net2 = make_net(seed=2)
    save_model(net2, path)
    assert load_model(path).equals(net2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_non_finite_network_is_not_saved(tmp_path, suffix):
    for bad in (np.nan, np.inf, -np.inf):
        net = with_weights(make_net(), 1, [bad])
        path = tmp_path / f"m{suffix}"
        with pytest.raises(ModelFileError, match="NaN or infinite"):
            save_model(net, path)
        assert not path.exists()
    bad_bias = make_net()
    b = [np.array(x) for x in bad_bias.biases]
    b[0][0] = np.nan
    with pytest.raises(ModelFileError):
        save_model(Network(bad_bias.architecture, bad_bias.weights, tuple(b)), tmp_path / "x.npz")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the JSON document


def test_model_to_dict_layout():
    net = make_net("xor", "float32", True)
    d = model_to_dict(net)
    assert d["format"] == "backprop-lab.model"
    assert d["version"] == 1
    assert d["input_size"] == 2
    assert d["bias"] is True
    assert d["dtype"] == "float32"
    assert [ly["units"] for ly in d["layers"]] == [2, 1]
    assert [ly["activation"] for ly in d["layers"]] == ["sigmoid", "sigmoid"]
    assert set(d["layers"][0]) == {"units", "activation", "weight", "bias"}
    w = d["layers"][0]["weight"]
    assert len(w) == 2 and len(w[0]) == 2  # (units, inputs)
    assert all(type(v) is float for row in w for v in row)
    assert w[0][1] == float(net.weights[0][0, 1])
    json.dumps(d, allow_nan=False)  # plain JSON types
    assert model_from_dict(d).equals(net)


def test_model_to_dict_without_bias_has_null_bias():
    d = model_to_dict(make_net("deep", bias=False))
    assert d["bias"] is False
    assert all(ly["bias"] is None for ly in d["layers"])


def test_model_to_dict_refuses_non_finite():
    with pytest.raises(ModelFileError):
        model_to_dict(with_weights(make_net(), 0, [np.nan]))


def test_json_float32_stored_as_float64_repr(tmp_path):
    net = with_weights(make_net("xor", "float32"), 0, [np.float32(0.1)])
    save_model(net, tmp_path / "m.json")
    text = (tmp_path / "m.json").read_text()
    assert repr(float(np.float32(0.1))) in text  # 0.10000000149011612
    assert '"dtype": "float32"' in text


def test_json_file_is_readable_text(tmp_path):
    net = make_net("xor")
    save_model(net, tmp_path / "m.json")
    text = (tmp_path / "m.json").read_text()
    doc = json.loads(text)
    assert doc == json.loads(json.dumps(model_to_dict(net)))
    assert "NaN" not in text and "Infinity" not in text
    assert text.isascii()
    assert text.count("\n") > 10  # one row per line, not one huge line


def test_model_from_dict_optional_bias_and_dtype():
    net = make_net("deep", "float64", True)
    d = model_to_dict(net)
    del d["bias"], d["dtype"]
    loaded = model_from_dict(d)
    assert loaded.equals(net)
    d = model_to_dict(make_net("deep", "float64", False))
    del d["bias"]
    for layer in d["layers"]:
        del layer["bias"]  # "bias" key itself optional -> null
    assert model_from_dict(d).architecture.bias is False


def test_model_from_dict_accepts_integers_as_weights():
    d = model_to_dict(make_net("xor"))
    d["layers"][0]["weight"] = [[1, -2], [0, 3]]
    net = model_from_dict(d)
    assert net.weights[0].tolist() == [[1.0, -2.0], [0.0, 3.0]]


def test_model_from_dict_source_in_message():
    with pytest.raises(ModelFileError, match=r"^clipboard: "):
        model_from_dict({"format": "nope"}, source="clipboard")


# ---------------------------------------------------------------- npz interop


@pytest.mark.parametrize("bias", [True, False])
def test_npz_loads_with_plain_numpy(tmp_path, bias):
    net = make_net("softmax", "float32", bias)
    path = tmp_path / "m.npz"
    save_model(net, path)
    with np.load(path, allow_pickle=False) as z:
        names = set(z.files)
        expected = {"architecture", "layer0.weight", "layer1.weight"}
        if bias:
            expected |= {"layer0.bias", "layer1.bias"}
        assert names == expected
        arch = json.loads(str(z["architecture"]))
        assert z["architecture"].shape == ()
        assert z["architecture"].dtype.kind == "U"
        assert arch["format"] == "backprop-lab.model"
        assert arch["version"] == 1
        assert arch["dtype"] == "float32"
        assert arch["bias"] is bias
        assert arch["layers"] == [
            {"units": 7, "activation": "relu"},
            {"units": 3, "activation": "softmax"},
        ]
        for n in range(2):
            assert np.array_equal(z[f"layer{n}.weight"], net.weights[n])
            assert z[f"layer{n}.weight"].dtype == np.float32
            if bias:
                assert np.array_equal(z[f"layer{n}.bias"], net.biases[n])


def _write_npz(path, arrays, compressed=False):
    (np.savez_compressed if compressed else np.savez)(path, **arrays)


def _npz_arrays(net: Network, folder: Path) -> dict:
    path = folder / "source.npz"
    save_model(net, path)
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def test_npz_written_by_numpy_is_read(tmp_path):
    """A file made with np.savez_compressed, Fortran-order and big-endian arrays, and no
    optional keys, loads (converted to native, C-order)."""
    net = make_net("deep", "float64", True)
    arrays = _npz_arrays(net, tmp_path)
    arch = json.loads(str(arrays["architecture"]))
    del arch["bias"], arch["dtype"]
    arrays["architecture"] = np.array(json.dumps(arch))
    arrays["layer0.weight"] = np.asfortranarray(arrays["layer0.weight"])
    arrays["layer1.weight"] = arrays["layer1.weight"].astype(">f8")
    path = tmp_path / "np.npz"
    _write_npz(path, arrays, compressed=True)
    loaded = load_model(path)
    assert loaded.equals(net)
    assert all(w.dtype.isnative and w.flags.c_contiguous for w in loaded.weights)


# ---------------------------------------------------------------- safetensors interop


def _safetensors_header(path) -> dict:
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8 : 8 + n])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bias", [True, False])
def test_safetensors_layout(tmp_path, dtype, bias):
    net = make_net("deep", dtype, bias)
    path = tmp_path / "m.safetensors"
    save_model(net, path)
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    assert (8 + n) % 8 == 0
    header = _safetensors_header(path)
    meta = header.pop("__metadata__")
    assert meta["format"] == "backprop-lab.model"
    assert all(isinstance(v, str) for v in meta.values())
    arch = json.loads(meta["architecture"])
    assert arch["input_size"] == 3 and arch["dtype"] == dtype
    keys = [f"{2 * n}.weight" for n in range(4)]
    if bias:
        keys += [f"{2 * n}.bias" for n in range(4)]
    assert sorted(header) == sorted(keys)
    code = "F32" if dtype == "float32" else "F64"
    assert {e["dtype"] for e in header.values()} == {code}
    spans = sorted(tuple(e["data_offsets"]) for e in header.values())
    assert spans[0][0] == 0 and spans[-1][1] == len(data) - 8 - n
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert header["2.weight"]["shape"] == [6, 8]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bias", [True, False])
def test_safetensors_library_reads_our_file(tmp_path, dtype, bias):
    st = pytest.importorskip("safetensors.numpy")
    net = make_net("mixed", dtype, bias)
    path = tmp_path / "m.safetensors"
    save_model(net, path)
    tensors = st.load_file(str(path))
    expected = {f"{2 * n}.weight": w for n, w in enumerate(net.weights)}
    if bias:
        expected |= {f"{2 * n}.bias": b for n, b in enumerate(net.biases)}
    assert set(tensors) == set(expected)
    for key, value in expected.items():
        assert tensors[key].dtype == np.dtype(dtype)
        assert tensors[key].tobytes() == value.tobytes()


def test_safetensors_written_by_library_with_our_metadata_is_read(tmp_path):
    st = pytest.importorskip("safetensors.numpy")
    net = make_net("softmax", "float32", True)
    ours = tmp_path / "ours.safetensors"
    save_model(net, ours)
    meta = _safetensors_header(ours)["__metadata__"]
    tensors = {f"{2 * n}.weight": np.array(w) for n, w in enumerate(net.weights)}
    tensors |= {f"{2 * n}.bias": np.array(b) for n, b in enumerate(net.biases)}
    theirs = tmp_path / "theirs.safetensors"
    st.save_file(tensors, str(theirs), metadata=meta)
    assert load_model(theirs).equals(net)


# ---------------------------------------------------------------- ONNX


def _onnx_inputs(arch: Architecture, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 2, (17, arch.input_size))


@pytest.mark.parametrize("arch_name", list(ARCHITECTURES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bias", [True, False])
def test_onnx_matches_predict(tmp_path, arch_name, dtype, bias):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    net = make_net(arch_name, dtype, bias)
    path = tmp_path / "m.onnx"
    save_model(net, path)
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    assert model.ir_version == 8
    assert [(o.domain, o.version) for o in model.opset_import] == [("", 17)]
    (inp,) = model.graph.input
    (out,) = model.graph.output
    assert inp.name == "input" and out.name == "output"
    dims = inp.type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and dims[1].dim_value == net.architecture.input_size
    assert inp.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert all(t.data_type == onnx.TensorProto.FLOAT for t in model.graph.initializer)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = _onnx_inputs(net.architecture)
    (got,) = session.run(["output"], {"input": x.astype(np.float32)})
    want = predict(net, x)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    # a batch of one, and a bigger batch, through the same symbolic dimension
    (one,) = session.run(["output"], {"input": x[:1].astype(np.float32)})
    np.testing.assert_allclose(one, want[:1], rtol=1e-5, atol=1e-5)


def test_onnx_ops_per_activation(tmp_path):
    onnx = pytest.importorskip("onnx")
    net = make_net("mixed", "float64", True)
    save_model(net, tmp_path / "m.onnx")
    model = onnx.load(str(tmp_path / "m.onnx"))
    ops = [n.op_type for n in model.graph.node]
    assert ops == ["Gemm", "LeakyRelu", "Gemm", "Identity", "Gemm", "Sigmoid", "Gemm", "Tanh"]
    leaky = model.graph.node[1]
    assert [(a.name, round(a.f, 6)) for a in leaky.attribute] == [("alpha", 0.01)]
    gemm = model.graph.node[0]
    assert [(a.name, a.i) for a in gemm.attribute] == [("transB", 1)]
    save_model(make_net("softmax"), tmp_path / "s.onnx")
    model = onnx.load(str(tmp_path / "s.onnx"))
    softmax = model.graph.node[-1]
    assert softmax.op_type == "Softmax"
    assert [(a.name, a.i) for a in softmax.attribute] == [("axis", -1)]
    save_model(make_net("deep", bias=False), tmp_path / "nb.onnx")
    model = onnx.load(str(tmp_path / "nb.onnx"))
    assert all(len(n.input) == 2 for n in model.graph.node if n.op_type == "Gemm")


def test_onnx_keeps_architecture_metadata(tmp_path):
    onnx = pytest.importorskip("onnx")
    net = make_net("softmax")
    save_model(net, tmp_path / "m.onnx")
    props = {p.key: p.value for p in onnx.load(str(tmp_path / "m.onnx")).metadata_props}
    arch = json.loads(props["backprop-lab.architecture"])
    assert arch["layers"][-1] == {"units": 3, "activation": "softmax"}


def test_onnx_refuses_weights_beyond_float32(tmp_path):
    net = with_weights(make_net("deep", "float64"), 0, [1e100])  # within MAX_WEIGHT
    with pytest.raises(ModelFileError, match="float32"):
        save_model(net, tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


# ---------------------------------------------------------------- torch (optional)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch not installed")
@pytest.mark.parametrize("arch_name", list(ARCHITECTURES))
@pytest.mark.parametrize("bias", [True, False])
def test_torch_sequential_loads_safetensors_strict(tmp_path, arch_name, bias):
    import torch
    from safetensors.numpy import load_file

    net = make_net(arch_name, "float64", bias)
    path = tmp_path / "m.safetensors"
    save_model(net, path)
    modules = {
        "identity": torch.nn.Identity,
        "sigmoid": torch.nn.Sigmoid,
        "tanh": torch.nn.Tanh,
        "relu": torch.nn.ReLU,
        "leaky_relu": lambda: torch.nn.LeakyReLU(0.01),
        "softmax": lambda: torch.nn.Softmax(dim=-1),
    }
    arch = net.architecture
    layers = []
    for fan_in, spec in zip(arch.sizes[:-1], arch.layers, strict=True):
        layers.append(torch.nn.Linear(fan_in, spec.units, bias=arch.bias, dtype=torch.float64))
        layers.append(modules[spec.activation]())
    model = torch.nn.Sequential(*layers)
    state = {k: torch.from_numpy(v) for k, v in load_file(str(path)).items()}
    result = model.load_state_dict(state, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    x = _onnx_inputs(arch, seed=3)
    with torch.no_grad():
        got = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, predict(net, x), rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------- atomic writes


def test_atomic_write_writes_and_replaces(tmp_path):
    path = tmp_path / "f.bin"
    atomic_write(path, b"one")
    assert path.read_bytes() == b"one"
    atomic_write(str(path), bytearray(b"two"))
    assert path.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_atomic_write_failing_replace_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    save_model(make_net(seed=1), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        save_model(make_net(seed=2), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_writes_atomically(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"m{suffix}"
    path.write_bytes(b"old contents")
    monkeypatch.setattr(
        atomic_module.os, "replace", lambda s, d: (_ for _ in ()).throw(PermissionError("no"))
    )
    with pytest.raises(PermissionError):
        save_model(make_net(), path)
    assert path.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_atomic_write_failing_fsync_removes_temp(tmp_path, monkeypatch):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_atomic_write_unexpected_error_becomes_os_error(tmp_path, monkeypatch):
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")

    def broken_replace(src, dst):
        raise RuntimeError("boom")

    monkeypatch.setattr(atomic_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="boom") as e:
        atomic_write(path, b"new")
    assert isinstance(e.value.__cause__, RuntimeError)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_atomic_write_interrupt_removes_temp(tmp_path, monkeypatch):
    path = tmp_path / "f.bin"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_into_missing_folder(tmp_path):
    path = tmp_path / "no such folder" / "m.json"
    with pytest.raises(FileNotFoundError, match="does not exist") as e:
        atomic_write(path, b"x")
    assert "no such folder" in str(e.value)
    with pytest.raises(OSError, match="does not exist"):
        save_model(make_net(), path)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_refuses_str(tmp_path):
    with pytest.raises(TypeError):
        atomic_write(tmp_path / "f.txt", "text")  # type: ignore[arg-type]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_permissions(tmp_path):
    new = tmp_path / "new.bin"
    atomic_write(new, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.bin"
    kept.write_bytes(b"old")
    kept.chmod(0o600)
    atomic_write(kept, b"new")
    assert kept.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(
    os.name != "posix" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="root ignores folder permissions",
)
def test_atomic_write_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "m.json").write_bytes(b"old")
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            save_model(make_net(), folder / "m.json")
        assert (folder / "m.json").read_bytes() == b"old"
    finally:
        folder.chmod(0o700)


def test_atomic_write_cannot_create_temp(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    path.write_bytes(b"old")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_module.tempfile, "mkstemp", denied)
    with pytest.raises(PermissionError, match=r"cannot save m\.json .*Permission denied"):
        save_model(make_net(), path)
    assert path.read_bytes() == b"old"


def test_json_refuses_networks_too_large_for_json(tmp_path):
    arch = Architecture.build(100_000, [], 300, output_activation="identity", bias=False)
    net = Network(arch, (np.zeros((300, 100_000), np.float32),), (None,))
    with pytest.raises(ModelFileError, match=r"too large for \.json .*save it as \.npz"):
        save_model(net, tmp_path / "big.json")
    assert list(tmp_path.iterdir()) == []


def test_binary_formats_refuse_networks_over_the_file_limit(tmp_path, monkeypatch):
    from backprop_lab.engine.formats import common

    monkeypatch.setattr(common, "MAX_FILE_BYTES", 1000)  # one shared save-size check
    net = make_net("deep")  # 3*8 + 8*6 + 6*5 + 5*2 + biases = 133 float64 > 1000 bytes
    for suffix in (".npz", ".safetensors"):
        with pytest.raises(ModelFileError, match=r"more than the .* limit"):
            save_model(net, tmp_path / f"m{suffix}")
    assert list(tmp_path.iterdir()) == []
