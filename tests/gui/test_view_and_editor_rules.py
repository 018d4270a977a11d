"""The Qt-free halves of the network view and the network builder, tested without widgets:
which edges the view draws and where (gui.views.network_geometry), and the builder's edit
rules (gui.panels.layer_edits)."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.network import Architecture, LayerSpec
from backprop_lab.gui.panels.layer_edits import (
    MAX_HIDDEN,
    change_description,
    default_loss,
    new_layer_at,
    output_for_data,
    output_loss,
    with_inserted,
    with_moved,
)
from backprop_lab.gui.views.network_geometry import (
    Geometry,
    choose_edges,
    edge_batches,
    nearest_edge,
    nearest_node,
)


def arch(*sizes: int) -> Architecture:
    return Architecture(sizes[0], tuple(LayerSpec(n, "tanh") for n in sizes[1:]))


def test_geometry_indexes_every_candidate_edge_into_the_flat_vector() -> None:
    a = arch(3, 4, 2)
    g = Geometry(a, max_nodes=64)
    assert len(g.flat) == g.total == 3 * 4 + 4 * 2
    for e in range(len(g.flat)):
        span = a.layout[g.layer[e]]
        assert g.flat[e] == span.weight_start + g.j[e] * span.weight_shape[1] + g.i[e]
    assert g.edges(np.array([0])) == [(0, 0, 0)]
    assert g.edge_point(0, 1, 2, 0.0) == g.node_position(0, 2)
    with pytest.raises(ValueError, match="no weight"):
        g.check_weight(1, 2, 0)


def test_geometry_caps_a_wide_layer_to_evenly_spaced_units() -> None:
    g = Geometry(arch(100, 5, 1), max_nodes=10)
    assert len(g.shown[0]) == 10 and g.shown[0][0] == 0 and g.shown[0][-1] == 99
    assert g.node_position(0, 1) is None  # not drawn
    assert len(g.flat) == 10 * 5 + 5 < g.total


def test_choose_edges_keeps_the_largest_and_fills_the_room_with_greys() -> None:
    q = np.array([0.1, -5.0, 0.2, 3.0, -0.3, 4.0])
    sel, grey = choose_edges(q, None, 3)
    assert sel.tolist() == [1, 3, 5] and len(grey) == 0
    active = np.array([True, True, False, False, False, False])
    sel, grey = choose_edges(q, active, 3)
    assert sel.tolist() == [0, 1] and len(grey) == 1 and not active[grey].any()


def test_edge_batches_sort_by_sign_then_level() -> None:
    qs = np.array([1.0, -1.0, 0.05, -0.5])
    order, counts = edge_batches(qs, 8)
    assert counts.tolist() == [1, 0, 0, 1, 0, 0, 1, 1]
    assert qs[order].tolist() == [0.05, 1.0, -0.5, -1.0]


def test_hit_tests_find_the_edge_and_node_under_a_point() -> None:
    g = Geometry(arch(1, 1), max_nodes=64)  # one edge from (0, 0) to (1, 0)
    px = py = 0.01
    assert nearest_edge(g, np.array([0]), 0.5, 0.02, px, py) == (0, 0, 0)
    assert nearest_edge(g, np.array([0]), 0.5, 0.5, px, py) is None
    assert nearest_node(g, 1.0, 0.0, px, py) == (1, 0)
    assert nearest_node(g, 0.5, 0.5, px, py) is None


def test_layer_edits_insert_move_and_describe() -> None:
    hidden = [LayerSpec(8, "tanh"), LayerSpec(4, "relu")]
    assert with_inserted(hidden, 1, 3, "sigmoid")[1] == LayerSpec(3, "sigmoid")
    assert hidden == [LayerSpec(8, "tanh"), LayerSpec(4, "relu")]  # not modified
    with pytest.raises(IndexError):
        with_inserted(hidden, 3, 3, "tanh")
    with pytest.raises(ValueError, match="at most"):
        with_inserted([LayerSpec(1, "tanh")] * MAX_HIDDEN, 0, 3, "tanh")
    moved, target = with_moved(hidden, 0, 1)
    assert target == 1 and moved == hidden[::-1]
    with pytest.raises(IndexError):
        with_moved(hidden, 0, -1)
    assert change_description(1, hidden[1], LayerSpec(16, "tanh")) == (
        "layer 2 width 4 -> 16, activation relu -> tanh"
    )


def test_a_new_layer_copies_its_neighbour() -> None:
    hidden = [LayerSpec(16, "relu"), LayerSpec(4, "sigmoid")]
    assert new_layer_at(hidden, 2) == LayerSpec(4, "sigmoid")  # appended: like the last
    assert new_layer_at(hidden, 1) == LayerSpec(16, "relu")  # like the one it follows
    assert new_layer_at(hidden, 0) == LayerSpec(16, "relu")  # at the front: the next one
    assert new_layer_at([], 0) == LayerSpec(8, "tanh")  # nothing to copy: the defaults
    with pytest.raises(IndexError):
        new_layer_at(hidden, 3)
    with pytest.raises(IndexError):
        new_layer_at(hidden, -1)


def test_layer_edits_output_and_loss_follow_the_data() -> None:
    two = make_dataset("circles")
    with pytest.raises(ValueError):
        output_loss(two, "sigmoid", "ce", "bce")
    assert output_loss(two, "sigmoid", None, "mse") == "mse"
    assert default_loss(two, "sigmoid", "nonsense") in ("bce", "mse")
    assert output_for_data(two, make_dataset("circles"), "sigmoid", "mse") == ("sigmoid", "mse")
