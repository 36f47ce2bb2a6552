"""How every table a learner sees is drawn: whole text wrapped to the page, no internal ids, no NaN.

pandas' own HTML cuts long text with "…", keeps the index (here often an internal id such as
``1952_04_10_milluni_miners``) and prints missing values as ``NaN`` and flags as ``True``. In a
lesson, :func:`bolivia_lessons.notebook.setup` makes :func:`table_html` the way a notebook shows
any DataFrame, so the tables of :mod:`bolivia_lessons.lessons`, of the documents and of the
loaders all read the same way. The plain-text form (what a screen reader or nbval reads) is left
to pandas.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"Source": ["A"], "Adopted?": [True], "Note": [None]},
...                      index=pd.Index(["x_1"], name="source_id"))
>>> "x_1" in table_html(frame), "NaN" in table_html(frame), ">yes<" in table_html(frame, lang="en")
(False, False, True)

"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from .text import number, resolve_lang, word

__all__ = ["table_html"]

# Words wrap whole: "break-word" splits a word only when it cannot fit on a line of its own (a long
# address), and unlike "anywhere" it does not let the table squeeze a column to one letter a line.
_CELL = "padding:0.3em 0.6em;text-align:left;vertical-align:top;white-space:normal;overflow-wrap:break-word"
_DIGITS = re.compile(r"[0-9]{5,}")


def _cell(value: object, lang: str) -> str:
    if isinstance(value, (bool, np.bool_)):
        return word("table.yes" if value else "table.no", lang)
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, (int, np.integer)) and abs(int(value)) >= 10_000:
        return number(int(value), lang)
    if isinstance(value, str) and _DIGITS.fullmatch(value):  # a count stored as text ("786729")
        return number(int(value), lang)
    return html.escape(str(value))


def _internal(index: pd.Index) -> bool:
    """An index a learner should not see: row numbers or identifiers (named ``…_id``)."""
    if isinstance(index, pd.RangeIndex):
        return True
    return all(name is None or str(name).endswith("_id") for name in index.names)


def table_html(frame: pd.DataFrame, *, lang: str | None = None, ids: bool = False) -> str:
    """A DataFrame as an HTML table for learners.

    Every cell shows its whole text, wrapped to the width of the notebook; the index is left out
    when it holds row numbers or internal identifiers (unless ``ids``); missing values are
    empty; True and False are "yes" and "no" in ``lang``; large whole numbers get thousands
    separators as readers of ``lang`` write them. A table whose ``attrs`` hold a ``"question"``
    (a claim table) shows it as its caption.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    lang : {"en", "es"}, optional
        Language of yes/no and number formats; the notebook's language by default.
    ids : bool
        Show the index even when it holds internal identifiers.

    Returns
    -------
    str
        HTML.

    """
    lang = resolve_lang(lang)
    show_index = ids or not _internal(frame.index)
    heads = ([str(n or "") for n in frame.index.names] if show_index else []) + [str(c) for c in frame.columns]
    head = "".join(f'<th scope="col" style="{_CELL};border-bottom:2px solid #444">{html.escape(h)}</th>' for h in heads)
    rows = []
    for key, values in zip(frame.index, frame.itertuples(index=False, name=None)):
        keys = (key if isinstance(key, tuple) else (key,)) if show_index else ()
        cells = [f'<th scope="row" style="{_CELL}">{_cell(k, lang)}</th>' for k in keys]
        cells += [f'<td style="{_CELL}">{_cell(v, lang)}</td>' for v in values]
        rows.append(f'<tr style="border-bottom:1px solid #ddd">{"".join(cells)}</tr>')
    question = frame.attrs.get("question")
    caption = (
        '<caption style="caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0">'
        f"{html.escape(str(question))}</caption>"
        if question
        else ""
    )
    # a table wider than the page (a long address) scrolls inside its own box, never off the page
    return (
        '<div class="bl-table-box" style="overflow-x:auto;max-width:100%">'
        '<table class="bl-table" style="width:100%;border-collapse:collapse;table-layout:auto;margin:0.5em 0">'
        f"{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
