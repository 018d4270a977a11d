"""How the network drawing fits its plot - pure arithmetic, no Qt.

The nodes are drawn in pixels (their size does not follow the zoom) and so are the
column captions, while the columns sit at x = 0 .. depth and the units at y in
[-half_height, half_height]. A fixed range in view units therefore clipped the top and
bottom neurons of a short plot and the captions of a narrow one. :func:`fit` chooses the
range from the plot's size in pixels, so that every node (with the ring of the layer
just computed) and every caption is inside, and it chooses how the captions are written
so that neighbours never overlap: on one line ("tanh (8)"), on two ("tanh" over
"(8)"), staggered on two rows, or abbreviated ("sigm") and staggered - the first that
fits. Call it again when the plot is resized.
"""

from __future__ import annotations

from dataclasses import dataclass

NODE_MARGIN_PX = 6.0  # beyond a node's radius: its outline and the ring of the lit layer
CAPTION_GAP_PX = 3.0  # between the lowest nodes and the captions, and between captions
MIN_DRAWING_PX = 20.0  # the nodes' span never gets less than this, whatever the size
ABBREVIATIONS = {
    "input": "in",
    "identity": "id",
    "sigmoid": "sigm",
    "softmax": "smax",
    "leaky_relu": "lrelu",
}


FORMS = 3  # the ways of writing a caption, in caption_forms' order


def caption_forms(name: str, count: str, short: str | None = None) -> tuple[str, str, str]:
    """One caption written three ways: one line ``"tanh (8)"``, two lines ``"tanh\\n(8)"``
    and abbreviated on two lines ``"sigm\\n(8)"`` (``count``: "8" or "8 of 784";
    ``short``: the abbreviation, default :data:`ABBREVIATIONS`' or the name)."""
    short = ABBREVIATIONS.get(name, name) if short is None else short
    return f"{name} ({count})", f"{name}\n({count})", f"{short}\n({count})"


@dataclass(frozen=True)
class CaptionLayout:
    """Which of :func:`caption_forms` the captions use and whether they alternate
    between two rows (column c on row c % 2)."""

    form: int  # 0 one line, 1 two lines, 2 abbreviated on two lines
    staggered: bool

    def row(self, column: int) -> int:
        """The row (0 top) of column ``column``'s caption."""
        return column % 2 if self.staggered else 0


#: tried in this order; the first whose captions do not overlap is used
LAYOUTS = (
    CaptionLayout(0, False),
    CaptionLayout(1, False),
    CaptionLayout(0, True),
    CaptionLayout(1, True),
    CaptionLayout(2, True),
)


@dataclass(frozen=True)
class Fit:
    """The view's range, the captions' layout and where (y, view units) each caption
    row's top edge is."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    captions: CaptionLayout
    row_y: tuple[float, float]


def _fits(widths: list[float], spacing_px: float, staggered: bool) -> bool:
    step = 2 if staggered else 1
    return all(
        (widths[c] + widths[c + step]) / 2 + CAPTION_GAP_PX <= step * spacing_px
        for c in range(len(widths) - step)
    )


def fit(
    depth: int,
    half_height: float,
    size_px: tuple[float, float],
    node_px: float,
    caption_px: list[list[tuple[float, float]]],
) -> Fit:
    """The range and caption layout for a drawing of ``depth + 1`` columns (x = 0 ..
    depth) whose units span y in [-half_height, half_height], in a plot of ``size_px``
    (width, height) pixels, nodes ``node_px`` wide. ``caption_px[form][c]`` is the
    (width, height) in pixels of column c's caption written in form ``form`` of
    :func:`caption_forms`."""
    width, height = size_px
    margin = node_px / 2 + NODE_MARGIN_PX

    def pads(layout: CaptionLayout) -> tuple[float, float]:
        sizes = caption_px[layout.form]
        return (
            max(margin, sizes[0][0] / 2 + 1),
            max(margin, sizes[-1][0] / 2 + 1),
        )

    chosen = LAYOUTS[-1]
    for layout in LAYOUTS:
        left, right = pads(layout)
        spacing = max(width - left - right, MIN_DRAWING_PX) / max(depth, 1)
        if _fits([w for w, _ in caption_px[layout.form]], spacing, layout.staggered):
            chosen = layout
            break
    left, right = pads(chosen)
    ux = depth / max(width - left - right, MIN_DRAWING_PX)
    sizes = caption_px[chosen.form]
    rows = [
        max((h for c, (_, h) in enumerate(sizes) if chosen.row(c) == r), default=0.0)
        for r in (0, 1)
    ]
    top = margin
    bottom = margin + CAPTION_GAP_PX + rows[0] + (rows[1] if chosen.staggered else 0.0)
    span = 2 * half_height
    drawing = max(height - top - bottom, MIN_DRAWING_PX)
    uy = span / drawing if span > 0 else 2.0 / drawing
    first_row = -half_height - (margin + CAPTION_GAP_PX) * uy
    return Fit(
        x_range=(-left * ux, depth + right * ux),
        y_range=(-half_height - bottom * uy, half_height + top * uy),
        captions=chosen,
        row_y=(first_row, first_row - rows[0] * uy),
    )


__all__ = ["ABBREVIATIONS", "FORMS", "LAYOUTS", "CaptionLayout", "Fit", "caption_forms", "fit"]
