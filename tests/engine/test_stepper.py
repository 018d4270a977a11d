"""Phase-by-phase stepping ends in exactly the weights of one trainer iteration."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine import (
    Architecture,
    LayerSpec,
    Optimizer,
    Trainer,
    TrainingConfig,
    init_network,
)
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.stepper import phases_of


def _pair(opt="sgd", bias=True, batch=16):
    d = make_dataset("spiral3", n=90, seed=2)
    layers = (
        LayerSpec(6, "tanh"),
        LayerSpec(5, "relu"),
        LayerSpec(4, "sigmoid"),
        LayerSpec(3, "softmax"),
    )
    arch = Architecture(2, layers, bias)
    cfg = TrainingConfig("ce", Optimizer(opt, 0.05), batch, l2=0.001, seed=4)
    make = lambda: Trainer(init_network(arch, "he", 3), d.x, d.targets("ce"), cfg)  # noqa: E731
    return make(), make()


@pytest.mark.parametrize("opt", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("bias", [True, False])
def test_stepping_every_phase_equals_one_iteration_bit_for_bit(opt, bias):
    a, b = _pair(opt, bias)
    for _ in range(7):  # several iterations, crossing an epoch boundary
        rec_a = a.step()
        stepper = b.begin_iteration()
        seen = []
        while not stepper.done:
            seen.append(stepper.advance())
        b.commit(stepper.record)
        assert seen == list(phases_of(4))
        assert stepper.record.loss.value == rec_a.loss.value
        assert np.array_equal(stepper.record.backward.grad, rec_a.backward.grad)
        assert np.array_equal(b.network.flat, a.network.flat)
    assert a.step_count == b.step_count == 7


def test_phase_order_descriptions_and_partial_results():
    a, _ = _pair()
    s = a.begin_iteration(sample=5)
    assert len(s.x) == 1 and np.array_equal(s.x[0], a.x[5])
    names = [p.describe(4) for p in s.phases]
    assert names[:5] == [f"Forward: layer {q} of 4" for q in range(1, 5)] + ["Loss"]
    assert names[5:9] == [f"Backward: layer {q} of 4" for q in (4, 3, 2, 1)]
    assert names[-1].startswith("Update")
    for _ in range(2):
        s.advance()
    assert s.z[1] is not None and s.z[2] is None  # layer 2 computed, layer 3 not yet
    s.advance(), s.advance(), s.advance()  # rest of forward + loss
    assert s.loss_record is not None and s.layers_done_backward() == []
    s.advance()  # backward output layer
    assert s.layers_done_backward() == [4] and s.dW(4) is not None and s.dW(3) is None
    s.advance()
    assert s.layers_done_backward() == [4, 3]
    rec = s.finish()
    ref = a.step_on(a.x[5:6], a.t[5:6])
    assert np.array_equal(rec.update.after.flat, ref.update.after.flat)
    with pytest.raises(RuntimeError):
        s.advance()
