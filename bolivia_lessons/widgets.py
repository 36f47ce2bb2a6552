"""Interactive explorers built with ipywidgets.

Every function here builds and returns a container; none displays anything (show one by making
it the last expression of a cell, or with ``IPython.display.display``). Every control has a
visible label and works from the keyboard; charts redraw only when a control is released
(``continuous_update=False``); the output area has a fixed height so the page does not jump; and
an error inside a callback is shown in the output instead of vanishing.

The returned container carries ``controls`` (a dict of its controls by name), ``output`` (the
Output widget) and ``redraw()`` (draw again now), so that a test, or a teacher's own code, can
drive it without a browser.
"""

from __future__ import annotations

import html
import io
import re
import traceback
from collections.abc import Callable, Sequence

import ipywidgets as w
import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import charts, loaders
from .text import check_lang, number

LAYOUT_FULL = w.Layout(width="100%")
STYLE = {"description_width": "initial"}

_LABELS = {
    "en": {
        "years": "Years",
        "categories": "Categories",
        "period": "Period",
        "all": "All",
        "events": "Matching events",
        "election": "Election",
        "scale": "Scale",
        "linear": "linear",
        "log": "logarithmic",
        "measure": "Show",
        "votes": "votes",
        "share": "share",
        "view": "View",
        "bars": "bars",
        "map": "map",
        "sort": "Sort",
        "descending": "largest first",
        "ascending": "smallest first",
        "alphabetical": "A–Z",
        "highlight": "Highlight",
        "none": "none",
        "decade": "Decade",
        "outcome": "Outcome",
        "leader": "Leader",
        "successful": "successful",
        "failed": "failed",
        "claim": "Contested claim",
        "check": "Check",
        "answer": "Your answer",
        "error": "Something went wrong while drawing",
        "sources": "Sources",
        "no_match": "No events match these filters.",
    },
    "es": {
        "years": "Años",
        "categories": "Categorías",
        "period": "Período",
        "all": "Todos",
        "events": "Acontecimientos",
        "election": "Elección",
        "scale": "Escala",
        "linear": "lineal",
        "log": "logarítmica",
        "measure": "Mostrar",
        "votes": "votos",
        "share": "porcentaje",
        "view": "Vista",
        "bars": "barras",
        "map": "mapa",
        "sort": "Orden",
        "descending": "mayor primero",
        "ascending": "menor primero",
        "alphabetical": "A–Z",
        "highlight": "Resaltar",
        "none": "ninguno",
        "decade": "Década",
        "outcome": "Resultado",
        "leader": "Líder",
        "successful": "exitoso",
        "failed": "fallido",
        "claim": "Afirmación disputada",
        "check": "Comprobar",
        "answer": "Tu respuesta",
        "error": "Algo salió mal al dibujar",
        "sources": "Fuentes",
        "no_match": "Ningún acontecimiento coincide con estos filtros.",
    },
}


def _t(key: str, lang: str) -> str:
    return _LABELS[check_lang(lang)][key]


def figure_html(fig: matplotlib.figure.Figure, alt: str) -> str:
    """The figure as inline SVG with its text alternative as caption and accessible name.

    Text stays text in the SVG (not paths), so a screen reader, a search or a test can read it.
    """
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


class _Explorer:
    """Wires controls to an output: every change redraws, errors are shown, not lost."""

    def __init__(
        self,
        controls: dict[str, w.Widget],
        render: Callable[[], list[str]],
        *,
        height: str,
        header: list[w.Widget] | None = None,
        lang: str = "en",
        name: str = "explorer",
    ) -> None:
        self.controls, self.render, self.lang = controls, render, lang
        self.output = w.Output(layout=w.Layout(height=height, overflow="auto", border="1px solid #ddd"))
        for control in controls.values():
            control.observe(self.redraw, names="value")
        self.box = w.VBox([*(header or []), *controls.values(), self.output], layout=LAYOUT_FULL)
        self.box.add_class("bl-explorer")
        self.box.add_class(f"bl-{name}")  # lets a browser test (or a stylesheet) find this explorer
        self.box.controls, self.box.output, self.box.redraw = self.controls, self.output, self.redraw
        self.redraw()

    def redraw(self, *_: object) -> None:
        try:
            pieces = self.render()
        except Exception as exc:  # shown to the learner: a silent failure in a callback helps nobody
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            pieces = [
                f'<div role="alert" class="bl-error" style="color:#a00"><b>{_t("error", self.lang)}:</b> '
                f"{html.escape(detail)}</div>"
            ]
        # Replacing the outputs at once (rather than clear_output + display) works the same in a
        # kernel and in plain Python, and never leaves the area empty while a chart is drawn.
        self.output.outputs = tuple(
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": piece, "text/plain": _plain(piece)}}
            for piece in pieces
        )


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


