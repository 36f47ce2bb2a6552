"""Charts draw exactly the data, in both languages, with text alternatives that carry the numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import bolivia_lessons as bl  # noqa: E402
from bolivia_lessons import charts  # noqa: E402
from bolivia_lessons.text import number  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def bars(ax) -> list:
    """The bars of a bar chart, in drawing order (not a shaded band behind them)."""
    return [p for container in ax.containers for p in container.patches]


@pytest.mark.parametrize("scale", ["linear", "log"])
@pytest.mark.parametrize("measure", ["votes", "share"])
def test_election_bars_equal_the_votes(scale: str, measure: str) -> None:
    data = charts.election_data("1956_general")
    results = bl.load_election_results().query("election_id == '1956_general'")
    assert sorted(data.votes) == sorted(results.votes)
    ax = charts.plot_election(data, measure=measure, scale=scale)
    widths = [b.get_width() for b in bars(ax)]
    expected = data.votes if measure == "votes" else data.share_pct
    assert np.allclose(widths, expected.astype(float))
    assert ax.get_xscale() == scale
    top_down = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert [label for _, label in top_down] == [f"{c} ({p})" for c, p in zip(data.candidate, data.party)]
    assert len({mcolors.to_hex(b.get_facecolor()) for b in bars(ax)}) == len(data)
    assert all(mcolors.to_hex(b.get_facecolor()).upper() in charts.OKABE_ITO for b in bars(ax))


def test_smallest_party_is_a_fraction_of_a_percent_of_the_winner() -> None:
    data = charts.election_data("1956_general")
    assert data.votes.iloc[-1] / data.votes.iloc[0] < 0.005
    text = charts.describe_election(data)
    assert number(data.votes.iloc[0], "en") in text and number(data.votes.iloc[-1], "en") in text
    assert "0.3 % as many votes" in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_election_titles_and_labels_in_both_languages(lang: str) -> None:
    ax = charts.plot_election(lang=lang)
    title, xlabel = ax.get_title(), ax.get_xlabel()
    if lang == "en":
        assert title.startswith("Presidential election of 17 June 1956") and xlabel.startswith("Votes")
    else:
        assert title.startswith("Elección presidencial del 17 de junio de 1956") and xlabel.startswith("Votos")
    assert number(787792, lang) in charts.describe_election(lang=lang)


def test_electorate_bars_equal_the_totals() -> None:
    data = charts.electorate_data()
    ax = charts.plot_electorate(data)
    heights = [b.get_height() for b in bars(ax)]
    expected = list(data.registered_voters.astype(float)) + list(data.valid_votes.astype(float))
    assert np.allclose(heights, expected)
    text = charts.describe_electorate(data)
    for value in expected:
        assert number(value, "en") in text
    assert "Inscritos" in charts.plot_electorate(data, lang="es").get_legend().get_texts()[0].get_text()


@pytest.mark.parametrize("sort", charts.SORTS)
def test_land_reform_bars_sorted_and_national_line(sort: str) -> None:
    data = charts.land_reform_data(sort=sort)
    ax = charts.plot_land_reform(data, highlight="Oruro")
    widths = [b.get_width() for b in bars(ax)]
    assert np.allclose(widths, data.estates_affected_pct.astype(float))
    if sort == "descending":
        assert widths == sorted(widths, reverse=True)
    if sort == "alphabetical":
        assert list(data.area) == sorted(data.area)
    line = ax.get_lines()[0]
    assert line.get_xdata()[0] == pytest.approx(28.5)
    colours = {a: mcolors.to_hex(b.get_facecolor()).upper() for a, b in zip(data.area, bars(ax))}
    assert colours["Oruro"] == "#D55E00" and colours[data.area[data.area != "Oruro"].iloc[0]] == "#0072B2"


def test_land_reform_description_names_missing_departments() -> None:
    text = charts.describe_land_reform()
    assert "28.5 %" in text and "Oruro: 76 %" in text and "Potosí" in text
    assert "28,5 %" in charts.describe_land_reform(lang="es")


def test_land_reform_map_shades_every_department() -> None:
    data = charts.land_reform_data()
    ax = charts.plot_land_reform_map(data, highlight="La Paz")
    named = {p.get_label() for p in ax.patches}
    assert named == {"La Paz", "Oruro", "Potosí", "Cochabamba", "Chuquisaca", "Tarija", "Santa Cruz", "Beni", "Pando"}
    cmap = plt.get_cmap("cividis")
    for patch in ax.patches:
        value = dict(zip(data.area, data.estates_affected_pct)).get(patch.get_label())
        if value is None:
            assert patch.get_hatch() == "//"
        else:
            assert np.allclose(patch.get_facecolor(), cmap(value / 100))


def test_timeline_zooms_to_days() -> None:
    data = charts.timeline_data("1952-04-08", "1952-04-12")
    assert len(data) >= 3 and data.start.min() >= pd.Timestamp("1952-04-08")
    ax = charts.plot_timeline(data, start="1952-04-08", end="1952-04-12")
    lo, hi = (matplotlib.dates.num2date(x).date().isoformat() for x in ax.get_xlim())
    assert (lo, hi) == ("1952-04-08", "1952-04-12")
    texts = {t.get_text() for t in ax.texts}
    assert set(data.title_en) <= texts
    assert ax.get_title() == "Events, 8 April 1952 to 12 April 1952"


@pytest.mark.parametrize(("start", "end"), [("1952-04-08", "1952-04-12"), ("1969", "1971-12-31")])
def test_timeline_titles_do_not_overlap(start: str, end: str) -> None:
    # four events share 9 April 1952: their titles must be stacked, not printed on top of each other
    ax = charts.plot_timeline(start=start, end=end)
    ax.figure.canvas.draw()  # places every title where it is drawn
    renderer = ax.figure.canvas.get_renderer()
    titles = [t for t in ax.texts if isinstance(t, matplotlib.text.Annotation)]
    assert len(titles) == len(charts.timeline_data(start, end))
    # the text itself, not the leader line that a raised title draws down to its event
    boxes = [matplotlib.text.Text.get_window_extent(t, renderer) for t in titles]
    overlapping = [
        (titles[i].get_text(), titles[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []
    plt.close(ax.figure)


def test_place_names_on_the_map_do_not_overlap() -> None:
    ax = charts.plot_places_map()
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    names = [t for t in ax.texts if isinstance(t, matplotlib.text.Annotation)]
    assert len(names) >= 10
    boxes = [matplotlib.text.Text.get_window_extent(t, renderer) for t in names]  # without leader lines
    overlapping = [
        (names[i].get_text(), names[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []
    plt.close(ax.figure)


def test_timeline_filters_and_describes() -> None:
    data = charts.timeline_data(categories=["coup"])
    assert set(data.category.astype(str)) == {"coup"}
    ax = charts.plot_timeline(data, categories=["coup"], lang="es")
    points = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert sum(len(line.get_xdata()) for line in points) == len(data)
    assert f"Línea de tiempo con {len(data)} acontecimientos" in charts.describe_timeline(data, lang="es")


def test_heads_of_state_bars_match_terms_and_colours() -> None:
    data = charts.heads_of_state_data()
    ax = charts.plot_heads_of_state(data)
    rects = bars(ax)
    assert len(rects) == len(data)
    for rect, term in zip(rects, data.itertuples()):
        assert matplotlib.dates.num2date(rect.get_x()).date() == term.start_date.date()
        assert mcolors.to_hex(rect.get_facecolor()).upper() == charts.HOW_COLOURS[str(term.how)]
    assert f"{len(data)} terms in office" in charts.describe_heads_of_state(data)


@pytest.mark.parametrize("dataset", sorted(charts.COUP_DATASETS))
def test_coups_by_decade_counts_what_one_data_set_lists(dataset: str) -> None:
    """The chart counts each data set's own classifications and never decides a contested case itself."""
    data = charts.coups_by_decade_data(dataset=dataset)
    classes = bl.load_coup_classifications().query("source_id == @dataset")
    assert data.successful.sum() == classes.classification.isin(["coup", "self_coup"]).sum()
    assert data.failed.sum() == (classes.classification == "attempted_coup").sum()
    # November 2019 is not a coup in either data set: nothing is counted for the 2010s
    assert int(data.set_index("decade").loc[2010, ["successful", "failed"]].sum()) == 0
    ax = charts.plot_coups_by_decade(data)
    heights = [b.get_height() for b in bars(ax)]
    assert heights == list(data.successful) + list(data.failed)
    assert charts.COUP_DATASETS[dataset].replace("the ", "") in ax.get_title().replace("\n", " ")
    # the decades the data set does not cover are shaded and named, not shown as "no coups"
    first, last = data.attrs["covers"]
    uncovered = [d for d, c in zip(data.decade, data.covered) if not c]
    assert uncovered == [d for d in data.decade if d + 9 < first or d > last]
    assert [t.get_text() for t in ax.texts].count("not covered") == len(uncovered)
    assert f"(it covers {first}–{last})" in ax.get_title().replace("\n", " ")
    assert charts.plot_coups_by_decade(data, lang="es").get_ylabel() == "Número de golpes e intentos"
    text = charts.describe_coups_by_decade(data)
    assert f"{data.successful.sum()} successful" in text and charts.COUP_DATASETS[dataset] in text
    assert all(f"{d}s: not covered by the data set" in text for d in uncovered)


