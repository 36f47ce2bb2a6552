"""Every control of every explorer, set programmatically, changes the output accordingly."""

from __future__ import annotations

import html

import matplotlib

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
import pytest  # noqa: E402

import bolivia_lessons as bl  # noqa: E402
from bolivia_lessons import charts, text, widgets  # noqa: E402


def html_of(box: w.VBox) -> str:
    return "\n".join(o["data"]["text/html"] for o in box.output.outputs)


def assert_no_error(box: w.VBox) -> None:
    assert box.output.outputs, "nothing drawn"
    assert "bl-error" not in html_of(box), html_of(box)[:500]


def controls_are_labelled_and_redraw_on_release(box: w.VBox) -> None:
    for name, control in box.controls.items():
        assert control.description, name
        if hasattr(control, "continuous_update"):
            assert control.continuous_update is False, name
    # a floor against page jumps, no ceiling that would hide results below a fold
    assert box.output.layout.min_height is not None and box.output.layout.height is None
    assert box.output.layout.overflow is None


@pytest.mark.parametrize(
    "make",
    [
        widgets.timeline_explorer,
        widgets.election_explorer,
        widgets.land_reform_explorer,
        widgets.coup_explorer,
        widgets.source_comparison,
    ],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_explorers_are_returned_not_displayed(make, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    box = make(lang=lang)
    assert isinstance(box, w.VBox)
    assert capsys.readouterr().out == ""
    assert_no_error(box)
    controls_are_labelled_and_redraw_on_release(box)


def test_timeline_slider_extremes_and_filters() -> None:
    box = widgets.timeline_explorer()
    years, cats, period, event = (box.controls[k] for k in ("years", "categories", "period", "event"))
    full = html_of(box)
    years.value = (1952, 1952)
    narrow = html_of(box)
    assert narrow != full and "Events, 1 January 1952 to 31 December 1952" in narrow
    in_1952 = [v for _, v in event.options]
    assert in_1952 and all(v.startswith("1952_") for v in in_1952)
    years.value = (1932, 1932)
    assert all(v.startswith("1932_") for _, v in event.options)
    years.value = (2024, 2024)
    assert all(v.startswith("2024_") for _, v in event.options)
    years.value = (1932, 2024)
    cats.value = ("coup",)
    assert {bl.load_events().set_index("event_id").loc[v, "category"] for _, v in event.options} == {"coup"}
    for _, pid in period.options:
        period.value = pid
        assert_no_error(box)
    period.value = ""
    cats.value = ()
    assert "No events match" in html_of(box)


def test_choosing_an_event_shows_its_summary_and_sources() -> None:
    box = widgets.timeline_explorer()
    event = box.controls["event"]
    event.value = "1952_04_09_insurrection_begins"
    page = html_of(box)
    e = bl.load_events().set_index("event_id").loc["1952_04_09_insurrection_begins"]
    assert e.summary_en.replace("'", "&#x27;") in page or e.summary_en in page
    links = bl.load_event_sources().query("event_id == '1952_04_09_insurrection_begins'")
    sources = bl.load_sources().set_index("source_id")
    for sid in links.source_id:
        assert str(sources.loc[sid, "perspective"]).replace("'", "&#x27;").split(" (")[0][:20] in page


def test_election_explorer_every_option() -> None:
    box = widgets.election_explorer()
    seen = set()
    for _, eid in box.controls["election"].options:
        box.controls["election"].value = eid
        for scale in ("linear", "log"):
            box.controls["scale"].value = scale
            for measure in ("votes", "share"):
                box.controls["measure"].value = measure
                assert_no_error(box)
                page = html_of(box)
                assert ("logarithmic scale" if scale == "log" else "linear scale") in page
                seen.add(page)
    assert len(seen) == 4 * len(box.controls["election"].options)


def test_land_reform_explorer_every_option() -> None:
    box = widgets.land_reform_explorer()
    pages = set()
    for view in ("bars", "map"):
        box.controls["view"].value = view
        for _, sort in box.controls["sort"].options:
            box.controls["sort"].value = sort
            assert_no_error(box)
            pages.add(html_of(box))
        for _, dep in box.controls["highlight"].options:
            box.controls["highlight"].value = dep
            assert_no_error(box)
            if dep:
                assert f"<b>{dep}: " in html_of(box)
    assert len(pages) >= 4


def test_coup_explorer_filters_rows() -> None:
    box = widgets.coup_explorer()
    coups = bl.load_coups()
    box.controls["outcome"].value = "failed"
    assert html_of(box).count("<tr><td>") == int((coups.outcome == "failed").sum())
    box.controls["outcome"].value = ""
    for _, decade in box.controls["decade"].options:
        box.controls["decade"].value = decade
        assert_no_error(box)
        if decade:
            expected = int((coups.date.map(lambda p: p.year // 10 * 10) == decade).sum())
            assert html_of(box).count("<tr><td>") == expected
    box.controls["decade"].value = 0
    for _, leader in box.controls["leader"].options:
        box.controls["leader"].value = leader
        assert_no_error(box)
        if leader:
            assert leader in html_of(box)


def test_source_comparison_every_claim() -> None:
    box = widgets.source_comparison()
    versions = bl.load_claim_versions()
    for _, cid in box.controls["claim"].options:
        box.controls["claim"].value = cid
        page = html_of(box)
        assert page.count("<tr><td>") == int((versions.claim_id == cid).sum())
        assert "Which version would you trust" in page


def test_errors_in_callbacks_are_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    box = widgets.election_explorer()
    monkeypatch.setattr(widgets.charts, "election_data", lambda *_: (_ for _ in ()).throw(RuntimeError("boom")))
    box.controls["scale"].value = "log"
    page = html_of(box)
    assert 'role="alert"' in page and "RuntimeError: boom" in page


@pytest.mark.parametrize("lang", ["en", "es"])
def test_quiz_gives_immediate_feedback_for_every_answer(lang: str) -> None:
    """A right answer shows the explanation; a wrong one shows its own note or a hint, never the explanation."""
    box = widgets.quiz(lang=lang)
    questions = bl.load_quiz_questions().set_index("question_id")
    options = bl.load_quiz_options()
    assert len(box.questions) == len(questions)

    def has(text: object, page: str) -> bool:
        return html.escape(str(text))[:30] in page

    for entry in box.questions:
        q = questions.loc[entry["question_id"]]
        control, feedback = entry["control"], entry["feedback"]
        assert feedback.value == ""
        explanation = q[f"explanation_{lang}"]
        if q.kind == "choice":
            for o in options[options.question_id == entry["question_id"]].itertuples():
                control.value = o.option_id
                assert ("right" if o.correct else "wrong") in feedback.value
                assert has(explanation, feedback.value) == bool(o.correct), "the explanation only after a right answer"
                note = getattr(o, f"feedback_{lang}")
                if isinstance(note, str) and note:
                    assert has(note, feedback.value)
        else:
            control.value = str(q.answer)
            assert "right" in feedback.value and has(explanation, feedback.value)
            control.value = str(q.answer + 10 * (q.tolerance or 1) + 1)
            assert "wrong" in feedback.value and not has(explanation, feedback.value)
            control.value = "nineteen forty-two"
            assert "wrong" in feedback.value and text.word("quiz.digits", lang) in feedback.value


def test_a_near_miss_is_called_close() -> None:
    numeric = bl.load_quiz_questions().query("kind == 'numeric'").iloc[0]
    box = widgets.quiz(lesson_id=int(numeric.lesson_id), lang="en")
    entry = next(e for e in box.questions if e["question_id"] == numeric.question_id)
    entry["control"].value = str(float(numeric.answer) + max(float(numeric.tolerance or 0), 0) + 1)
    assert "Close, but not exact" in entry["feedback"].value


def test_quiz_for_one_lesson_and_decimal_comma() -> None:
    box = widgets.quiz(lesson_id=4)
    assert {e["question_id"][:2] for e in box.questions} == {"04"}
    assert widgets._parse_number("28,5") == 28.5
    assert widgets._parse_number("786,792") == 786792
    assert widgets._parse_number("786.792") == 786792
    with pytest.raises(ValueError, match="no self-check questions"):
        widgets.quiz(lesson_id=99)


EXPLORERS = [
    (widgets.timeline_explorer, widgets.TimelineExplorer, "bl-timeline", "Timeline explorer"),
    (widgets.election_explorer, widgets.ElectionExplorer, "bl-election", "Election explorer"),
    (widgets.land_reform_explorer, widgets.LandReformExplorer, "bl-land-reform", "Land-reform explorer"),
    (widgets.coup_explorer, widgets.CoupExplorer, "bl-coups", "Coup explorer"),
    (widgets.source_comparison, widgets.SourceComparison, "bl-sources", "Source comparison"),
]


@pytest.mark.parametrize(("make", "cls", "css", "name"), EXPLORERS)
def test_explorers_are_widgets_whose_repr_tells_a_learner_what_to_do(make, cls, css, name) -> None:
    box = make(lang="en")
    assert isinstance(box, cls) and isinstance(box, widgets.Explorer) and isinstance(box, w.VBox)
    assert repr(box) == f"{name}: run this cell to use it."
    # what a notebook that has not been run shows in place of the widget
    assert box._repr_mimebundle_()["text/plain"] == repr(box)
    assert {"bl-explorer", css} <= set(box._dom_classes)
    assert list(box.children) == [*box.controls.values(), box.output]
    spanish = make(lang="es")
    assert repr(spanish).endswith(": ejecuta esta celda para usarlo.") and repr(spanish) != repr(box)


def test_the_quiz_is_a_widget_whose_repr_tells_a_learner_what_to_do() -> None:
    box = widgets.quiz(lesson_id=5)
    assert isinstance(box, widgets.Quiz) and isinstance(box, w.VBox) and "bl-quiz" in box._dom_classes
    assert repr(box) == "Self-check quiz: run this cell to use it." == box._repr_mimebundle_()["text/plain"]
    assert (
        repr(widgets.quiz(lesson_id=5, lang="es")) == "Cuestionario de autoevaluación: ejecuta esta celda para usarlo."
    )
    entry = box.questions[0]
    assert entry["control"].description == "Your answer"


def drawn_afresh(box: widgets.Explorer) -> str:
    box._canvases.clear()  # the next chart goes on a new figure
    box.redraw()
    return html_of(box)


def visit(box: widgets.Explorer, name: str, values) -> None:
    """Set a control to each value; each chart must be the one a new figure gives."""
    for value in values:
        box.controls[name].value = value
        assert_no_error(box)
        assert html_of(box) == drawn_afresh(box), (name, value)


def test_a_figure_drawn_again_gives_what_a_new_figure_gives() -> None:
    box = widgets.election_explorer()
    for _, election in box.controls["election"].options:
        box.controls["election"].value = election
        visit(box, "scale", ["log", "linear"])
        visit(box, "measure", ["share", "votes"])
    box = widgets.land_reform_explorer()
    for view in ("bars", "map", "bars"):
        box.controls["view"].value = view
        visit(box, "sort", [v for _, v in box.controls["sort"].options])
        visit(box, "highlight", [v for _, v in box.controls["highlight"].options])
    box = widgets.coup_explorer()
    visit(box, "outcome", ["failed", "successful", ""])
    visit(box, "decade", [v for _, v in box.controls["decade"].options])
    visit(box, "leader", [v for _, v in box.controls["leader"].options][:6])
    box = widgets.timeline_explorer()
    visit(box, "years", [(1952, 1952), (1940, 2024), (1969, 1971), (1932, 2024)])
    visit(box, "categories", [("coup",), ("coup", "war", "election"), tuple(charts.CATEGORY_COLOURS)])
    visit(box, "period", [v for _, v in box.controls["period"].options][:4])


def test_coup_chart_counts_the_rows_in_the_table() -> None:
    """The chart under the table counts the shown rows as the Powell & Thyne data set classifies them."""
    box = widgets.coup_explorer()
    classes = bl.load_coup_classifications().query("source_id == 'powell_thyne_2011_coups'")
    kind = dict(zip(classes.coup_id, classes.classification))
    coups = bl.load_coups()
    box.controls["decade"].value = 1970
    shown = [c for c, p in zip(coups.coup_id, coups.date) if p.year // 10 == 197]
    page = html_of(box)
    assert page.count("<tr><td>") == len(shown)
    successful = sum(kind.get(c) in ("coup", "self_coup") for c in shown)
    failed = sum(kind.get(c) == "attempted_coup" for c in shown)
    assert f"({successful} successful, {failed} failed in all;" in page
    box.controls["decade"].value = 2010
    assert "(0 successful, 0 failed in all;" in html_of(box), "2019 is not counted: the data set does not list it"


def test_a_slider_move_draws_once_even_when_the_event_list_changes() -> None:
    box = widgets.timeline_explorer(years=(1952, 1952))
    event = box.controls["event"]
    event.value = "1952_04_09_insurrection_begins"
    assert "bl-event" in html_of(box)
    renders = []
    real = box.render
    box.render = lambda: renders.append(1) or real()
    box.controls["years"].value = (1960, 1970)  # the chosen event is out of range: the list changes
    assert len(renders) == 1
    assert event.value is None and "bl-event" not in html_of(box)
    assert all(not v.startswith("1952_") for _, v in event.options)


def test_timeline_lists_periods_in_date_order_and_shows_every_category() -> None:
    box = widgets.timeline_explorer(lang="en")
    periods = bl.load_periods().set_index("period_id")
    chosen = [value for _, value in box.controls["period"].options if value]
    assert list(periods.loc[chosen, "start_year"]) == sorted(periods.loc[chosen, "start_year"])
    categories = box.controls["categories"]
    assert [v for _, v in categories.options] == list(charts.CATEGORY_COLOURS)


def test_ticking_one_category_keeps_the_others_and_redraws_once() -> None:
    """Each category is a check box: a plain click changes that category only (issue 12)."""
    box = widgets.timeline_explorer(lang="en", years=(1952, 1952))
    categories = box.controls["categories"]
    boxes = categories.children[1].children
    assert [b.description for b in boxes] == [
        text.word(f"enum.events.category.{c}", "en") for c in charts.CATEGORY_COLOURS
    ]
    events = bl.load_events().set_index("event_id")
    renders = []
    real = box.render
    box.render = lambda: renders.append(1) or real()
    coup = list(charts.CATEGORY_COLOURS).index("coup")
    boxes[coup].value = False  # what a click on the box does in the browser
    assert categories.value == tuple(c for c in charts.CATEGORY_COLOURS if c != "coup")
    assert renders == [1]
    assert "coup" not in {events.loc[v, "category"] for _, v in box.controls["event"].options}
    categories.value = ("coup", "labour")  # set from Python: the boxes follow, one redraw
    assert [b.value for b in boxes] == [c in ("coup", "labour") for c in charts.CATEGORY_COLOURS]
    assert renders == [1, 1]