def _figure(size: tuple[float, float], margins: tuple[float, float, float, float]) -> tuple[Figure, Axes]:
    """A figure with fixed margins (left, right, top, bottom, in inches).

    Fixed margins instead of matplotlib's constrained layout: an explorer redraws on every control
    change, and working out the layout each time costs about as much as drawing the chart. The
    figure is made without pyplot, which would register (and later have to close) a window for it.
    """
    fig = Figure(figsize=size)
    ax = fig.add_subplot()
    width, height = size
    left, right, top, bottom = margins
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    return fig, ax


def _draw(
    plot: Callable[..., object],
    describe: Callable[..., str],
    size: tuple[float, float],
    margins: tuple[float, float, float, float],
    **kw: object,
) -> str:
    fig, ax = _figure(size, margins)
    plot(ax=ax, **kw)
    return figure_html(fig, describe(**{k: v for k, v in kw.items() if k in ("data", "lang")}))


# -- 1. timeline ----------------------------------------------------------------------------------


def timeline_explorer(lang: str = "en", *, years: tuple[int, int] = (1932, 2024), period: str = "") -> w.VBox:
    """Year-range slider, category and period filters, the matching events and their sources.

    Choosing an event shows its summary and every source with its perspective.

    Parameters
    ----------
    lang : {"en", "es"}
        Language of labels and text.
    years : tuple of int
        The year range selected at first (a lesson can open on its own years).
    period : str
        A ``periods.period_id`` selected at first; empty for all periods.

    Returns
    -------
    ipywidgets.VBox

    """
    check_lang(lang)
    periods = loaders.load_periods()
    cats = list(charts.CATEGORY_COLOURS)
    years_slider = w.IntRangeSlider(
        value=years,
        min=1932,
        max=2024,
        step=1,
        description=_t("years", lang),
        continuous_update=False,
        style=STYLE,
        layout=LAYOUT_FULL,
    )
    categories = w.SelectMultiple(
        options=[(charts.word(c, lang), c) for c in cats],
        value=tuple(cats),
        rows=5,
        description=_t("categories", lang),
        style=STYLE,
    )
    period_menu = _dropdown(
        _t("period", lang),
        [(_t("all", lang), "")] + [(getattr(p, f"name_{lang}"), p.period_id) for p in periods.itertuples()],
        period,
    )
    event = w.Select(options=[], rows=6, description=_t("events", lang), style=STYLE, layout=LAYOUT_FULL)
    sources = loaders.load_sources().set_index("source_id")
    links = loaders.load_event_sources()

    def matching() -> pd.DataFrame:
        y0, y1 = years_slider.value
        chosen = [period_menu.value] if period_menu.value else None
        return charts.timeline_data(str(y0), f"{y1}-12-31", categories.value, chosen)

    def render() -> list[str]:
        data = matching()
        options = [(f"{e.start_date} — {getattr(e, f'title_{lang}')}", e.event_id) for e in data.itertuples()]
        if [o[1] for o in event.options] != [o[1] for o in options]:
            chosen = event.value
            event.options = options
            event.value = chosen if chosen in {o[1] for o in options} else None
        y0, y1 = years_slider.value
        if data.empty:
            return [f"<p>{_t('no_match', lang)}</p>"]
        kw = {"data": data, "lang": lang, "start": str(y0), "end": f"{y1}-12-31", "categories": categories.value}
        fig, ax = _figure((9, 3.6), (1.0, 0.2, 0.55, 0.45))
        charts.plot_timeline(ax=ax, **kw)
        pieces = [figure_html(fig, charts.describe_timeline(data, lang=lang))]
        if event.value:
            pieces.append(_event_card(data.set_index("event_id").loc[event.value], links, sources, lang))
        return pieces

    return _Explorer(
        {"years": years_slider, "categories": categories, "period": period_menu, "event": event},
        render,
        height="620px",
        lang=lang,
        name="timeline",
    ).box


def _event_card(e: pd.Series, links: pd.DataFrame, sources: pd.DataFrame, lang: str) -> str:
    rows = []
    for link in links[links.event_id == e.name].itertuples():
        s = sources.loc[link.source_id]
        where = f", {html.escape(str(link.locator))}" if pd.notna(link.locator) else ""
        rows.append(
            f"<li><b>{html.escape(str(s.author))}</b>, <i>{html.escape(str(s.title))}</i>, "
            f"{html.escape(str(s.publication))}{'' if pd.isna(s.year) else f' ({s.year})'}{where} — "
            f"{html.escape(str(s.kind))}; {html.escape(str(s.perspective))}</li>"
        )
    return (
        f'<div class="bl-event"><h4>{html.escape(str(e[f"title_{lang}"]))} ({e.start_date})</h4>'
        f"<p>{html.escape(str(e[f'summary_{lang}']))}</p>"
        f"<p><b>{_t('sources', lang)}</b></p><ul>{''.join(rows)}</ul></div>"
    )


