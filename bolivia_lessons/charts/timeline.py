"""The timeline: events on a time axis, one row per category, with the periods shaded behind them."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from functools import lru_cache

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from .. import loaders
from ..text import date_text, resolve_lang, word
from ._common import CATEGORY_COLOURS, DATA_TEXT, LEADER_LINE, Box, LabelPlacer, new_axes, set_title, text_width

__all__ = ["describe_timeline", "plot_timeline", "timeline_data"]


@lru_cache(maxsize=8192)
def _when(value: object, end: bool = False) -> pd.Timestamp:
    """The first (or, with ``end``, the last) day that a date of any precision can mean.

    Cached: a timeline explorer asks again for every event's dates on every move of its slider.
    """
    if isinstance(value, pd.Period):
        return value.end_time.normalize() if end else value.start_time
    return pd.Timestamp(str(value))


def timeline_data(
    start: str = "1932",
    end: str = "2024-12-31",
    categories: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Events between ``start`` and ``end`` (ISO dates of any precision), optionally filtered.

    An event dated only to a year or a month is left out of a window shorter than its date's
    uncertainty: zoomed in on the days of April 1952, "1952" could be any of them.

    Parameters
    ----------
    start, end : str
        The window, as ISO dates of any precision (``"1952"``, ``"1952-04"``, ``"1952-04-09"``).
    categories : iterable of str, optional
        ``events.category`` values to keep.
    periods : iterable of str, optional
        ``periods.period_id`` values to keep.

    Returns
    -------
    pandas.DataFrame
        The events' columns plus ``start`` and ``end`` timestamps (first and last day the dates can
        mean) and the window as ``window_start`` and ``window_end``.

    Examples
    --------
    >>> days = timeline_data("1952-04-08", "1952-04-12")
    >>> bool(days.start.min() >= pd.Timestamp("1952-04-08")), "1952_04_09_insurrection_begins" in set(days.event_id)
    (True, True)

    """
    events = loaders.load_events()
    first = [_when(d) for d in events.start_date]
    last = [_when(d, True) for d in events.start_date]  # of the start date: "1952" lasts until 31 December
    events["start"] = first
    events["end"] = [_when(e, True) if isinstance(e, pd.Period) else s for s, e in zip(last, events.end_date)]
    lo, hi = _when(pd.Period(start)), _when(pd.Period(end), True)
    vague = pd.Series([b - a for a, b in zip(first, last)], index=events.index, dtype="timedelta64[ns]")
    keep = (events.end >= lo) & (events.start <= hi) & (vague <= hi - lo)
    if categories is not None:
        keep &= events.category.isin(list(categories))
    if periods is not None:
        keep &= events.period_id.isin(list(periods))
    return events[keep].sort_values(["start", "event_id"]).reset_index(drop=True).assign(window_start=lo, window_end=hi)


def _title_positions(where: float, width: float, right: bool, base: float, top: float) -> Iterator[tuple[int, Box]]:
    """Levels for an event's title and the box it would cover, in points: its own line, then higher, up to ``top``."""
    x0, x1 = (where - 4 - width, where - 4) if right else (where + 4, where + 4 + width)
    for level in itertools.count():
        y = base + 9 * level
        if y + 8 > top:
            return
        yield level, (x0, x1, y, y + 8)


def period_spans() -> pd.DataFrame:
    """When each period begins and ends, as the timeline shades it.

    A period begins on the date of its ``start_event_id`` (Torres on 7 October 1970, Banzer on 19
    August 1971) or, without one, on 1 January of its ``start_year``; it ends where the next
    period begins, or on 31 December of its ``end_year`` when no period follows within it.

    Returns
    -------
    pandas.DataFrame
        Every column of ``periods`` plus ``start`` and ``end`` (Timestamps), in date order.

    Examples
    --------
    >>> spans = period_spans().set_index("period_id")
    >>> str(spans.loc["torres", "start"].date()), str(spans.loc["torres", "end"].date())
    ('1970-10-07', '1971-08-19')

    """
    periods = loaders.load_periods()
    events = loaders.load_events()
    dates = dict(zip(events.event_id, events.start_date))  # (a dict: this runs on every timeline redraw)
    # a teacher's own periods file may have no start_event_id column: its periods start with their year
    starts = periods.start_event_id if "start_event_id" in periods else [None] * len(periods)
    periods["start"] = [
        _when(dates[e]) if e in dates else pd.Timestamp(f"{y}-01-01") for e, y in zip(starts, periods.start_year)
    ]
    periods = periods.sort_values(["start", "period_id"], ignore_index=True)
    following = list(periods.start[1:]) + [None]
    periods["end"] = [
        nxt if nxt is not None and nxt.year <= y + 1 else pd.Timestamp(f"{y}-12-31")
        for nxt, y in zip(following, periods.end_year)
    ]
    return periods


