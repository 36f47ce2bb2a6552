"""What every chart family shares: the palette, a new Axes, text from data, and one label placer."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TypeVar

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from ..text import word

#: Okabe & Ito (2008) colour-blind-safe palette, in their order.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
#: How a head of state came to power (``heads_of_state.how``).
HOW_COLOURS = {
    "election": "#0072B2",
    "constitutional_succession": "#56B4E9",
    "interim": "#F0E442",
    "coup": "#D55E00",
    "junta": "#CC79A7",
    "revolution": "#009E73",
}
#: A coup's outcome (``coups.outcome``).
OUTCOME_COLOURS = {"successful": "#D55E00", "failed": "#56B4E9"}
#: Event categories (``events.category``), in the order of the timeline's rows from the top.
CATEGORY_COLOURS = dict(
    zip(
        [
            "war",
            "labour",
            "insurrection",
            "coup",
            "election",
            "reform",
            "economy",
            "repression",
            "politics",
            "founding",
        ],
        ["#000000", "#E69F00", "#D55E00", "#CC79A7", "#0072B2", "#009E73", "#F0E442", "#882255", "#56B4E9", "#999999"],
    )
)

#: Keyword arguments for every piece of text that comes from the data: matplotlib would otherwise
#: read "$5 million and $10" as mathematics (drawn "5millionand10") and fail outright on "$\alert$".
DATA_TEXT = {"parse_math": False}

#: A thin line from a label moved away from its point back to that point.
LEADER_LINE = {"arrowstyle": "-", "color": "0.55", "linewidth": 0.5}

#: The average width of a character, as a share of the font size (DejaVu Sans, mixed case).
CHAR_WIDTH = 0.55

Box = tuple[float, float, float, float]  # x0, x1, y0, y1, in points
T = TypeVar("T")


def new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``size`` inches with constrained layout."""
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def text_width(chars: int, size: float = 7) -> float:
    """Estimated width in points of ``chars`` characters at font ``size``."""
    return chars * size * CHAR_WIDTH


def set_title(ax: Axes, title: str, size: float = 12) -> None:
    """Give ``ax`` its title, broken into lines that fit the figure (a long title is never cut off).

    A title is centred over its Axes, so it has twice the room between the Axes' centre and the
    nearer edge of the figure; lines are broken at spaces to fit that room (widths estimated, see
    :func:`text_width`). Under a layout engine the Axes is placed only when the figure is drawn,
    so its centre is taken to be 35 % of the way across, as after long tick labels.
    """
    box = ax.get_position()
    centre = (box.x0 + box.x1) / 2
    if ax.figure.get_layout_engine() is not None:
        centre = 0.35  # the layout moves the Axes later (right of long tick labels): leave it room
    room = 2 * min(centre, 1 - centre) * ax.figure.get_figwidth() * 72 - 8
    per_line = max(20, int(room / (size * CHAR_WIDTH * 1.05)))
    lines = [part for line in title.split("\n") for part in (textwrap.wrap(line, per_line) or [""])]
    ax.set_title("\n".join(lines), parse_math=False)


def decade_label(decade: int, lang: str) -> str:
    """'1950s' in English, '1950' in Spanish."""
    return word("term.decade_label", lang, decade=decade)


class LabelPlacer:
    """Greedy placement of labels: each takes the first of its candidate boxes that covers no label placed before.

    Boxes are in points and their sizes are estimated (see :func:`text_width`) rather than measured,
    which would need a full layout of the figure on every redraw; the estimate is enough to keep
    labels apart.

    Examples
    --------
    >>> placer = LabelPlacer()
    >>> placer.place([("right", (0, 10, 0, 8))])
    'right'
    >>> placer.place([("right", (5, 15, 0, 8)), ("above", (5, 15, 9, 17))])
    'above'

    """

    def __init__(self) -> None:
        self.placed: list[Box] = []

    def place(self, candidates: Iterable[tuple[T, Box]]) -> T:
        """Return the first candidate whose box is free (the last one when none is) and take its box."""
        candidates = list(candidates)
        chosen = self.take(candidates)
        if chosen is None:
            choice, box = candidates[-1]
            self.placed.append(box)
            return choice
        return chosen

    def take(self, candidates: Iterable[tuple[T, Box]]) -> T | None:
        """Return the first candidate whose box is free and take its box; None, taking nothing, when none is.

        Examples
        --------
        >>> placer = LabelPlacer()
        >>> placer.take([("a", (0, 10, 0, 8))]), placer.take([("b", (5, 15, 0, 8))])
        ('a', None)

        """
        for choice, box in candidates:
            if not any(box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in self.placed):
                self.placed.append(box)
                return choice
        return None