# -- 2. elections ---------------------------------------------------------------------------------


def election_explorer(lang: str = "en", *, election_id: str = "1956_general", scale: str = "linear") -> w.VBox:
    """Election picker, linear or logarithmic scale, votes or shares.

    Parameters
    ----------
    lang : {"en", "es"}
        Language of labels and text.
    election_id : str
        The election shown at first.
    scale : {"linear", "log"}
        The scale selected at first.

    Returns
    -------
    ipywidgets.VBox

    """
    check_lang(lang)
    elections = loaders.load_elections().sort_values("date")
    election = _dropdown(
        _t("election", lang),
        [(f"{e.date:%Y} ({e.election_id})", e.election_id) for e in elections.itertuples()],
        election_id,
    )
    scale_toggle = _toggle(_t("scale", lang), [(_t("linear", lang), "linear"), (_t("log", lang), "log")], scale)
    measure = _toggle(_t("measure", lang), [(_t("votes", lang), "votes"), (_t("share", lang), "share")], "votes")

    def render() -> list[str]:
        data = charts.election_data(election.value)
        return [
            _draw(
                charts.plot_election,
                charts.describe_election,
                (8, 0.55 * len(data) + 1.8),
                (2.6, 0.2, 0.4, 0.55),
                data=data,
                measure=measure.value,
                scale=scale_toggle.value,
                lang=lang,
            )
        ]

    return _Explorer(
        {"election": election, "scale": scale_toggle, "measure": measure},
        render,
        height="480px",
        lang=lang,
        name="election",
    ).box


# -- 3. land reform -------------------------------------------------------------------------------


def land_reform_explorer(lang: str = "en") -> w.VBox:
    """Bars or map, sort order, and a highlighted department with a note on where its figure comes from.

    Returns
    -------
    ipywidgets.VBox

    """
    check_lang(lang)
    land = charts.land_reform_data()
    sources = loaders.load_sources().set_index("source_id")
    view = _toggle(_t("view", lang), [(_t("bars", lang), "bars"), (_t("map", lang), "map")], "bars")
    sort = _dropdown(_t("sort", lang), [(_t(s, lang), s) for s in charts.SORTS])
    highlight = _dropdown(_t("highlight", lang), [(_t("none", lang), "")] + [(a, a) for a in sorted(land.area)])

    def render() -> list[str]:
        data = charts.land_reform_data(sort=sort.value)
        hl = highlight.value or None
        if view.value == "bars":
            pieces = [
                _draw(
                    charts.plot_land_reform,
                    charts.describe_land_reform,
                    (7, 4.2),
                    (1.0, 0.2, 0.7, 0.55),
                    data=data,
                    highlight=hl,
                    lang=lang,
                )
            ]
        else:
            pieces = [
                _draw(
                    charts.plot_land_reform_map,
                    charts.describe_land_reform,
                    (6.2, 6.2),
                    (0.1, 0.1, 0.7, 0.1),
                    data=data,
                    highlight=hl,
                    lang=lang,
                )
            ]
        if hl:
            row = data.set_index("area").loc[hl]
            s = sources.loc[row.source_id]
            note = row[f"note_{lang}"]
            pieces.append(
                f'<div class="bl-note"><b>{html.escape(hl)}: {number(row.estates_affected_pct, lang, 1)} %</b> — '
                f"{html.escape(str(s.author))}, <i>{html.escape(str(s.title))}</i> "
                f"({html.escape(str(s.perspective))}). {'' if pd.isna(note) else html.escape(str(note))}</div>"
            )
        return pieces

    return _Explorer(
        {"view": view, "sort": sort, "highlight": highlight}, render, height="640px", lang=lang, name="land-reform"
    ).box


# -- 4. coups -------------------------------------------------------------------------------------


