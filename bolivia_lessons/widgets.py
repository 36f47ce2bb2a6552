"""Interactive explorers and a self-check quiz, built with ipywidgets.

Every function here builds and returns a widget; none displays anything (show one by making it
the last expression of a cell, or with ``IPython.display.display``). Every control has a visible
label and works from the keyboard; charts redraw only when a control is released
(``continuous_update=False``); the output area has a fixed height so the page does not jump; and
an error inside a callback is shown in the output instead of vanishing.

An explorer is an :class:`Explorer`: a VBox with ``controls`` (its controls by name), ``output``
(the Output widget) and ``redraw()`` (draw again now), so that a test, or a teacher's own code,
can drive it without a browser. The quiz is a :class:`Quiz`. Both speak the notebook's language
(:func:`bolivia_lessons.text.set_lang`) unless given ``lang``, and their ``repr`` is a sentence
for a learner who opens a notebook that has not been run.

Examples
--------
>>> box = election_explorer(lang="en")
>>> box
Election explorer: run this cell to use it.
>>> box.controls["scale"].value = "log"
>>> "logarithmic scale" in box.output.outputs[0]["data"]["text/html"]
True

"""

from __future__ import annotations

import html
import re
import traceback
from collections.abc import Callable, Sequence
from typing import ClassVar

import ipywidgets as w
import pandas as pd
import traitlets
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import charts, loaders
from .charts._common import text_width
from .notebook import figure_html
from .text import citation, date_text, localized, long_date, number, resolve_lang, said, word

__all__ = [
    "CoupExplorer",
    "ElectionExplorer",
    "Explorer",
    "LandReformExplorer",
    "Quiz",
    "SourceComparison",
    "TimelineExplorer",
    "coup_explorer",
    "election_explorer",
    "figure_html",
    "land_reform_explorer",
    "quiz",
    "source_comparison",
    "timeline_explorer",
]

LAYOUT_FULL = w.Layout(width="100%")
STYLE = {"description_width": "initial"}


class Explorer(w.VBox):
    """Controls wired to an output: every change redraws it, and an error is shown there, not lost.

    A subclass builds its controls, passes them to this constructor and implements
    :meth:`render`.

    Parameters
    ----------
    controls : dict of str to ipywidgets.Widget
        The controls by name, shown in this order above the output.
    lang : {"en", "es"}
        The language of its words.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        The controls; setting a control's ``value`` redraws the output.
    output : ipywidgets.Output
        Where the chart and tables appear.
    lang : str
        The explorer's language.

    """

    #: Catalogue key of the explorer's name, for its ``repr``.
    name_key: ClassVar[str] = ""
    #: CSS class that names this explorer, which browser tests and stylesheets look for.
    css_class: ClassVar[str] = ""
    #: Fixed height of the output, so the page does not jump when the chart changes.
    height: ClassVar[str] = "480px"

    def __init__(self, controls: dict[str, w.Widget], *, lang: str) -> None:
        self.controls, self.lang = controls, lang
        # at least this tall, so a redraw does not make the page jump; never cut off, so a chosen
        # event card or the last rows of a table are not hidden below a fold inside the box
        self.output = w.Output(layout=w.Layout(min_height=self.height, border="1px solid #ddd"))
        self._rendering = False
        self._canvases: dict[tuple, _Canvas] = {}
        super().__init__([*controls.values(), self.output], layout=LAYOUT_FULL)
        self.add_class("bl-explorer")
        self.add_class(self.css_class)
        for control in controls.values():
            control.observe(self.redraw, names="value")
        self.redraw()

    def render(self) -> list[str]:
        """HTML pieces (charts, tables, notes) for the controls' current values."""
        raise NotImplementedError

    def chart(
        self,
        plot: Callable[..., object],
        describe: Callable[..., str],
        size: tuple[float, float],
        margins: tuple[float, float, float, float],
        **kw: object,
    ) -> str:
        """A chart as HTML (see :func:`figure_html`), drawn by ``plot(**kw)`` and described by ``describe``.

        Parameters
        ----------
        plot, describe : callable
            A ``plot_*`` function of :mod:`bolivia_lessons.charts` and its ``describe_*``, which
            is given only the ``data`` and ``lang`` of ``kw``.
        size, margins : tuple of float
            Figure size, and fixed margins (left, right, top, bottom), in inches.
        **kw
            Arguments of ``plot``.

        Returns
        -------
        str

        """
        key = (plot, size, margins)
        if key not in self._canvases:
            self._canvases[key] = _Canvas(size, margins)
        canvas = self._canvases[key]
        plot(ax=canvas.axes(), **kw)
        return figure_html(canvas.figure, describe(**{k: v for k, v in kw.items() if k in ("data", "lang")}))

    def redraw(self, *_: object) -> None:
        """Draw the output again for the controls' current values."""
        if self._rendering:  # a control that render() itself updates (the timeline's event list)
            return
        self._rendering = True
        try:
            pieces = self.render()
        except Exception as exc:  # shown to the learner: a silent failure in a callback helps nobody
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            pieces = [
                f'<div role="alert" class="bl-error" style="color:#a00"><b>{word("explorer.error", self.lang)}:</b> '
                f"{html.escape(detail)}</div>"
            ]
        finally:
            self._rendering = False
        # Replacing the outputs at once (rather than clear_output + display) works the same in a
        # kernel and in plain Python, and never leaves the area empty while a chart is drawn.
        self.output.outputs = tuple(
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": piece, "text/plain": _plain(piece)}}
            for piece in pieces
        )

    def __repr__(self) -> str:
        return word("widget.repr", self.lang, name=word(self.name_key, self.lang))