def _tick_formatter(unit: str, lang: str):
    """Tick labels as readers of ``lang`` write dates: "1952", "Jul 1952" / "jul. 1952", "9 Apr" / "9 abr."."""

    def label(value: float, _pos: object) -> str:
        day = mdates.num2date(value)
        if unit == "year":
            return str(day.year)
        month = word(f"date.month_short.{day.month}", lang)
        if unit == "month":
            return word("date.tick_month", lang, month=month, year=day.year)
        return word("date.tick_day", lang, day=day.day, month=month)

    return label


def plot_timeline(
    data: pd.DataFrame | None = None,
    *,
    start: str = "1932",
    end: str = "2024-12-31",
    categories: Iterable[str] | None = None,
    lang: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Events on a time axis, one row per category, with the periods shaded behind them.

    ``start`` and ``end`` zoom from the whole of 1932–2024 down to single days (``"1952-04-08"``
    to ``"1952-04-12"``); when few events are in view their titles are written beside them.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`timeline_data`; computed from ``start``, ``end`` and ``categories`` when omitted.
    start, end : str
        The window, as ISO dates of any precision.
    categories : iterable of str, optional
        The categories (rows) shown; all when omitted.
    lang : {"en", "es"}, optional
        Language; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> plot_timeline(start="1952-04-08", end="1952-04-12", lang="es").get_title()
    'Acontecimientos: 8 de abril de 1952 – 12 de abril de 1952'

    """
    lang = resolve_lang(lang)
    data = timeline_data(start, end, categories) if data is None else data
    ax = new_axes(ax, (10, 4.8))
    lo, hi = (
        data.window_start.iloc[0] if len(data) else _when(pd.Period(start)),
        (data.window_end.iloc[0] if len(data) else _when(pd.Period(end), True)),
    )
    cats = [c for c in CATEGORY_COLOURS if categories is None or c in set(categories)]
    rows = {c: i for i, c in enumerate(reversed(cats))}
    periods = period_spans()
    # Label sizes are worked out in points from the Axes' place in the figure (fixed margins in an
    # explorer, the default subplot place otherwise): estimated, not measured, which would need a
    # full layout on every redraw; tests/test_charts.py measures that nothing is cut or covered.
    box = ax.get_position()
    axes_pt = ax.figure.get_figwidth() * 72 * box.width
    row_pt = ax.figure.get_figheight() * 72 * box.height / (len(cats) + 1.4)
    top_pt = (len(cats) + 1.4) * row_pt
    placer = LabelPlacer()
    for k, p in enumerate(periods.itertuples()):
        p0, p1 = p.start, p.end
        if p1 < lo or p0 > hi:
            continue
        a, b = max(p0, lo), min(p1, hi)
        # the band axvspan() would draw, without its work on data limits that the fixed window ignores
        x0, x1 = mdates.date2num(a), mdates.date2num(b)
        band = Rectangle((x0, 0), x1 - x0, 1, color="#f2f2f2" if k % 2 else "#e3e3e3", zorder=0, linewidth=0)
        band.set_transform(ax.get_xaxis_transform(which="grid"))
        ax.add_artist(band)
        # a period's name, whole, on the first of two lines above the rows where it fits inside the
        # Axes and covers no other name; a band too narrow for it stays unnamed (never "The C…"):
        # the text alternative and the explorer's period list name every period
        name = getattr(p, f"name_{lang}")
        middle = (a + (b - a) / 2 - lo) / (hi - lo) * axes_pt
        half = text_width(len(name)) / 2 + 2
        if middle - half < 0 or middle + half > axes_pt:
            continue
        lines = (((len(cats) - 0.2 + 0.45 * n + 0.6) * row_pt, n) for n in range(2))
        line = placer.take(((n, (middle - half, middle + half, y, y + 9)) for y, n in lines))
        if line is not None:
            ax.text(
                mdates.date2num(a + (b - a) / 2),
                len(cats) - 0.2 + 0.45 * line,
                name,
                ha="center",
                va="bottom",
                fontsize=7,
                clip_on=True,
                **DATA_TEXT,
            )
    # one artist per category (not per event) keeps a redraw of the whole timeline fast
    # (plain arrays rather than a pandas groupby: this runs on every move of the explorer's slider)
    category = data.category.astype(str).to_numpy()
    first, last = data.start.to_numpy(), data.end.to_numpy()
    for cat in dict.fromkeys(category):  # in order of first appearance
        y, colour = rows[cat], CATEGORY_COLOURS[cat]
        mine = category == cat
        spans = mine & (last > first)
        if spans.any():
            ax.hlines([y] * int(spans.sum()), first[spans], last[spans], colors=colour, linewidth=4, zorder=2)
        ax.plot(
            first[mine],
            [y] * int(mine.sum()),
            "o",
            color=colour,
            markersize=6,
            markeredgecolor="black",
            markeredgewidth=0.5,
            linestyle="none",
            zorder=3,
        )
    if len(data) <= 12:
        # Titles go on the lowest line above their row where they cover no title or period name
        # already placed, up to the top of the Axes (four events share 9 April 1952); a title runs
        # rightwards from its event unless only leftwards keeps it inside the Axes. A title with
        # no room left is not written: the explorer's list of events names every event.
        for e in data.sort_values(["start", "event_id"]).itertuples():
            title = getattr(e, f"title_{lang}")
            where = (e.start - lo) / (hi - lo) * axes_pt
            width = text_width(len(title))
            fits_right = where + 4 + width <= axes_pt + ax.figure.get_figwidth() * 72 * (1 - box.x1) - 4
            if not fits_right and where - 4 - width < 0:
                continue
            right = not fits_right
            base = (rows[str(e.category)] + 0.6) * row_pt + 6
            level = placer.take(_title_positions(where, width, right, base, top_pt))
            if level is None:
                continue
            ax.annotate(
                title,
                (e.start, rows[str(e.category)]),
                xytext=(-4 if right else 4, 6 + 9 * level),
                textcoords="offset points",
                ha="right" if right else "left",
                fontsize=7,
                arrowprops=LEADER_LINE if level else None,  # a raised title gets a line down to its event
                **DATA_TEXT,
            )
    ax.set_yticks(list(rows.values()), [word(f"enum.events.category.{c}", lang) for c in rows])
    ax.set_ylim(-0.6, len(cats) + 0.8)
    ax.set_xlim(lo, hi)
    span_days = (hi - lo).days
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        _tick_formatter("year" if span_days > 1500 else "month" if span_days > 60 else "day", lang)
    )
    if span_days > 1500:
        start, end = lo.strftime("%Y"), hi.strftime("%Y")
    else:  # a short span: the days in words, as readers of the lesson's language write them
        start, end = date_text(lo, lang), date_text(hi, lang)
    set_title(ax, word("chart.timeline.title", lang, start=start, end=end))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_timeline(
    data: pd.DataFrame | None = None,
    *,
    start: str = "1932",
    end: str = "2024-12-31",
    categories: Iterable[str] | None = None,
    lang: str | None = None,
    limit: int = 12,
) -> str:
    """Text alternative for :func:`plot_timeline`: how many events of each kind, and the first ones.

    Examples
    --------
    >>> describe_timeline(start="1952-04-08", end="1952-04-12", lang="en")[:14]
    'Timeline with '

    """
    lang = resolve_lang(lang)
    data = timeline_data(start, end, categories) if data is None else data
    counts = data.category.astype(str).value_counts()
    kinds = ", ".join(f"{word(f'enum.events.category.{c}', lang)} {n}" for c, n in counts.items())
    first = data.head(limit)
    listed = "; ".join(f"{date_text(d, lang)}: {t}" for d, t in zip(first.start_date, first[f"title_{lang}"]))
    more = len(data) - min(limit, len(data))
    # the shaded periods by name: on the chart a band too narrow for its name goes unnamed
    lo = data.window_start.iloc[0] if len(data) else _when(pd.Period(start))
    hi = data.window_end.iloc[0] if len(data) else _when(pd.Period(end), True)
    spans = period_spans()
    shown = spans[(spans.end > lo) & (spans.start < hi)]
    periods = "; ".join(f"{getattr(p, f'name_{lang}')} ({p.start.year}–{p.end.year})" for p in shown.itertuples())
    return (
        word("alt.timeline", lang, count=len(data), kinds=kinds)
        + " "
        + (word("alt.timeline.listed", lang, events=listed) if listed else "")
        + (word("alt.timeline.more", lang, count=more) if more else ".")
        + (word("alt.timeline.periods", lang, periods=periods) if periods else "")
    )