def coup_explorer(lang: str = "en") -> w.VBox:
    """Filter coups by decade, outcome and leader; see the matching rows and the chart.

    Returns
    -------
    ipywidgets.VBox

    """
    check_lang(lang)
    coups = _coup_rows(lang)
    decades = sorted(coups.decade.unique())
    decade = _dropdown(
        _t("decade", lang), [(_t("all", lang), 0)] + [(f"{d}s" if lang == "en" else str(d), int(d)) for d in decades]
    )
    outcome = _dropdown(
        _t("outcome", lang),
        [(_t("all", lang), ""), (_t("successful", lang), "successful"), (_t("failed", lang), "failed")],
    )
    leaders = sorted({n for names in coups.leaders for n in names})
    leader = _dropdown(_t("leader", lang), [(_t("all", lang), "")] + [(n, n) for n in leaders])

    def render() -> list[str]:
        rows = coups
        if decade.value:
            rows = rows[rows.decade == decade.value]
        if outcome.value:
            rows = rows[rows.outcome == outcome.value]
        if leader.value:
            rows = rows[rows.leaders.map(lambda names: leader.value in names)]
        data = charts.coups_by_decade_data()
        data = data.assign(
            **{
                o: [int(((rows.decade == d) & (rows.outcome == o)).sum()) for d in data.decade]
                for o in ("successful", "failed")
            }
        )
        head = "".join(
            f"<th>{h}</th>"
            for h in (
                ["Date", "Event", "Target", "Leaders", "Outcome"]
                if lang == "en"
                else ["Fecha", "Acontecimiento", "Objetivo", "Líderes", "Resultado"]
            )
        )
        body = "".join(
            f"<tr><td>{r.date}</td><td>{html.escape(r.title)}</td><td>{html.escape(r.target)}</td>"
            f"<td>{html.escape(', '.join(r.leaders))}</td><td>{_t(r.outcome, lang)}</td></tr>"
            for r in rows.itertuples()
        )
        table = f'<table class="bl-coups"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        return [
            _draw(
                charts.plot_coups_by_decade,
                charts.describe_coups_by_decade,
                (7.5, 3.6),
                (0.7, 0.2, 0.45, 0.55),
                data=data,
                lang=lang,
            ),
            table,
        ]

    return _Explorer(
        {"decade": decade, "outcome": outcome, "leader": leader}, render, height="640px", lang=lang, name="coups"
    ).box


