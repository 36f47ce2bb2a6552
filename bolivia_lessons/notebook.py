"""Notebook set-up shared by every lesson: one call makes charts reproducible.

Lessons start with ``from bolivia_lessons.notebook import setup, show`` and ``setup()``. The
call switches the inline backend to SVG with fixed hash salt and no creation date, so a chart
drawn twice from the same data gives byte-identical output. That is what lets nbval compare
charts (it ignores PNG images but compares SVG as text): a lesson edit that changes a chart
fails the check instead of passing silently.
"""

from __future__ import annotations

from typing import Any

#: matplotlib settings for reproducible SVG: text stays text (smaller files, readable by screen
#: readers, independent of the font files on the machine) and element ids do not change.
SVG_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "bolivia_lessons",
    "figure.dpi": 72,
    "font.family": "DejaVu Sans",
}


def setup() -> None:
    """Prepare the running notebook for the lessons.

    Selects the inline matplotlib backend with SVG output, sets the reproducible SVG options
    of :data:`SVG_RC` and removes the date from the SVG metadata. Outside IPython it only sets
    the matplotlib options.
    """
    import matplotlib

    matplotlib.rcParams.update(SVG_RC)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to configure
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.run_line_magic("matplotlib", "inline")
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("svg", metadata={"Date": None})
    # the inline backend resets some rc values when it is selected, so set them again
    matplotlib.rcParams.update(SVG_RC)


def show(ax: Any, alt: str) -> None:
    """Display a chart followed by its text alternative, then close it.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        An Axes returned by one of the ``plot_*`` functions of :mod:`bolivia_lessons.charts`.
    alt : str
        The chart's text alternative (from the matching ``describe_*`` function), shown under
        the chart for learners who cannot see it and read by screen readers.

    """
    import matplotlib.pyplot as plt
    from IPython.display import Markdown, display

    fig = ax.figure
    display(fig)
    plt.close(fig)
    display(Markdown(f"*{alt}*"))
