"""Random corruption of a valid file gives the project's error, never any other exception."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bolivia_lessons as bl
from bolivia_lessons import DataError, charts, lessons
from bolivia_lessons.paths import DATA_ENV, EXTRA_ENV
from bolivia_lessons.schema import read_package

ORIGINAL = bl.data_dir()
TABLES = ["events", "elections", "election_results", "land_reform", "claim_versions", "places"]

edits = st.one_of(
    st.tuples(st.just("replace"), st.integers(0, 10**6), st.integers(0, 40), st.binary(max_size=12)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.just(0), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 200), st.just(b"")),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0), st.just(b"")),
)


def corrupt(data: bytes, edit: tuple[str, int, int, bytes]) -> bytes:
    kind, at, length, new = edit
    at %= max(len(data), 1)
    if kind == "replace":
        return data[:at] + new + data[at + length :]
    if kind == "insert":
        return data[:at] + new + data[at:]
    if kind == "delete":
        return data[:at] + data[at + length :]
    return data[:at]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(TABLES), edit_list=st.lists(edits, min_size=1, max_size=3))
def test_random_corruption_raises_only_data_error(table: str, edit_list: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(ORIGINAL, root)
        path = root / f"{table}.csv"
        data = path.read_bytes()
        for edit in edit_list:
            data = corrupt(data, edit)
        path.write_bytes(data)
        problems = bl.check(root)  # must return, whatever the bytes
        for p in problems:
            assert p.file and p.expected
            assert Path(p.file).parent == root
        previous = os.environ.get(DATA_ENV)
        os.environ[DATA_ENV] = str(root)
        try:
            bl.load_table(table)
        except DataError as err:  # the loader reports exactly what the checker found
            assert err.problems == problems
        else:
            assert problems == []
        finally:
            if previous is None:
                del os.environ[DATA_ENV]
            else:
                os.environ[DATA_ENV] = previous


# -- "validate says OK" means every loader runs -------------------------------------------------

EVENTS_HEADER = next(csv.reader(io.StringIO((ORIGINAL / "events.csv").read_text(encoding="utf-8"))))
SHIPPED = {
    name: {row[0] for row in csv.reader(io.StringIO((ORIGINAL / f"{name}.csv").read_text("utf-8")))}
    for name in ("periods", "places", "lessons")
}
ENUMS = {f.name: f.enum for f in read_package(ORIGINAL).resource("events").fields if f.enum}

# text a teacher might type or paste: accents, quotes, commas, line breaks, formula signs, markup
text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aeiouáéíóúñÑ ,;\"'\n\t=+-@$<>&*_#|\\%")),
        st.characters(exclude_categories=("Cs", "Cc")),
    ),
    min_size=1,
    max_size=30,
)


@st.composite
def dates(draw: st.DrawFn) -> tuple[str, str, str]:
    """A start date, an end date (maybe empty) and their precision, all consistent."""
    precision = draw(st.sampled_from(["day", "month", "year"]))
    year = draw(st.integers(1, 9999))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    form = {"day": "{:04d}-{:02d}-{:02d}", "month": "{:04d}-{:02d}", "year": "{:04d}"}[precision]
    start = form.format(year, month, day)
    end = (
        "" if draw(st.booleans()) or year == 9999 else form.format(year + draw(st.integers(0, 9999 - year)), month, day)
    )
    return start, end, precision


# values that look like data but may break a rule (or a loader): each replaces one cell
junk = st.one_of(
    text,
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=10),  # control characters too
    st.sampled_from(["", "0000", "0000-01-01", "1952-02-30", "1952-13", "9999-12-31", "true", "false", "yes", "1e400"]),
    st.integers(-(2**80), 2**80).map(str),
    st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True),
    st.from_regex(r"[ \t\u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20].{0,10}", fullmatch=True),
)


@st.composite
def event_rows(draw: st.DrawFn, number: int) -> list[str]:
    start, end, precision = draw(dates())
    row = {
        "event_id": draw(st.from_regex(r"[0-9]{4}_[a-z0-9_]{1,12}", fullmatch=True)) + f"_{number}",
        "start_date": start,
        "end_date": end,
        "date_precision": precision,
        "title_en": draw(text),
        "title_es": draw(text),
        "summary_en": draw(text),
        "summary_es": draw(text),
        "category": draw(st.sampled_from(ENUMS["category"])),
        "period_id": draw(st.sampled_from(sorted(SHIPPED["periods"] - {"period_id"}))),
        "place_id": draw(st.sampled_from(["", *sorted(SHIPPED["places"] - {"place_id"})])),
        "department": "",
        "lesson_id": draw(st.sampled_from(sorted(SHIPPED["lessons"] - {"lesson_id"}))),
        "key_event": draw(st.sampled_from(["true", "false"])),
    }
    for column in draw(st.lists(st.sampled_from(EVENTS_HEADER), max_size=1)):
        row[column] = draw(junk)
    return [row[c] for c in EVENTS_HEADER]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.integers(1, 3).flatmap(lambda n: st.tuples(*(event_rows(i) for i in range(n)))))
def test_extra_events_that_pass_validation_always_load(rows: tuple[list[str], ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp)
        for name, records in (
            ("events.csv", [EVENTS_HEADER, *rows]),
            (
                "event_sources.csv",
                [["event_id", "source_id", "locator", "note"]] + [[r[0], "abc_2019_mesa", "", ""] for r in rows],
            ),
        ):
            with (extra / name).open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(records)
        problems = bl.check(extra=extra)
        if problems:
            with pytest.raises(DataError) as info:
                bl.load_events(extra=extra)
            assert info.value.problems == problems
            return
        for name in bl.list_tables():  # "validate says OK" implies every loader runs
            bl.load_table(name, extra=extra)
        events = bl.load_events(extra=extra).set_index("event_id")
        for row in rows:
            assert events.loc[row[0], "title_en"] == row[EVENTS_HEADER.index("title_en")]
        # ... and that the lessons' tables and charts take the rows: the timeline draws them and
        # each row's lesson lists it
        previous = os.environ.get(EXTRA_ENV)
        os.environ[EXTRA_ENV] = str(extra)
        try:
            ax = charts.plot_timeline()
            assert charts.describe_timeline()
            plt.close(ax.figure)
            for row in rows:
                table = lessons.lesson_events(int(row[EVENTS_HEADER.index("lesson_id")]))
                assert row[EVENTS_HEADER.index("title_en")] in set(table.iloc[:, 1])
        finally:
            if previous is None:
                os.environ.pop(EXTRA_ENV, None)
            else:
                os.environ[EXTRA_ENV] = previous
