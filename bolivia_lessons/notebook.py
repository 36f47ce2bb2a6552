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

__all__ = ["LESSON_JS", "SVG_RC", "escape_markdown", "figure_html", "lesson_js", "setup", "show"]

#: matplotlib settings for reproducible SVG: text stays text (smaller files, readable by screen
#: readers, independent of the font files on the machine) and element ids do not change.
SVG_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "bolivia_lessons",
    "figure.dpi": 72,
    "font.family": "DejaVu Sans",
}


#: The script :func:`setup` runs once in the page, with ``WORDS`` filled in (see :func:`lesson_js`).
#: JupyterLab's notebook takes the arrow keys for itself in command mode, even from a focused
#: drop-down or radio button, and moves to the next cell; the attribute
#: ``data-lm-suppress-shortcuts`` on the focused control gives the keys back to it. ipywidgets'
#: toggle buttons know no arrow keys at all: here, as in a group of radio buttons, an arrow key
#: chooses the next or previous button. ipywidgets gives a slider's handles no accessible name:
#: each gets its slider's label ("Years: from"); and a slider's readout gets the room it needs.
#: Fixed text: nothing from data reaches it.
LESSON_JS = """(() => {
  if (window.boliviaLessonsKeys) { return; }
  window.boliviaLessonsKeys = true;
  const WORDS = WORDS_JSON;
  // a slider's readout ("1932 – 2024") gets the room it needs instead of running past the panel
  const style = document.createElement("style");
  // and the chosen button of a row stands out clearly from the others (not a slightly darker grey)
  style.textContent = ".bl-explorer .widget-readout { min-width: 8em; flex-shrink: 0; text-align: left; }" +
    " .bl-explorer .widget-toggle-button.mod-active { background: #1f4e79; color: #ffffff; font-weight: bold; }";
  document.head.appendChild(style);
  const inLesson = (el) => el instanceof Element && el.closest(".bl-explorer, .bl-quiz");
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    if (inLesson(el) && el.matches("select, input, button, .noUi-handle")) {
      el.setAttribute("data-lm-suppress-shortcuts", "true");
    }
  }, true);
  const steps = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
  window.addEventListener("keydown", (event) => {
    const el = event.target;
    if (!(event.key in steps) || !inLesson(el) || !el.matches("button.widget-toggle-button")) { return; }
    const group = Array.from(el.parentElement.querySelectorAll("button.widget-toggle-button:not([disabled])"));
    const next = group[(group.indexOf(el) + steps[event.key] + group.length) % group.length];
    event.preventDefault();
    event.stopPropagation();
    next.click();
    next.focus();
  }, true);
  const name = () => {
    for (const handle of document.querySelectorAll(".bl-explorer .noUi-handle:not([aria-label])")) {
      const slider = handle.closest(".widget-slider");
      const label = slider ? slider.querySelector(".widget-label") : null;
      const text = label ? label.textContent.trim() : "";
      const pair = slider && slider.querySelectorAll(".noUi-handle").length > 1;
      const part = handle.classList.contains("noUi-handle-lower") ? WORDS.from : WORDS.to;
      handle.setAttribute("aria-label", pair ? text + ": " + part : text);
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; name(); }); }
  }).observe(document.body, {childList: true, subtree: true});
  name();
})();"""


def lesson_js(lang: str = "en") -> str:
    """The script of :data:`LESSON_JS` with its words in ``lang``.

    Parameters
    ----------
    lang : {"en", "es"}
        The language of the slider handles' names.

    Returns
    -------
    str
        JavaScript, run in the page by :func:`setup`.

    """
    import json

    from .text import word

    words = {"from": word("control.range.from", lang), "to": word("control.range.to", lang)}
    # json.dumps gives a JavaScript literal; "</" is escaped in case the script ends up in a page
    return LESSON_JS.replace("WORDS_JSON", json.dumps(words, ensure_ascii=False).replace("</", "<\\/"))


def setup(lang: str = "en") -> None:
    """Prepare the running notebook for the lessons.

    Sets the notebook's language, selects the inline matplotlib backend with SVG output, sets
    the reproducible SVG options of :data:`SVG_RC`, removes the date from the SVG metadata and
    runs :func:`lesson_js`, which lets the arrow keys work inside explorers and quizzes and
    names the handles of every slider.
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
    from IPython.display import Javascript, display

    display(Javascript(lesson_js(lang)))
    # the inline backend resets some rc values when it is selected, so set them again
    matplotlib.rcParams.update(SVG_RC)


def show(ax: Any, alt: str) -> None:
    """Display a chart with its text alternative as caption and accessible name, then close it.

    The chart is inline SVG inside a ``<figure role="img">`` (see :func:`figure_html`): a screen
    reader announces the text alternative as the image's name, and every learner reads it under
    the chart. Shown as an image instead, the SVG would have no name (JupyterLab gives an SVG
    output no ``alt``).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        An Axes returned by one of the ``plot_*`` functions of :mod:`bolivia_lessons.charts`.
    alt : str
        The chart's text alternative (from the matching ``describe_*`` function).

    """
    from IPython.display import display

    display({"text/html": figure_html(ax.figure, alt), "text/plain": alt}, raw=True)


def figure_html(fig: Any, alt: str) -> str:
    """The figure as inline SVG with its text alternative as caption and accessible name.

    Text stays text in the SVG (not paths), so a screen reader, a search or a test can read it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; closed afterwards.
    alt : str
        Its text alternative.

    Returns
    -------
    str
        A ``<figure>`` element.

    """
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "bolivia_lessons"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    label = html.escape(alt, quote=True)
    return (
        f'<figure role="img" aria-label="{label}" style="margin:0">{svg}'
        f'<figcaption class="bl-alt" style="font-size:0.85em;color:#333">{html.escape(alt)}</figcaption></figure>'
    )


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
