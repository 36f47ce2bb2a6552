"""Every control of every explorer, set programmatically, changes the output accordingly."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
import pytest  # noqa: E402

import bolivia_lessons as bl  # noqa: E402
from bolivia_lessons import widgets  # noqa: E402


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
    assert box.output.layout.height is not None


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
    assert narrow != full and "Events, 1952-01-01 to 1952-12-31" in narrow
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
    box = widgets.quiz(lang=lang)
    questions = bl.load_quiz_questions().set_index("question_id")
    options = bl.load_quiz_options()
    assert len(box.questions) == len(questions)
    for entry in box.questions:
        q = questions.loc[entry["question_id"]]
        control, feedback = entry["control"], entry["feedback"]
        assert feedback.value == ""
        if q.kind == "choice":
            for o in options[options.question_id == entry["question_id"]].itertuples():
                control.value = o.option_id
                assert ("right" if o.correct else "wrong") in feedback.value
                assert str(q[f"explanation_{lang}"])[:30].replace("'", "&#x27;") in feedback.value
        else:
            control.value = str(q.answer)
            assert "right" in feedback.value
            control.value = str(q.answer + 10 * (q.tolerance or 1) + 1)
            assert "wrong" in feedback.value
            control.value = "not a number"
            assert "wrong" in feedback.value


def test_quiz_for_one_lesson_and_decimal_comma() -> None:
    box = widgets.quiz(lesson_id=4)
    assert {e["question_id"][:2] for e in box.questions} == {"04"}
    assert widgets._parse_number("28,5") == 28.5
    assert widgets._parse_number("786,792") == 786792
    assert widgets._parse_number("786.792") == 786792
    with pytest.raises(ValueError, match="no self-check questions"):
        widgets.quiz(lesson_id=99)
