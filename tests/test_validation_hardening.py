"""Hostile and careless input (issue 9): each kind is refused with its exact, located message.

Each test breaks a private copy of the data (``data_copy``) or writes a teacher's folder, then
asserts the whole message: file, row (header = row 1), column, value and what was expected. Where a
kind used to pass validation and then crash a loader, the loader must now raise DataError.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import read_rows, set_cell, write_rows

import bolivia_lessons as bl
from bolivia_lessons import DataError, errors, loaders, paths, schema, validation
from bolivia_lessons.cli import main
from bolivia_lessons.paths import DATA_ENV

EVENT = "1952_04_09_insurrection_begins"
OTHER = "1942_catavi_massacre"
FORMULA = (
    "text that does not start with =, +, - or @, nor with a full-width ＝, ＋, － or ＠, nor with spaces or tabs "
    "before one (a spreadsheet would run such a cell as a formula)"
)
QUOTE = (
    "well-formed CSV (the quote that opens this cell does not close right before the next comma or the end of "
    'the row; write a quote inside a quoted cell twice: "")'
)
INT64 = "a whole number between -9223372036854775808 and 9223372036854775807"
NO_YEAR_0 = "a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD (years start at 0001: there is no year 0000)"


def messages(**kwargs) -> list[str]:
    """Every problem as printed; the loaders must refuse the same data with DataError."""
    problems = bl.check(**kwargs)
    assert problems, "expected problems, found none"
    with pytest.raises(DataError) as info:
        bl.load_events(extra=kwargs.get("extra"))
    assert info.value.problems == problems
    return [str(p) for p in problems]


# -- control characters and formulas ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Strike\x00 at Catavi", "character 7 is U+0000 (NUL)"),
        ("\x1b[31mRed\x1b[0m title", "character 1 is U+001B (ESC)"),
        ("Bell\x07", "character 5 is U+0007 (BEL)"),
        ("Back\x08space", "character 5 is U+0008 (backspace)"),
        ("Delete\x7f", "character 7 is U+007F (DEL)"),
        ("C1 \x85 next line", "character 4 is U+0085"),
        ("Vertical\x0btab", "character 9 is U+000B"),
        ("Not a character \uffff", "character 17 is U+FFFF"),
    ],
)
def test_control_characters_are_refused(data_copy: Path, text: str, what: str) -> None:
    row = set_cell(data_copy / "events.csv", EVENT, "title_en", text)
    assert messages() == [
        f"{data_copy / 'events.csv'}, row {row}, column 'title_en': value {text!r}; expected text without "
        f"control characters ({what}; delete it and retype what is around it)"
    ]


def test_tabs_and_line_breaks_inside_text_are_allowed(data_copy: Path) -> None:
    set_cell(data_copy / "events.csv", EVENT, "summary_en", "First line.\nSecond\tline.\r\nThird line.")
    assert bl.check() == []
    events = bl.load_events().set_index("event_id")
    assert events.loc[EVENT, "summary_en"] == "First line.\nSecond\tline.\r\nThird line."


def test_control_character_in_a_number_column(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", EVENT, "lesson_id", "2\x07")
    assert messages() == [
        f"{data_copy / 'events.csv'}, row {row}, column 'lesson_id': value '2\\x07'; expected text without "
        "control characters (character 2 is U+0007 (BEL); delete it and retype what is around it)"
    ]


@pytest.mark.parametrize(
    "formula", ["\t=HYPERLINK(1)", " =1+1", "  +1+1", "\u00a0-2+3", "＝SUM(A1)", "＋1", "－1", "＠SUM(A1)", " ＝1"]
)
def test_formulas_behind_blanks_or_full_width(data_copy: Path, formula: str) -> None:
    row = set_cell(data_copy / "events.csv", EVENT, "title_es", formula)
    assert messages() == [
        f"{data_copy / 'events.csv'}, row {row}, column 'title_es': value {formula!r}; expected {FORMULA}"
    ]


# -- values that passed and then crashed every loader -----------------------------------------


def test_year_0000_without_an_end_date(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", EVENT, "start_date", "0000")
    set_cell(data_copy / "events.csv", EVENT, "date_precision", "year")
    assert messages() == [
        f"{data_copy / 'events.csv'}, row {row}, column 'start_date': value '0000'; expected {NO_YEAR_0}"
    ]


def test_year_0000_with_an_end_date(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", EVENT, "start_date", "0000-04-09")
    set_cell(data_copy / "events.csv", EVENT, "end_date", "0000-04-11")
    path = data_copy / "events.csv"
    assert messages() == [
        f"{path}, row {row}, column 'start_date': value '0000-04-09'; expected {NO_YEAR_0}",
        f"{path}, row {row}, column 'end_date': value '0000-04-11'; expected {NO_YEAR_0}",
    ]


def test_year_0001_is_a_real_year_and_loads(data_copy: Path) -> None:
    set_cell(data_copy / "events.csv", EVENT, "start_date", "0001-01-01")
    set_cell(data_copy / "events.csv", EVENT, "end_date", "")
    assert bl.check() == []
    assert bl.load_events().set_index("event_id").loc[EVENT, "start_date"].year == 1


@pytest.mark.parametrize("digits", [20, 400, 5000])
def test_a_huge_whole_number(data_copy: Path, digits: int) -> None:
    value = "9" * digits
    row = set_cell(data_copy / "events.csv", EVENT, "lesson_id", value)
    shown = value if digits <= 200 else f"{value[:60]}… ({digits} characters)"
    assert messages() == [
        f"{data_copy / 'events.csv'}, row {row}, column 'lesson_id': value {shown!r}; expected {INT64}"
    ]


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("elections", "registered_voters", "1" + "0" * 30, "a whole number between 0 and 9223372036854775807"),
        (
            "land_reform",
            "estates_affected_pct",
            "1e400",
            "a number with a decimal point (no thousands separators or % sign) of a size a table can hold (this "
            "one is too large)",
        ),
        (
            "elections",
            "date",
            "1500-05-06",
            "a real calendar date written YYYY-MM-DD between 1677-09-22 and 2262-04-11",
        ),
    ],
)
def test_a_value_the_loaders_cannot_hold(data_copy: Path, table: str, column: str, value: str, expected: str) -> None:
    path = data_copy / f"{table}.csv"
    rows = read_rows(path)
    rows[1][rows[0].index(column)] = value
    write_rows(path, rows)
    assert messages() == [f"{path}, row 2, column '{column}': value {value!r}; expected {expected}"]


def test_the_largest_whole_number_loads(data_copy: Path) -> None:
    rows = read_rows(data_copy / "elections.csv")
    rows[1][rows[0].index("registered_voters")] = str(2**63 - 1)
    write_rows(data_copy / "elections.csv", rows)
    assert bl.check() == []
    assert bl.load_elections().registered_voters.max() == 2**63 - 1


# -- the commands on a broken data folder -------------------------------------------------------


def test_validate_a_folder_whose_descriptor_is_not_json(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data_copy / "datapackage.json").write_text('{"resources": [\n  {"name": "events",\n}\n', encoding="utf-8")
    assert main(["validate", str(data_copy)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.out.splitlines() == [
        f"1 problem in the data package in {data_copy}:",
        f"  - {data_copy / 'datapackage.json'}, row 3: value '}}'; expected valid JSON (Expecting property name "
        "enclosed in double quotes at line 3, column 1)",
    ]


def test_validate_a_folder_whose_descriptor_is_empty(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data_copy / "datapackage.json").write_text("{}", encoding="utf-8")
    assert main(["validate", str(data_copy)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"1 problem in the data package in {data_copy}:",
        f"  - {data_copy / 'datapackage.json'}: missing value; expected a non-empty list of tables (each with a "
        'name, a path and a schema) at "resources"',
    ]
    with pytest.raises(DataError):  # the loaders say the same, through the one error type
        bl.load_events()


def test_validate_with_the_data_variable_pointing_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "no_such_folder"
    monkeypatch.setenv(DATA_ENV, str(nowhere))
    assert main(["validate"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert captured.out.splitlines() == [
        "1 problem in the data folder named by BOLIVIA_LESSONS_DATA:",
        f"  - {nowhere}: value 'BOLIVIA_LESSONS_DATA={nowhere}'; expected a data folder holding datapackage.json "
        "and the CSV tables (this folder does not exist): unset BOLIVIA_LESSONS_DATA to use the shipped data, or "
        "point it to a copy of the whole data folder",
    ]
    with pytest.raises(DataError):
        bl.load_events()


def test_the_data_variable_naming_a_folder_without_a_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    with pytest.raises(DataError) as info:
        bl.data_dir()
    assert "(this folder has no datapackage.json)" in info.value.expected
    assert bl.check() == info.value.problems


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d["resources"][0]["schema"]["fields"][0].update(type="datetime"),
            "value 'datetime'; expected a field type this library reads: string, integer, number, boolean, date at "
            "resources[0] (sources).schema.fields[0].type",
        ),
        (
            lambda d: d["resources"][0].update(path="../../etc/passwd"),
            "value '../../etc/passwd'; expected the name of a file in the data folder, such as events.csv at "
            "resources[0] (sources).path",
        ),
        (
            lambda d: d["x-checks"].append({"check": "magic", "resource": "events"}),
            "value 'magic'; expected a check this library knows: columns_sum, group_sum, group_sum_at_most, "
            "not_after, count_per_group, percentage_of, agrees_with, referenced_by at x-checks[8].check",
        ),
        (
            lambda d: d["x-checks"].append(
                {"check": "not_after", "resource": "elections", "field": "votes_cats", "limit": "registered_voters"}
            ),
            "value 'votes_cats'; expected a column of elections: election_id, date, kind, registered_voters, "
            "votes_cast, valid_votes, blank_votes, null_votes, source_id, note_en, note_es at x-checks[8].field",
        ),
        (
            lambda d: d["x-checks"].append({"check": "referenced_by", "resource": "nowhere"}),
            "value 'nowhere'; expected a table of the package at x-checks[8].resource",
        ),
    ],
)
def test_a_descriptor_that_cannot_drive_the_checks(data_copy: Path, edit, expected: str) -> None:
    path = data_copy / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert len(descriptor["x-checks"]) == 8
    edit(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    problems = bl.check()
    assert [str(p) for p in problems] == [f"{path}: {expected}"]


# -- relations the schema declares (x-checks) ---------------------------------------------------


def _results(data: Path, election: str = "1956_general") -> tuple[list[list[str]], list[int]]:
    rows = read_rows(data / "election_results.csv")
    return rows, [i for i, r in enumerate(rows) if r[0] == election]


def test_shares_that_contradict_the_votes(data_copy: Path) -> None:
    rows, mine = _results(data_copy)
    head = rows[0]
    first = mine[0]
    rows[first][head.index("share_pct")] = "70.00"
    write_rows(data_copy / "election_results.csv", rows)
    votes = int(rows[first][head.index("votes")])
    valid = int(read_rows(data_copy / "elections.csv")[2][5])
    total = sum(float(rows[i][head.index("share_pct")]) for i in mine)
    path = data_copy / "election_results.csv"
    assert messages() == [
        f"{path}, row {first + 1}, column 'share_pct': value '70.00'; expected {100 * votes / valid:.2f} give or "
        f"take 0.05: votes as a percentage of valid_votes in elections (100 × {votes} / {valid})",
        f"{path}, row {mine[-1] + 1}, column 'share_pct': value '{rows[mine[-1]][head.index('share_pct')]}'; "
        f"expected share_pct adding up to at most 100 give or take 0.5 for 1956_general "
        f"(rows {mine[0] + 1}-{mine[-1] + 1} add up to {round(total, 6):.10g})",
    ]


def test_shares_summing_to_160_percent_with_votes_to_match(data_copy: Path) -> None:
    # every share agrees with its votes, but the votes are those of a larger electorate than the valid votes
    rows, mine = _results(data_copy, "1951_general")
    head = rows[0]
    elections = read_rows(data_copy / "elections.csv")
    valid = int(next(r for r in elections if r[0] == "1951_general")[elections[0].index("valid_votes")])
    for i in mine:
        rows[i][head.index("votes")] = str(int(int(rows[i][head.index("votes")]) * 1.6))
        rows[i][head.index("share_pct")] = f"{100 * int(rows[i][head.index('votes')]) / valid:.2f}"
    write_rows(data_copy / "election_results.csv", rows)
    shown = [m.split("; expected ")[1] for m in messages()]
    assert shown[0].startswith("the sum of votes in election_results (rows ")  # the votes' own check
    assert shown[1].startswith("share_pct adding up to at most 100 give or take 0.5 for 1951_general (rows ")
    assert shown[1].endswith(" add up to 160)")
    assert len(shown) == 2


def test_an_event_nobody_cites(data_copy: Path) -> None:
    rows = read_rows(data_copy / "event_sources.csv")
    write_rows(data_copy / "event_sources.csv", [r for r in rows if r[0] != EVENT])
    row = next(i + 1 for i, r in enumerate(read_rows(data_copy / "events.csv")) if r[0] == EVENT)
    assert messages() == [
        f"{data_copy / 'events.csv'}, row {row}, column 'event_id': value '{EVENT}'; expected at least one row in the "
        "event_sources table with this event_id (none found)"
    ]


def test_an_event_in_another_department_than_its_place(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", EVENT, "department", "Oruro")
    assert messages() == [
        f"{data_copy / 'events.csv'}, row {row}, column 'department': value 'Oruro'; expected La Paz (the department "
        "of place_id la_paz in the places table), or an empty cell"
    ]


# -- every problem of a file in one pass ----------------------------------------------------------


def test_a_bad_date_does_not_hide_the_rows_bad_foreign_keys(data_copy: Path) -> None:
    path = data_copy / "events.csv"
    for column, value in [("start_date", "1952-02-30"), ("period_id", "nope"), ("place_id", "atlantis")]:
        row = set_cell(path, EVENT, column, value)
    set_cell(path, EVENT, "lesson_id", "77")
    assert messages() == [
        f"{path}, row {row}, column 'start_date': value '1952-02-30'; expected a real calendar date written YYYY, "
        "YYYY-MM or YYYY-MM-DD",
        f"{path}, row {row}, column 'period_id': value 'nope'; expected a period_id that exists in the periods table",
        f"{path}, row {row}, column 'place_id': value 'atlantis'; expected a place_id that exists in the places table",
        f"{path}, row {row}, column 'lesson_id': value '77'; expected a lesson_id that exists in the lessons table",
    ]


def test_a_bad_date_does_not_hide_a_duplicate_key(data_copy: Path) -> None:
    path = data_copy / "events.csv"
    rows = read_rows(path)
    copy = next(r for r in rows if r[0] == EVENT)[:]
    copy[1] = "1952-04-31"
    write_rows(path, rows + [copy])
    first = next(i + 1 for i, r in enumerate(rows) if r[0] == EVENT)
    assert messages() == [
        f"{path}, row {len(rows) + 1}, column 'start_date': value '1952-04-31'; expected a real calendar date "
        "written YYYY, YYYY-MM or YYYY-MM-DD",
        f"{path}, row {len(rows) + 1}, column 'event_id': value '{EVENT}'; expected a key not used by another row "
        f"(row {first} has the same)",
    ]


def _extra_events(folder: Path, rows: list[list[str]]) -> str:
    """Write events.csv with ``rows`` (and a citation for each) into ``folder``; return the events text."""
    folder.mkdir(exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([read_rows(bl.data_dir() / "events.csv")[0], *rows])
    cites = [["event_id", "source_id", "locator", "note"]] + [[r[0], "abc_2019_mesa", "", ""] for r in rows]
    write_rows(folder / "event_sources.csv", cites)
    return buf.getvalue()


def _event(event_id: str, start: str = "1953-08-02") -> list[str]:
    head = read_rows(bl.data_dir() / "events.csv")[0]
    row = dict.fromkeys(head, "")
    row |= {"event_id": event_id, "start_date": start, "date_precision": "day", "title_en": "Local event"}
    row |= {"title_es": "Evento local", "summary_en": "Told by a teacher.", "summary_es": "Contado por una docente."}
    row |= {"category": "reform", "period_id": "revolution", "lesson_id": "4", "key_event": "false"}
    return [row[c] for c in head]


def test_a_quote_left_open_is_reported_where_it_opens_and_the_rest_is_checked(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    text = _extra_events(extra, [_event("1953_a"), _event("1953_b"), _event("1953_c", "1953-02-30")])
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace(",Local event,", ',"Local event,', 1)  # row 2: a quote that never closes
    (extra / "events.csv").write_text("".join(lines), encoding="utf-8")
    path = extra / "events.csv"
    opened = lines[1][lines[1].index('"') :][:60]
    assert opened == '"Local event,Evento local,Told by a teacher.,Contado por una'
    assert messages(extra=extra) == [
        f"{path}, row 2, column 'title_en': value '{opened}…'; expected {QUOTE}",
        f"{path}, row 4, column 'start_date': value '1953-02-30'; expected a real calendar date written YYYY, "
        "YYYY-MM or YYYY-MM-DD",
    ]


def test_a_quote_closed_rows_later_is_reported_where_it_opens(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    events = [_event("1953_a"), _event("1953_b"), _event("1953_c"), _event("1953_d", "1953-02-30")]
    lines = _extra_events(extra, events).splitlines(keepends=True)
    lines[1] = lines[1].replace(",Local event,", ',"Local event,', 1)
    lines[3] = lines[3].replace(",Told by a teacher.,", ',Told by a teacher",', 1)  # a stray quote closes it
    (extra / "events.csv").write_text("".join(lines), encoding="utf-8")
    found = [(p.row, p.column, p.expected == QUOTE) for p in bl.check(extra=extra)]
    assert found[0] == (2, "title_en", True)
    assert (5, "start_date", False) in found


def test_a_one_megabyte_cell_is_reported_and_the_rest_of_the_file_checked(data_copy: Path) -> None:
    path = data_copy / "events.csv"
    last = read_rows(path)[-1]
    later = set_cell(path, last[0], "start_date", "1000-13-21")
    row = set_cell(path, EVENT, "summary_en", "x" * 2**20)
    assert row < later
    assert messages() == [
        f"{path}, row {row}, column 'summary_en': value '{'x' * 60}… ({2**20} characters)'; expected a cell of at "
        f"most {validation.MAX_CELL_CHARS} characters (this one has {2**20})",
        f"{path}, row {later}, column 'start_date': value '1000-13-21'; expected a real calendar date written YYYY, "
        "YYYY-MM or YYYY-MM-DD",
    ]


def test_many_broken_quotes_stop_the_check_of_the_file_in_time(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    events = [_event(f"1953_event_{i}") for i in range(200)]
    lines = _extra_events(extra, events).splitlines(keepends=True)
    lines[1:] = [line.replace(",Local event,", ',"Local event,', 1) for line in lines[1:]]
    (extra / "events.csv").write_text("".join(lines), encoding="utf-8")
    found = [p for p in bl.check(extra=extra) if p.file == str(extra / "events.csv")]
    assert [p.row for p in found] == list(range(2, 22)) + [22]
    assert found[-1].expected == "at most 20 rows with broken quotes (the rest of the file was not checked)"


# -- the modules' public names --------------------------------------------------------------------


@pytest.mark.parametrize("module", [errors, loaders, paths, schema, validation])
def test_every_module_declares_its_public_names(module) -> None:
    assert module.__all__ and all(hasattr(module, name) for name in module.__all__)


def test_every_table_has_a_public_loader() -> None:
    assert {f"load_{name}" for name in bl.list_tables()} <= set(loaders.__all__)