def test_powell_and_thyne_count_23_bolivian_cases() -> None:
    data = charts.coups_by_decade_data(dataset="powell_thyne_2011_coups")
    assert (data.successful.sum(), data.failed.sum()) == (11, 12)


def test_charts_never_show(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() called"))
    for plot in (
        charts.plot_election,
        charts.plot_electorate,
        charts.plot_land_reform,
        charts.plot_land_reform_map,
        charts.plot_timeline,
        charts.plot_heads_of_state,
        charts.plot_coups_by_decade,
    ):
        assert isinstance(plot(), matplotlib.axes.Axes)


def test_bad_arguments_are_explained() -> None:
    with pytest.raises(ValueError, match="lang must be one of en, es"):
        charts.plot_election(lang="fr")
    with pytest.raises(ValueError, match="no election '1999_general'"):
        charts.election_data("1999_general")


def test_category_colours_cover_exactly_the_schemas_categories() -> None:
    from bolivia_lessons.schema import read_package

    enum = read_package(bl.data_dir()).resource("events").field("category").enum
    assert sorted(charts.CATEGORY_COLOURS) == sorted(enum)
    assert len(set(charts.CATEGORY_COLOURS.values())) == len(enum)
    hows = read_package(bl.data_dir()).resource("heads_of_state").field("how").enum
    assert sorted(charts.HOW_COLOURS) == sorted(hows)


def test_the_package_keeps_every_public_name() -> None:
    for name in charts.__all__:
        assert getattr(charts, name) is not None, name
    assert {"plot_election", "election_data", "timeline_data", "SORTS", "CATEGORY_COLOURS", "coups_data"} <= set(
        charts.__all__
    )


MATHS = ["$5 million and $10 fee", r"$\alert$ in the barracks", "50% of $1"]


def drawn_svg(ax) -> str:
    import io

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        ax.figure.savefig(buf, format="svg")
    return buf.getvalue()


def test_dollar_signs_in_the_data_are_drawn_as_written() -> None:
    import html

    data = charts.timeline_data("1952-04-08", "1952-04-12")
    data.loc[data.index[: len(MATHS)], "title_en"] = MATHS
    ax = charts.plot_timeline(data, start="1952-04-08", end="1952-04-12")
    svg = drawn_svg(ax)  # mathtext would raise on \alert, and draw "$5 million and $10" as 5millionand10
    for title in MATHS:
        assert title in {t.get_text() for t in ax.texts}
        assert html.escape(title, quote=False) in svg, title
    people = charts.heads_of_state_data(1952, 1956)
    people.loc[people.index[0], "name"] = MATHS[1]
    assert MATHS[1] in drawn_svg(charts.plot_heads_of_state(people, start=1952, end=1956))
    votes = charts.election_data("1956_general")
    votes.loc[votes.index[0], "candidate"] = MATHS[0]
    assert f"{MATHS[0]} ({votes.party.iloc[0]})" in drawn_svg(charts.plot_election(votes))


def test_coups_data_filters_and_counts_by_decade() -> None:
    coups = bl.load_coups()
    every = charts.coups_data()
    assert len(every) == len(coups) and list(every.date) == list(coups.date.astype(str))
    failed = charts.coups_data(outcome="failed")
    assert len(failed) == int((coups.outcome == "failed").sum()) and set(failed.outcome) == {"failed"}
    fifties = charts.coups_data(decade=1950)
    assert len(fifties) == sum(p.year // 10 == 195 for p in coups.date)
    led = charts.coups_data(leader="Hugo Banzer Suárez")
    assert len(led) >= 1 and all("Hugo Banzer Suárez" in names for names in led.leaders)
    assert charts.coups_data(decade=1950, coups=every).equals(fifties)  # filters given rows the same way
    counts = charts.coups_by_decade_data(coups=fifties).set_index("decade")
    classes = bl.load_coup_classifications().query("source_id == 'powell_thyne_2011_coups'")
    listed = classes[classes.coup_id.isin(fifties.coup_id) & (classes.classification != "not_listed")]
    assert int(counts.loc[1950, ["successful", "failed"]].sum()) == len(listed)
    assert int(counts.drop(1950)[["successful", "failed"]].to_numpy().sum()) == 0


def test_the_map_file_is_the_one_the_descriptor_names(data_copy) -> None:
    import json

    descriptor = data_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == charts.MAP_RESOURCE]
    old = data_copy / resource["path"]
    moved = data_copy / "maps" / "departments.topo.json"
    moved.parent.mkdir()
    old.rename(moved)
    resource["path"] = "maps/departments.topo.json"
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    assert len(charts.departments()) == 9
    ax = charts.plot_places_map(place_ids=["oruro"])
    assert {p.get_label() for p in charts.plot_land_reform_map().patches} >= set(charts.departments())
    plt.close(ax.figure)


# -- nothing cut off, nothing covered (issue 12: "…per candidat", "illermo Gutiérrez", "The C…") --


def text_problems(fig) -> list[str]:
    """Texts of a drawn figure that run past its edges or cover another text, measured after drawing."""
    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [*ax.texts, ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        for axis in (ax.xaxis, ax.yaxis) if ax.axison else ():
            texts += [label for tick in axis._update_ticks() for label in (tick.label1, tick.label2)]
        if ax.get_legend() is not None:
            texts += list(ax.get_legend().get_texts())
    # the text's own box: an annotation's extent would include its leader line
    boxes = [
        (t.get_text(), mtext.Text.get_window_extent(t, renderer))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]
    edge = fig.bbox
    found = [
        f"cut: {text[:40]!r}"
        for text, b in boxes
        if b.x0 < edge.x0 - 1 or b.x1 > edge.x1 + 1 or b.y0 < edge.y0 - 1 or b.y1 > edge.y1 + 1
    ]
    for i, (t1, a) in enumerate(boxes):
        for t2, b in boxes[i + 1 :]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 2 and min(a.y1, b.y1) - max(a.y0, b.y0) > 2:
                found.append(f"covered: {t1[:30]!r} / {t2[:30]!r}")
    return found


LESSON_CHARTS = [
    ("plot_coups_by_decade", {"dataset": "cline_2021_coups"}),
    ("plot_coups_by_decade", {"dataset": "powell_thyne_2011_coups"}),
    *[
        ("plot_election", {"election_id": e, "scale": s, "measure": m})
        for e in ("1951_general", "1956_general")
        for s in ("linear", "log")
        for m in ("votes", "share")
    ],
    ("plot_electorate", {}),
    *[("plot_heads_of_state", {"start": a, "end": b}) for a, b in ((1952, 1971), (1971, 1983), (1982, 2024))],
    ("plot_land_reform", {"sort": "descending"}),
    ("plot_land_reform", {"sort": "ascending"}),
    ("plot_land_reform_map", {}),
    ("plot_places_map", {}),
    ("plot_places_map", {"place_ids": ["la_paz", "el_alto", "oruro"]}),
    *[
        ("plot_timeline", {"start": a, "end": b})
        for a, b in (
            ("1932", "1952-03-31"),
            ("1932", "2024-12-31"),
            ("1952-04-08", "1952-04-12"),
            ("1952-04-12", "1953-12-31"),
            ("1969", "1971-12-31"),
        )
    ],
]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    ("name", "kw"), LESSON_CHARTS, ids=lambda v: v if isinstance(v, str) else "-".join(map(str, v.values()))
)
def test_no_lesson_chart_cuts_or_covers_a_text(name: str, kw: dict, lang: str) -> None:
    ax = getattr(charts, name)(lang=lang, **kw)
    assert text_problems(ax.figure) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_explorer_chart_cuts_or_covers_a_text(lang: str) -> None:
    """Every election, scale, measure, decade, view, order and period of the explorers, in both languages."""
    from bolivia_lessons import widgets

    found: list[str] = []

    def check(box, state: str) -> None:
        box._canvases.clear()  # only the chart of this state
        box.redraw()
        found.extend(f"{state}: {p}" for c in box._canvases.values() for p in text_problems(c.figure))

    box = widgets.election_explorer(lang=lang)
    for _, election in box.controls["election"].options:
        box.controls["election"].value = election
        for scale in ("linear", "log"):
            box.controls["scale"].value = scale
            for measure in ("votes", "share"):
                box.controls["measure"].value = measure
                check(box, f"{election} {scale} {measure}")
    box = widgets.coup_explorer(lang=lang)
    for _, decade in box.controls["decade"].options:
        box.controls["decade"].value = decade
        check(box, f"coups {decade}")
    box = widgets.land_reform_explorer(lang=lang)
    for view in ("bars", "map"):
        box.controls["view"].value = view
        for _, order in box.controls["sort"].options:
            box.controls["sort"].value = order
            check(box, f"land {view} {order}")
    box = widgets.timeline_explorer(lang=lang)
    for _, period in box.controls["period"].options:
        box.controls["period"].value = period
        check(box, f"timeline {period}")
    box.controls["period"].value = ""
    for years in ((1932, 2024), (1952, 1952), (1940, 1960), (1969, 1971), (2000, 2024)):
        box.controls["years"].value = years
        check(box, f"timeline {years}")
    assert found == []


def test_a_chosen_period_fills_the_timeline_axis() -> None:
    from bolivia_lessons import widgets

    box = widgets.timeline_explorer(lang="en")
    box.controls["period"].value = "military_1964"
    assert "Events, 1964 to 1970" in box.output.outputs[0]["data"]["text/html"]


def test_a_logarithmic_election_axis_starts_at_a_named_power_of_ten() -> None:
    ax = charts.plot_election(election_id="1956_general", scale="log", measure="share", lang="en")
    low, _ = ax.get_xlim()
    assert low == 0.1  # the smallest share is 0.25 %
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "0.1" and labels[-1] == "100" and "1,000" not in labels
    ax = charts.plot_election(election_id="1956_general", scale="log", measure="votes", lang="en")
    assert ax.get_xlim()[0] == 1000 and [t.get_text() for t in ax.get_xticklabels()][0] == "1,000"
    ax = charts.plot_election(election_id="1956_general", scale="linear", measure="share", lang="es")
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "0"


def test_period_bands_begin_and_end_with_their_events() -> None:
    """Torres ruled from October 1970 to August 1971: his band is not "1970 to 1971" (issue 12 review)."""
    spans = charts.period_spans().set_index("period_id")
    assert (str(spans.loc["torres", "start"].date()), str(spans.loc["torres", "end"].date())) == (
        "1970-10-07",
        "1971-08-19",
    )
    assert list(spans.start) == sorted(spans.start) and (spans.start < spans.end).all()
    # every event dated to the day lies in its own period's band (a day or two of overlap at the
    # edges: Seleme took refuge on 10 April 1952, the day after the revolution's band begins)
    events = bl.load_events()
    day = events[events.date_precision == "day"]
    slack = pd.Timedelta(days=3)
    outside = [
        e.event_id
        for e in day.itertuples()
        if not spans.loc[e.period_id, "start"] - slack
        <= e.start_date.start_time
        <= spans.loc[e.period_id, "end"] + slack
    ]
    assert outside == []
