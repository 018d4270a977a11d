"""``.onnx`` export (one way: Backprop Lab does not read ONNX back).

A float32 graph, opset 17, IR version 8: input ``input`` of shape [batch, inputs] (symbolic
``batch``), output ``output``. Each layer is ``Gemm(x, W, b, transB=1)`` (W stored in the
(units, inputs) torch.nn.Linear layout; no ``C`` input without bias) followed by its
activation: Sigmoid, Tanh, Relu, LeakyRelu(alpha=0.01), Softmax(axis=-1) or Identity.
The architecture document is kept in the model's metadata (``backprop-lab.architecture``).

``onnx`` is imported inside :func:`export_onnx` only, so ``import engine`` stays light.
"""

from __future__ import annotations

import os

import numpy as np

from ..activations import LEAKY_SLOPE
from ..network import Network
from .architecture_doc import check_savable, header_dict
from .atomic import atomic_write
from .common import FORMAT_NAME, ModelFileError, display_name, dumps_compact

OPSET = 17
IR_VERSION = 8
ONNX_OPS = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "Relu",
    "leaky_relu": "LeakyRelu",
    "softmax": "Softmax",
    "identity": "Identity",
}


def build_onnx_model(net: Network, source: str = "<model>"):
    """The checked ``onnx.ModelProto`` of ``net`` (float32)."""
    try:
        import onnx
        from onnx import TensorProto, helper, numpy_helper
    except ImportError:
        raise ModelFileError(source, "ONNX export needs the 'onnx' package") from None
    check_savable(net, source)
    arch = net.architecture
    nodes, inits = [], []
    x = "input"
    last = net.depth - 1
    for n, (w, b, spec) in enumerate(zip(net.weights, net.biases, arch.layers, strict=True)):
        with np.errstate(over="ignore"):
            w32 = w.astype(np.float32)
            b32 = None if b is None else b.astype(np.float32)
        if not np.isfinite(w32).all() or (b32 is not None and not np.isfinite(b32).all()):
            raise ModelFileError(
                source, f"layer {n + 1}: weights too large for float32 (ONNX export is float32)"
            )
        inits.append(numpy_helper.from_array(w32, f"layer{n}.weight"))
        gemm_inputs = [x, f"layer{n}.weight"]
        if b32 is not None:
            inits.append(numpy_helper.from_array(b32, f"layer{n}.bias"))
            gemm_inputs.append(f"layer{n}.bias")
        z = f"layer{n}.z"
        nodes.append(helper.make_node("Gemm", gemm_inputs, [z], name=f"layer{n}.linear", transB=1))
        out = "output" if n == last else f"layer{n}.a"
        op = ONNX_OPS[spec.activation]
        attrs = {}
        if op == "LeakyRelu":
            attrs["alpha"] = LEAKY_SLOPE
        elif op == "Softmax":
            attrs["axis"] = -1
        nodes.append(helper.make_node(op, [z], [out], name=f"layer{n}.{spec.activation}", **attrs))
        x = out
    graph = helper.make_graph(
        nodes,
        "backprop_lab_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", arch.input_size])],
        [
            helper.make_tensor_value_info(
                "output", TensorProto.FLOAT, ["batch", arch.layers[-1].units]
            )
        ],
        initializer=inits,
        doc_string=f"Backprop Lab MLP {arch.describe()}",
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="Backprop Lab",
    )
    helper.set_model_props(
        model,
        {
            "backprop-lab.format": FORMAT_NAME,
            "backprop-lab.architecture": dumps_compact(header_dict(arch, net.dtype)),
        },
    )
    try:
        onnx.checker.check_model(model, full_check=True)
    except (onnx.checker.ValidationError, ValueError) as e:  # a bug here, or > 2 GB
        raise ModelFileError(source, f"ONNX export failed: {e}") from None
    return model


def export_onnx(net: Network, path: str | os.PathLike) -> None:
    name = display_name(path)
    model = build_onnx_model(net, name)
    try:
        data = model.SerializeToString()
    except ValueError as e:  # protobuf's 2 GB limit
        raise ModelFileError(name, f"the network is too large for ONNX: {e}") from None
    atomic_write(path, data)
