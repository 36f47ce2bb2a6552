"""Notebook set-up shared by every lesson: one call makes charts reproducible.

Lessons start with ``from bolivia_lessons.notebook import setup, show`` and ``setup()`` (or
``setup(lang="es")``: the language every chart, explorer, table heading and text alternative of
the notebook then uses, unless a call says ``lang=`` itself). The call switches the inline
backend to SVG with fixed hash salt and no creation date, so a chart drawn twice from the same
data gives byte-identical output. That is what lets nbval compare charts (it ignores PNG images
but compares SVG as text): a lesson edit that changes a chart fails the check instead of passing
silently.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["SVG_RC", "escape_markdown", "setup", "show"]

#: matplotlib settings for reproducible SVG: text stays text (smaller files, readable by screen
#: readers, independent of the font files on the machine) and element ids do not change.
SVG_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "bolivia_lessons",
    "figure.dpi": 72,
    "font.family": "DejaVu Sans",
}


def setup(lang: str = "en") -> None:
    """Prepare the running notebook for the lessons.

    Sets the notebook's language, selects the inline matplotlib backend with SVG output, sets
    the reproducible SVG options of :data:`SVG_RC` and removes the date from the SVG metadata.
    Outside IPython it only sets the language and the matplotlib options.

    Parameters
    ----------
    lang : {"en", "es"}
        The language of every chart, explorer, table and text alternative from now on.

    """
    import matplotlib

    from .text import set_lang

    set_lang(lang)

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
    # every table a learner sees: whole text wrapped, no internal ids, no NaN (see tables.py)
    import pandas as pd

    from .tables import table_html

    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, lambda frame: table_html(frame))
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
    display(Markdown(f"*{escape_markdown(alt)}*"))


def escape_markdown(text: object) -> str:
    r"""Text from the data made safe to put inside Markdown.

    Titles, place names and authors come from CSV files a teacher may write; shown as Markdown,
    ``<img onerror=…>`` would run as script and ``*`` or ``$`` would turn into emphasis or maths.
    HTML special characters become entities and Markdown's own characters are escaped with a
    backslash, so the text is shown exactly as written.

    Examples
    --------
    >>> escape_markdown("<b>5 * 3</b> costs $10_000")
    '&lt;b&gt;5 \\* 3&lt;/b&gt; costs \\$10\\_000'

    """
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_$\[\]{}<>#|~])", r"\\\1", escaped)