def _coup_rows(lang: str) -> pd.DataFrame:
    coups = loaders.load_coups()
    people = loaders.load_people().set_index("person_id")
    events = loaders.load_events().set_index("event_id")
    ep = loaders.load_event_people()
    leaders = ep[ep.role == "leader"].groupby("event_id").person_id.apply(list)
    return pd.DataFrame(
        {
            "date": coups.date.astype(str),
            "decade": coups.date.map(lambda p: p.year // 10 * 10),
            "outcome": coups.outcome.astype(str),
            "title": events.loc[coups.event_id, f"title_{lang}"].astype(str).to_numpy(),
            "target": people.loc[coups.target_person_id, "name"].astype(str).to_numpy(),
            "leaders": [[str(people.loc[p, "name"]) for p in leaders.get(e, [])] for e in coups.event_id],
        }
    )


# -- 5. source comparison -------------------------------------------------------------------------


def source_comparison(lang: str = "en", *, claims: Sequence[str] | None = None) -> w.VBox:
    """Choose a contested claim and see every version side by side, with who said it, when, and why.

    Parameters
    ----------
    lang : {"en", "es"}
        Language of labels and text.
    claims : sequence of str, optional
        The ``claims.claim_id`` values to offer, in this order (a lesson offers its own
        disputes); every claim when omitted.

    Returns
    -------
    ipywidgets.VBox

    """
    check_lang(lang)
    table = loaders.load_claims().set_index("claim_id")
    if claims is not None:
        unknown = [c for c in claims if c not in table.index]
        if unknown or not claims:
            raise ValueError(f"unknown claim ids: {', '.join(unknown)}" if unknown else "claims is empty")
        table = table.loc[list(claims)]
    versions = loaders.load_claim_versions().merge(loaders.load_sources(), on="source_id")
    claim = _dropdown(_t("claim", lang), [(str(q), c) for c, q in table[f"question_{lang}"].items()])
    heads = (
        ["Source", "Perspective", "Says", "Adopted?", "Why"]
        if lang == "en"
        else ["Fuente", "Perspectiva", "Dice", "¿Adoptada?", "Por qué"]
    )
    ask = (
        "Which version would you trust, and why? Look at who wrote each one, when, for whom, and whether an "
        "independent reference agrees."
        if lang == "en"
        else "¿En qué versión confiarías y por qué? Mira quién escribió cada una, cuándo, para quién y si una "
        "referencia independiente coincide."
    )

    def render() -> list[str]:
        rows = versions[versions.claim_id == claim.value]
        body = "".join(
            f"<tr><td>{html.escape(str(r.author))}, <i>{html.escape(str(r.title))}</i>, "
            f"{html.escape(str(r.publication))}"
            f"{'' if pd.isna(r.year) else f' ({r.year})'}</td><td>{html.escape(str(r.perspective))}</td>"
            f"<td><b>{html.escape(str(r.value))}</b></td><td>{'✔' if r.accepted else '—'}</td>"
            f"<td>{_cell(getattr(r, f'note_{lang}'))}</td></tr>"
            for r in rows.itertuples()
        )
        q = html.escape(str(table.loc[claim.value, f"question_{lang}"]))
        return [
            f'<h4>{q}</h4><table class="bl-claim"><thead><tr>{"".join(f"<th>{h}</th>" for h in heads)}</tr></thead>'
            f'<tbody>{body}</tbody></table><p class="bl-question"><b>?</b> {ask}</p>'
        ]

    return _Explorer({"claim": claim}, render, height="420px", lang=lang, name="sources").box


# -- 6. self-check quiz ---------------------------------------------------------------------------


def quiz(lesson_id: int | None = None, lang: str = "en") -> w.VBox:
    """Self-check questions with immediate feedback and an explanation.

    Questions come from the ``quiz_questions`` and ``quiz_options`` tables. Feedback appears as soon
    as an option is chosen or a number entered (press Enter or leave the box). Nothing is stored or
    sent anywhere.

    Parameters
    ----------
    lesson_id : int, optional
        Only this lesson's questions; all questions when omitted.
    lang : {"en", "es"}
        Language.

    Returns
    -------
    ipywidgets.VBox
        Its ``questions`` attribute lists, per question, a dict with the ``question_id``, the answer
        ``control`` and the ``feedback`` widget.

    """
    check_lang(lang)
    questions = loaders.load_quiz_questions()
    options = loaders.load_quiz_options()
    if lesson_id is not None:
        questions = questions[questions.lesson_id == lesson_id]
    if questions.empty:
        raise ValueError(f"no self-check questions for lesson {lesson_id}")
    blocks, entries = [], []
    for n, q in enumerate(questions.itertuples(), start=1):
        prompt = w.HTML(f"<b>{n}.</b> {html.escape(str(getattr(q, f'question_{lang}')))}")
        feedback = w.HTML(layout=w.Layout(min_height="3em"))
        if q.kind == "choice":
            opts = options[options.question_id == q.question_id].sort_values("option_id")
            control = w.RadioButtons(
                options=[(str(getattr(o, f"text_{lang}")), o.option_id) for o in opts.itertuples()],
                value=None,
                description=_t("answer", lang),
                style=STYLE,
                layout=LAYOUT_FULL,
            )
            right = set(opts[opts.correct].option_id)

            def judge(value: object, right: set = right) -> bool:
                return value in right
        else:
            # A text box rather than FloatText: it can start empty, and it accepts a decimal comma
            # ("28,5") as Spanish-speaking learners write it.
            control = w.Text(
                value="", placeholder="0", description=_t("answer", lang), style=STYLE, continuous_update=False
            )

            def judge(value: object, answer: float = float(q.answer), tol: float = float(q.tolerance or 0)) -> bool:
                number_ = _parse_number(str(value))
                return number_ is not None and abs(number_ - answer) <= tol

        explanation = html.escape(str(getattr(q, f"explanation_{lang}")))

        def on_change(
            change: dict,
            judge: Callable[[object], bool] = judge,
            feedback: w.HTML = feedback,
            explanation: str = explanation,
        ) -> None:
            if change["new"] in (None, ""):
                feedback.value = ""
                return
            ok = judge(change["new"])
            verdict = (
                ("Correct." if lang == "en" else "Correcto.")
                if ok
                else ("Not quite." if lang == "en" else "No exactamente.")
            )
            colour = "#0072B2" if ok else "#D55E00"
            feedback.value = (
                f'<div role="status" class="bl-feedback {"right" if ok else "wrong"}">'
                f'<b style="color:{colour}">{"✔" if ok else "✘"} {verdict}</b> {explanation}</div>'
            )

        control.observe(on_change, names="value")
        entries.append({"question_id": q.question_id, "control": control, "feedback": feedback})
        blocks.append(w.VBox([prompt, control, feedback], layout=w.Layout(margin="0 0 1em 0")))
    box = w.VBox(blocks, layout=LAYOUT_FULL)
    box.add_class("bl-quiz")
    box.questions = entries
    return box


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


def _cell(value: object) -> str:
    """HTML for a table cell that may be missing."""
    return "" if pd.isna(value) else html.escape(str(value))
