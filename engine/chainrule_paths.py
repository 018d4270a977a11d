"""The chain rule's paths from a weight to the loss: every sample's sum over all paths
(pushed forward layer by layer, never the recursion backward uses), and the listed paths
of one sample with every factor - all of them when they are few, else the largest by
|product| (exactly while they can be enumerated, beyond that by beam search).

Used by :func:`backprop_lab.engine.chainrule.explain`, which computes the per-sample
quantities (the input the weight multiplies, f'(z) of each later layer, dL/dz of the
output) these functions multiply.
"""

from __future__ import annotations

import math

import numpy as np

from .derivation import MAX_ENUMERATED_PATHS, Factor, Path, paths_note, unit, weight_symbol


def _output_factors(loss: str, out_layer: int, m: int, dLdy, dydz, dLdz) -> list[Factor]:
    y, z = f"y_{m}", unit("z", out_layer, m)
    if loss == "mse":
        return [
            Factor(f"dL/d{y}", float(dLdy), "loss with respect to the output"),
            Factor(f"d{y}/d{z}", float(dydz), "output activation's derivative"),
        ]
    return [Factor(f"dL/d{z}", float(dLdz), f"{loss} from the logits: (y - t) / N")]


def path_sums(net, l0, row, a_in, fprimes, dLdz_out) -> np.ndarray:
    """Every sample's sum over all paths, by pushing the per-path products forward layer
    by layer (sums of products, never the recursion backward uses)."""
    depth = net.depth
    if l0 == depth - 1:
        return a_in * dLdz_out[:, row]
    # v[n, k]: sum over partial paths ending at unit k of the current layer, of the product
    # of the factors from the weight up to and including dz(k)/da(prev)
    v = (a_in * fprimes[0][:, row])[:, None] * net.weights[l0 + 1][:, row][None, :]
    for q in range(l0 + 1, depth - 1):
        v = (v * fprimes[q - l0]) @ net.weights[q + 1].T
    return (v * dLdz_out).sum(axis=1)


def list_paths(net, loss, l0, row, col, sample, a_in, fprimes, dLdy, dydz, dLdz, count, k):
    """The paths of one sample: all of them if there are at most ``k``, else the ``k``
    with the largest |product| (exactly when they can be enumerated, else by beam search)."""
    depth = net.depth
    later = [net.architecture.layers[q].units for q in range(l0 + 1, depth)]
    # per-layer factor vectors of this sample
    first = float(a_in[sample])
    in_sym = f"d{unit('z', l0 + 1, row)}/d{weight_symbol(l0 + 1, row, col)}"
    if count <= MAX_ENUMERATED_PATHS:
        # the products of all paths as a tensor with one axis per later layer
        if l0 == depth - 1:
            prods = np.array(first * dLdz[sample, row])
        else:
            prods = first * fprimes[0][sample, row] * net.weights[l0 + 1][:, row]
            for q in range(l0 + 1, depth):
                if q > l0 + 1:
                    prods = prods[..., :, None] * net.weights[q].T
                prods = prods * (fprimes[q - l0][sample] if q < depth - 1 else dLdz[sample])
        flat = np.ravel(prods)
        if flat.size <= k:
            order = np.arange(flat.size)
        else:
            order = np.argpartition(-np.abs(flat), k - 1)[:k]
            order = order[np.argsort(-np.abs(flat[order]), kind="stable")]
        unit_paths = [np.unravel_index(int(o), tuple(later)) if later else () for o in order]
        complete = flat.size <= k
    else:
        unit_paths = _beam_paths(net, l0, row, sample, first, fprimes, dLdz, k)
        complete = False
    note = paths_note(count, len(unit_paths), complete)
    paths = [
        _path(net, loss, l0, row, col, sample, tuple(int(u) for u in up), first, in_sym,
              fprimes, dLdy, dydz, dLdz)
        for up in unit_paths
    ]  # fmt: skip
    return paths, complete, note


def _beam_paths(net, l0, row, sample, first, fprimes, dLdz, k, beam=2_000):
    depth = net.depth
    partial = [((), first * fprimes[0][sample, row])]
    for q in range(l0 + 1, depth):
        cand = []
        for units, val in partial:
            prev = units[-1] if units else row
            col_w = net.weights[q][:, prev]
            f = fprimes[q - l0][sample] if q < depth - 1 else dLdz[sample]
            vals = val * col_w * f
            for kk in np.argsort(-np.abs(vals))[: max(1, beam // max(1, len(partial)))]:
                cand.append(((*units, int(kk)), float(vals[kk])))
        cand.sort(key=lambda c: -abs(c[1]))
        partial = cand[:beam]
    return [u for u, _ in partial[:k]]


def _path(net, loss, l0, row, col, sample, units, first, in_sym, fprimes, dLdy, dydz, dLdz):
    depth = net.depth
    factors = [Factor(in_sym, first, "the input the weight multiplies" if col is not None
                      else "a bias multiplies 1")]  # fmt: skip
    chain = (row, *units)
    for q in range(l0, depth):
        j = chain[q - l0]
        if q < depth - 1:
            factors.append(
                Factor(f"d{unit('a', q + 1, j)}/d{unit('z', q + 1, j)}",
                       float(fprimes[q - l0][sample, j]), "activation's derivative f'(z)")
            )  # fmt: skip
            k = chain[q - l0 + 1]
            factors.append(
                Factor(f"d{unit('z', q + 2, k)}/d{unit('a', q + 1, j)}",
                       float(net.weights[q + 1][k, j]),
                       f"the weight {weight_symbol(q + 2, k, j)}")
            )  # fmt: skip
        else:
            m = j
            factors.extend(
                _output_factors(
                    loss, depth, m,
                    None if dLdy is None else dLdy[sample, m],
                    None if dydz is None else dydz[sample, m],
                    dLdz[sample, m],
                )
            )  # fmt: skip
    product = math.prod(f.value for f in factors)
    return Path(units=chain, factors=tuple(factors), product=float(product))