def _plain(piece: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<svg.*?</svg>|<[^>]+>", " ", piece, flags=re.S))).strip()


def _dropdown(label: str, options: list[tuple[str, object]], value: object = None) -> w.Dropdown:
    return w.Dropdown(
        options=options,
        value=options[0][1] if value is None else value,
        description=label,
        style=STYLE,
        layout=w.Layout(width="auto"),
    )


def _toggle(label: str, options: list[tuple[str, str]], value: str) -> w.ToggleButtons:
    return w.ToggleButtons(options=options, value=value, description=label, style=STYLE)


class CheckList(w.VBox):
    """A labelled group of check boxes whose ``value`` is the tuple of ticked options.

    A learner ticks and unticks one option at a time with a plain click or the space bar; a
    multiple-selection list would clear every other option on a plain click.

    Parameters
    ----------
    label : str
        The group's label, shown above the boxes.
    options : list of (str, str)
        Each option's label and value, in the order shown.
    value : tuple of str
        The options ticked at first.

    Attributes
    ----------
    value : tuple of str
        The ticked options, in the order of ``options``; setting it ticks those boxes.
    description : str
        The group's label.

    """

    value = traitlets.Tuple()

    def __init__(self, label: str, options: list[tuple[str, str]], value: tuple[str, ...]) -> None:
        self.options, self.description = list(options), label
        self._boxes = {
            v: w.Checkbox(value=v in value, description=text, indent=False, layout=w.Layout(width="auto"))
            for text, v in self.options
        }
        heading = w.HTML(f"<span class='bl-group-label'>{html.escape(label)}</span>")
        grid = w.HBox(list(self._boxes.values()), layout=w.Layout(flex_flow="row wrap", grid_gap="0 1.5em"))
        self._syncing = False
        super().__init__([heading, grid])
        self.add_class("bl-checklist")
        self.value = tuple(v for _, v in self.options if v in value)
        for box in self._boxes.values():
            box.observe(self._ticked, names="value")

    def _ticked(self, _: object) -> None:
        if not self._syncing:
            self.value = tuple(v for v, box in self._boxes.items() if box.value)

    @traitlets.observe("value")
    def _show(self, change: dict) -> None:
        # a value set from Python ticks the boxes, without each box's change setting a value of
        # its own on the way (one redraw of the explorer, not one per box)
        self._syncing = True
        try:
            for v, box in self._boxes.items():
                box.value = v in change["new"]
        finally:
            self._syncing = False


def _figure(size: tuple[float, float], margins: tuple[float, float, float, float]) -> tuple[Figure, Axes]:
    """A figure with fixed margins (left, right, top, bottom, in inches).

    Fixed margins instead of matplotlib's constrained layout: an explorer redraws on every control
    change, and working out the layout each time costs about as much as drawing the chart. The
    figure is made without pyplot, which would register (and later have to close) a window for it.
    """
    fig = Figure(figsize=size)
    ax = fig.add_subplot()
    # A title given its place (where matplotlib would put it anyway: nothing is drawn above these
    # Axes) is not placed again on every draw, which lays out every tick label three more times.
    ax.set_title("", y=1.0)
    width, height = size
    left, right, top, bottom = margins
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    return fig, ax


class _Canvas:
    """One figure that an explorer draws the same kind of chart into, again and again.

    A new figure, its Axes and their ticks cost a good part of a redraw (a logarithmic axis alone
    makes dozens of minor ticks). A chart that sets what it depends on (scale, ticks, formatters,
    fixed limits) can be drawn into the same Axes again once the previous chart's artists are
    removed and its data limits forgotten, and gives the same SVG as on a new figure
    (tests/test_widgets.py compares the two for every control value). A chart that adds Axes of
    its own (the map's colour bar) gets a new figure every time.
    """

    def __init__(self, size: tuple[float, float], margins: tuple[float, float, float, float]) -> None:
        self.size, self.margins = size, margins
        self.figure, self._ax = _figure(size, margins)

    def axes(self) -> Axes:
        """Empty Axes to draw the next chart into."""
        if len(self.figure.axes) > 1:
            self.figure, self._ax = _figure(self.size, self.margins)
            return self._ax
        ax = self._ax
        for container in list(ax.containers):  # bars: a legend would find them here
            container.remove()
        for artists in (ax.artists, ax.collections, ax.images, ax.lines, ax.patches, ax.tables, ax.texts):
            for artist in list(artists):
                artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        for loc in ("left", "center", "right"):
            ax.set_title("", loc=loc)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.relim()  # no artists left: the data limits start again from nothing, as on new Axes
        ax.set_autoscale_on(True)
        return ax


def _cite(source: object, lang: str, locator: object = None) -> str:
    """A source's citation in ``lang`` (HTML, escaped)."""
    author, publication = localized(source, "author", lang), localized(source, "publication", lang)
    year = source.get("year") if hasattr(source, "get") else getattr(source, "year", None)
    return citation(author, localized(source, "title", lang), publication, year, locator)


def _cell(value: object) -> str:
    """HTML for a table cell that may be missing."""
    return "" if pd.isna(value) else html.escape(str(value))


def _table(css_class: str, heads: list[str], rows: list[list[str]]) -> str:
    """An HTML table; the cells are HTML already."""
    head = "".join(f"<th>{h}</th>" for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# -- 1. timeline ----------------------------------------------------------------------------------


class TimelineExplorer(Explorer):
    """Year-range slider, category and period filters, the matching events and their sources.

    Build it with :func:`timeline_explorer`.
    """

    name_key = "explorer.timeline.name"
    css_class = "bl-timeline"
    height = "620px"

    def __init__(self, lang: str | None = None, *, years: tuple[int, int] = (1932, 2024), period: str = "") -> None:
        lang = resolve_lang(lang)
        cats = list(charts.CATEGORY_COLOURS)
        periods = loaders.load_periods().sort_values(["start_year", "end_year"])  # in date order
        self._periods = charts.period_spans().set_index("period_id")
        self._sources = loaders.load_sources().set_index("source_id")
        self._links = loaders.load_event_sources()
        controls = {
            "years": w.IntRangeSlider(
                value=years,
                min=1932,
                max=2024,
                step=1,
                description=word("control.years", lang),
                continuous_update=False,
                style=STYLE,
                layout=LAYOUT_FULL,
            ),
            "categories": CheckList(
                word("control.categories", lang),
                [(word(f"enum.events.category.{c}", lang), c) for c in cats],
                tuple(cats),
            ),
            "period": _dropdown(
                word("control.period", lang),
                [(word("control.all", lang), "")]
                + [(getattr(p, f"name_{lang}"), p.period_id) for p in periods.itertuples()],
                period,
            ),
            # "auto", not "100%": the label takes its share of the row and the list the rest, so the
            # list's right edge and scroll bar stay on the page
            "event": w.Select(
                options=[], rows=6, description=word("control.events", lang), style=STYLE, layout=w.Layout(width="auto")
            ),
        }
        # room on the left for the longest category name (10-point tick labels), in this language
        self._left = 0.3 + text_width(max(len(word(f"enum.events.category.{c}", lang)) for c in cats), 10) / 72
        super().__init__(controls, lang=lang)

    def render(self) -> list[str]:
        """The timeline of the matching events, and the chosen event's card."""
        lang, c = self.lang, self.controls
        y0, y1 = c["years"].value
        start, end = pd.Timestamp(f"{y0}-01-01"), pd.Timestamp(f"{y1}-12-31")
        if c["period"].value:  # a chosen period fills the axis: its own dates, within the slider's years
            period = self._periods.loc[c["period"].value]
            start, end = max(start, period.start), min(end, period.end)
            end = max(start, end)
        start, end = start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d")
        data = charts.timeline_data(
            start, end, c["categories"].value, [c["period"].value] if c["period"].value else None
        )
        event = c["event"]
        titles = data[f"title_{lang}"]
        options = [(f"{date_text(d, lang)} — {t}", e) for d, t, e in zip(data.start_date, titles, data.event_id)]
        if [o[1] for o in event.options] != [o[1] for o in options]:
            chosen = event.value
            event.options = options
            event.value = chosen if chosen in {o[1] for o in options} else None
        if data.empty:
            return [f"<p>{word('explorer.no_match', lang)}</p>"]
        pieces = [
            self.chart(
                charts.plot_timeline,
                charts.describe_timeline,
                (9, 3.6),
                (self._left, 0.2, 0.55, 0.45),
                data=data,
                start=start,
                end=end,
                categories=c["categories"].value,
                lang=lang,
            )
        ]
        if event.value:
            pieces.append(self._event_card(data.set_index("event_id").loc[event.value]))
        return pieces

    def _event_card(self, e: pd.Series) -> str:
        lang, sources = self.lang, self._sources
        items = []
        for link in self._links[self._links.event_id == e.name].itertuples():
            s = sources.loc[link.source_id]
            kind = word(f"enum.sources.kind.{s.kind}", lang)
            items.append(
                f"<li>{_cite(s, lang, link.locator)} — "
                f"{html.escape(kind)}; {html.escape(str(localized(s, 'perspective', lang)))}</li>"
            )
        return (
            f'<div class="bl-event"><h4>{html.escape(str(e[f"title_{lang}"]))} ({date_text(e.start_date, lang)})</h4>'
            f"<p>{html.escape(str(e[f'summary_{lang}']))}</p>"
            f"<p><b>{word('explorer.sources', lang)}</b></p><ul>{''.join(items)}</ul></div>"
        )


def timeline_explorer(
    lang: str | None = None, *, years: tuple[int, int] = (1932, 2024), period: str = ""
) -> TimelineExplorer:
    """Year-range slider, category and period filters, the matching events and their sources.

    Choosing an event shows its summary and every source with its perspective.

    Parameters
    ----------
    lang : {"en", "es"}, optional
        Language of labels and text; the notebook's language when omitted.
    years : tuple of int
        The year range selected at first (a lesson can open on its own years).
    period : str
        A ``periods.period_id`` selected at first; empty for all periods.

    Returns
    -------
    TimelineExplorer

    Examples
    --------
    >>> box = timeline_explorer(lang="es", years=(1952, 1952))
    >>> "Acontecimientos: 1 de enero de 1952 – 31 de diciembre de 1952" in box.output.outputs[0]["data"]["text/html"]
    True

    """
    return TimelineExplorer(lang, years=years, period=period)


# -- 2. elections ---------------------------------------------------------------------------------


class ElectionExplorer(Explorer):
    """Election picker, linear or logarithmic scale, votes or shares. Build it with :func:`election_explorer`."""

    name_key = "explorer.election.name"
    css_class = "bl-election"
    height = "480px"

    def __init__(self, lang: str | None = None, *, election_id: str = "1956_general", scale: str = "linear") -> None:
        lang = resolve_lang(lang)
        elections = loaders.load_elections().sort_values("date")
        controls = {
            "election": _dropdown(
                word("control.election", lang),
                # a learner picks an election by its date, never by an internal id
                [(long_date(pd.Timestamp(e.date).date(), lang), e.election_id) for e in elections.itertuples()],
                election_id,
            ),
            "scale": _toggle(
                word("control.scale", lang),
                [(word("control.scale.linear", lang), "linear"), (word("control.scale.log", lang), "log")],
                scale,
            ),
            "measure": _toggle(
                word("control.measure", lang),
                [(word("control.measure.votes", lang), "votes"), (word("control.measure.share", lang), "share")],
                "votes",
            ),
        }
        super().__init__(controls, lang=lang)

    def render(self) -> list[str]:
        """The chosen election's bars."""
        data = charts.election_data(self.controls["election"].value)
        # room on the left for the longest "candidate (party)", and above for a title on two lines
        longest = max(len(f"{c} ({p})") for c, p in zip(data.candidate, data.party))
        left = round(0.3 + text_width(longest, 10) / 72, 1)
        return [
            self.chart(
                charts.plot_election,
                charts.describe_election,
                (max(8, left + 5.4), 0.55 * len(data) + 2.1),
                (left, 0.2, 0.7, 0.55),
                data=data,
                measure=self.controls["measure"].value,
                scale=self.controls["scale"].value,
                lang=self.lang,
            )
        ]


def election_explorer(
    lang: str | None = None, *, election_id: str = "1956_general", scale: str = "linear"
) -> ElectionExplorer:
    """Election picker, linear or logarithmic scale, votes or shares.

    Parameters
    ----------
    lang : {"en", "es"}, optional
        Language of labels and text; the notebook's language when omitted.
    election_id : str
        The election shown at first.
    scale : {"linear", "log"}
        The scale selected at first.

    Returns
    -------
    ElectionExplorer

    """
    return ElectionExplorer(lang, election_id=election_id, scale=scale)


# -- 3. land reform -------------------------------------------------------------------------------


class LandReformExplorer(Explorer):
    """Bars or map, sort order, a highlighted department. Build it with :func:`land_reform_explorer`."""

    name_key = "explorer.land_reform.name"
    css_class = "bl-land-reform"
    height = "640px"

    def __init__(self, lang: str | None = None) -> None:
        lang = resolve_lang(lang)
        areas = sorted(charts.land_reform_data().area)
        self._sources = loaders.load_sources().set_index("source_id")
        controls = {
            "view": _toggle(
                word("control.view", lang),
                [(word("control.view.bars", lang), "bars"), (word("control.view.map", lang), "map")],
                "bars",
            ),
            "sort": _dropdown(word("control.sort", lang), [(word(f"control.sort.{s}", lang), s) for s in charts.SORTS]),
            "highlight": _dropdown(
                word("control.highlight", lang), [(word("control.none", lang), "")] + [(a, a) for a in areas]
            ),
        }
        super().__init__(controls, lang=lang)

    def render(self) -> list[str]:
        """The bars or the map, and a note on where the highlighted department's figure comes from."""
        lang = self.lang
        data = charts.land_reform_data(sort=self.controls["sort"].value)
        hl = self.controls["highlight"].value or None
        if self.controls["view"].value == "bars":
            left = round(0.3 + text_width(max(len(a) for a in data.area), 10) / 72, 1)
            plot, size, margins = charts.plot_land_reform, (7, 4.4), (left, 0.2, 0.7, 0.75)
        else:
            plot, size, margins = charts.plot_land_reform_map, (6.2, 6.4), (0.1, 0.1, 0.95, 0.1)
        pieces = [self.chart(plot, charts.describe_land_reform, size, margins, data=data, highlight=hl, lang=lang)]
        if hl:
            row = data.set_index("area").loc[hl]
            s = self._sources.loc[row.source_id]
            pieces.append(
                f'<div class="bl-note"><b>{html.escape(hl)}: {number(row.estates_affected_pct, lang, 1)} %</b> — '
                f"{_cite(s, lang)}; "
                f"{html.escape(str(localized(s, 'perspective', lang)))}. "
                f"{_cell(row[f'note_{lang}'])}</div>"
            )
        return pieces


def land_reform_explorer(lang: str | None = None) -> LandReformExplorer:
    """Bars or map, sort order, and a highlighted department with a note on where its figure comes from.

    Parameters
    ----------
    lang : {"en", "es"}, optional
        Language of labels and text; the notebook's language when omitted.

    Returns
    -------
    LandReformExplorer

    """
    return LandReformExplorer(lang)


# -- 4. coups -------------------------------------------------------------------------------------


class CoupExplorer(Explorer):
    """Coups filtered by decade, outcome and leader. Build it with :func:`coup_explorer`."""

    name_key = "explorer.coups.name"
    css_class = "bl-coups"
    height = "640px"

    def __init__(self, lang: str | None = None) -> None:
        lang = resolve_lang(lang)
        self._coups = coups = charts.coups_data()
        every = [(word("control.all", lang), "")]
        controls = {
            "decade": _dropdown(
                word("term.decade", lang),
                [(word("control.all", lang), 0)]
                + [(word("term.decade_label", lang, decade=d), int(d)) for d in sorted(coups.decade.unique())],
            ),
            "outcome": _dropdown(
                word("control.outcome", lang),
                every + [(word(f"enum.coups.outcome.{o}", lang), o) for o in ("successful", "failed")],
            ),
            "leader": _dropdown(
                word("control.leader", lang), every + [(n, n) for n in sorted({n for ns in coups.leaders for n in ns})]
            ),
        }
        super().__init__(controls, lang=lang)

    def render(self) -> list[str]:
        """The chart of the matching coups by decade, and the matching rows."""
        lang, c = self.lang, self.controls
        rows = charts.coups_data(
            c["decade"].value or None, c["outcome"].value or None, c["leader"].value or None, coups=self._coups
        )
        chart = self.chart(
            charts.plot_coups_by_decade,
            charts.describe_coups_by_decade,
            (7.5, 3.6),
            (0.8, 0.2, 0.45, 0.55),
            data=charts.coups_by_decade_data(coups=rows),
            lang=lang,
        )
        table = _table(
            "bl-coups",
            [word(k, lang) for k in ("table.date", "table.event", "table.target", "table.leaders", "table.outcome")],
            [
                [
                    r.date,
                    html.escape(getattr(r, f"title_{lang}")),
                    html.escape(r.target),
                    html.escape(", ".join(r.leaders)),
                    word(f"enum.coups.outcome.{r.outcome}", lang),
                ]
                for r in rows.itertuples()
            ],
        )
        return [chart, table]


def coup_explorer(lang: str | None = None) -> CoupExplorer:
    """Filter coups by decade, outcome and leader; see the matching rows and the chart.

    Parameters
    ----------
    lang : {"en", "es"}, optional
        Language of labels and text; the notebook's language when omitted.

    Returns
    -------
    CoupExplorer

    """
    return CoupExplorer(lang)


# -- 5. source comparison -------------------------------------------------------------------------


class SourceComparison(Explorer):
    """Every version of a contested claim side by side. Build it with :func:`source_comparison`."""

    name_key = "explorer.sources.name"
    css_class = "bl-sources"
    height = "420px"

    def __init__(self, lang: str | None = None, *, claims: Sequence[str] | None = None) -> None:
        lang = resolve_lang(lang)
        table = loaders.load_claims().set_index("claim_id")
        if claims is not None:
            unknown = [c for c in claims if c not in table.index]
            if unknown or not claims:
                raise ValueError(f"unknown claim ids: {', '.join(unknown)}" if unknown else "claims is empty")
            table = table.loc[list(claims)]
        self._questions = table[f"question_{lang}"]
        self._versions = loaders.load_claim_versions().merge(loaders.load_sources(), on="source_id")
        controls = {
            "claim": _dropdown(word("control.claim", lang), [(str(q), c) for c, q in self._questions.items()]),
        }
        super().__init__(controls, lang=lang)

    def render(self) -> list[str]:
        """The chosen claim's versions, each with its source, and the question to think about."""
        lang, claim = self.lang, self.controls["claim"].value
        rows = self._versions[self._versions.claim_id == claim]
        table = _table(
            "bl-claim",
            [
                word(k, lang)
                for k in ("table.source", "table.perspective", "table.says", "table.accepted", "table.note")
            ],
            [
                [
                    _cite(r, lang),
                    html.escape(str(localized(r, "perspective", lang))),
                    f"<b>{html.escape(str(said(r, 'value', lang)))}</b>",
                    "✔" if r.accepted else "—",
                    _cell(getattr(r, f"note_{lang}")),
                ]
                for r in rows.itertuples()
            ],
        )
        question = html.escape(str(self._questions[claim]))
        return [f'<h4>{question}</h4>{table}<p class="bl-question"><b>?</b> {word("explorer.question", lang)}</p>']


def source_comparison(lang: str | None = None, *, claims: Sequence[str] | None = None) -> SourceComparison:
    """Choose a contested claim and see every version side by side, with who said it, when, and why.

    Parameters
    ----------
    lang : {"en", "es"}, optional
        Language of labels and text; the notebook's language when omitted.
    claims : sequence of str, optional
        The ``claims.claim_id`` values to offer, in this order (a lesson offers its own
        disputes); every claim when omitted.

    Returns
    -------
    SourceComparison

    """
    return SourceComparison(lang, claims=claims)


# -- 6. self-check quiz ---------------------------------------------------------------------------


class Quiz(w.VBox):
    """Self-check questions with immediate feedback and an explanation. Build it with :func:`quiz`.

    Attributes
    ----------
    questions : list of dict
        Per question, the ``question_id``, the answer ``control`` and the ``feedback`` widget.
    lang : str
        The quiz's language.

    """

    def __init__(self, lesson_id: int | None = None, lang: str | None = None) -> None:
        self.lang = lang = resolve_lang(lang)
        questions = loaders.load_quiz_questions()
        options = loaders.load_quiz_options()
        if lesson_id is not None:
            questions = questions[questions.lesson_id == lesson_id]
        if questions.empty:
            raise ValueError(f"no self-check questions for lesson {lesson_id}")
        blocks, self.questions = [], []
        for n, q in enumerate(questions.itertuples(), start=1):
            prompt = w.HTML(f"<b>{n}.</b> {html.escape(str(getattr(q, f'question_{lang}')))}")
            feedback = w.HTML(layout=w.Layout(min_height="3em"))
            explanation = html.escape(str(getattr(q, f"explanation_{lang}")))
            if q.kind == "choice":
                opts = options[options.question_id == q.question_id].sort_values("option_id")
                control = w.RadioButtons(
                    options=[(str(getattr(o, f"text_{lang}")), o.option_id) for o in opts.itertuples()],
                    value=None,
                    description=word("quiz.answer", lang),
                    style=STYLE,
                    layout=LAYOUT_FULL,
                )
                notes = {
                    o.option_id: "" if pd.isna(getattr(o, f"feedback_{lang}")) else str(getattr(o, f"feedback_{lang}"))
                    for o in opts.itertuples()
                }
                judge = _choice_judge(set(opts[opts.correct].option_id), notes, lang)
            else:
                # A text box rather than FloatText: it can start empty, and it accepts a decimal comma
                # ("28,5") as Spanish-speaking learners write it.
                control = w.Text(
                    value="",
                    placeholder="0",
                    description=word("quiz.answer", lang),
                    style=STYLE,
                    continuous_update=False,
                )
                judge = _number_judge(float(q.answer), float(q.tolerance or 0), lang)
            control.observe(self._feedback(judge, feedback, explanation), names="value")
            self.questions.append({"question_id": q.question_id, "control": control, "feedback": feedback})
            blocks.append(w.VBox([prompt, control, feedback], layout=w.Layout(margin="0 0 1em 0")))
        super().__init__(blocks, layout=LAYOUT_FULL)
        self.add_class("bl-quiz")

    def _feedback(
        self, judge: Callable[[object], tuple[bool, str]], feedback: w.HTML, explanation: str
    ) -> Callable[[dict], None]:
        """A callback that judges an answer as soon as it is given and shows the verdict.

        A right answer shows the explanation; a wrong one shows what is wrong with that answer (or
        a hint) and never the explanation, which would give the answer away.
        """

        def on_change(change: dict) -> None:
            if change["new"] in (None, ""):
                feedback.value = ""
                return
            ok, note = judge(change["new"])
            verdict = word("quiz.correct" if ok else "quiz.wrong", self.lang)
            colour = "#0072B2" if ok else "#B3400A"
            detail = (html.escape(note) + " " if note else "") + (explanation if ok else "")
            feedback.value = (
                f'<div role="status" class="bl-feedback {"right" if ok else "wrong"}">'
                f'<b style="color:{colour}">{"✔" if ok else "✘"} {verdict}</b> {detail.strip()}</div>'
            )

        return on_change

    def __repr__(self) -> str:
        return word("widget.repr", self.lang, name=word("quiz.name", self.lang))


def _choice_judge(right: set, notes: dict[str, str], lang: str) -> Callable[[object], tuple[bool, str]]:
    """Right or wrong, and the note written for the option chosen (a hint to read again if none)."""

    def judge(value: object) -> tuple[bool, str]:
        ok = value in right
        note = notes.get(str(value), "")
        return ok, note if (note or ok) else word("quiz.try_again", lang)

    return judge


def _number_judge(answer: float, tolerance: float, lang: str) -> Callable[[object], tuple[bool, str]]:
    """Right within the tolerance; otherwise a hint: type digits, or close but not exact, or try again."""

    def judge(value: object) -> tuple[bool, str]:
        given = _parse_number(str(value))
        if given is None:
            return False, word("quiz.digits", lang)
        if abs(given - answer) <= tolerance:
            return True, ""
        close = abs(given - answer) <= max(10 * tolerance, abs(answer) * 0.02)
        return False, word("quiz.close" if close else "quiz.try_again", lang)

    return judge


def quiz(lesson_id: int | None = None, lang: str | None = None) -> Quiz:
    """Self-check questions with immediate feedback and an explanation.

    Questions come from the ``quiz_questions`` and ``quiz_options`` tables. Feedback appears as soon
    as an option is chosen or a number entered (press Enter or leave the box). Nothing is stored or
    sent anywhere.

    Parameters
    ----------
    lesson_id : int, optional
        Only this lesson's questions; all questions when omitted.
    lang : {"en", "es"}, optional
        Language; the notebook's language when omitted.

    Returns
    -------
    Quiz
        Its ``questions`` attribute lists, per question, a dict with the ``question_id``, the answer
        ``control`` and the ``feedback`` widget.

    Examples
    --------
    >>> quiz(lesson_id=5, lang="es")
    Cuestionario de autoevaluación: ejecuta esta celda para usarlo.

    """
    return Quiz(lesson_id, lang)


def _parse_number(text: str) -> float | None:
    """Read a learner's number: '786792', '786,792', '786.792', '28,5' or '28.5'."""
    t = text.strip().replace(" ", "").replace("%", "")
    if re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", t):  # thousands separators only
        t = re.sub(r"[.,]", "", t)
    t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None
