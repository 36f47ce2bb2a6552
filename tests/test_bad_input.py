"""Malformed files raise DataError naming the file, row, column, value and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import read_rows, set_cell, write_rows

import bolivia_lessons as bl
from bolivia_lessons import DataError


def problems_of(**kwargs) -> list[bl.Problem]:
    with pytest.raises(DataError) as info:
        bl.load_events(**kwargs)
    return info.value.problems


def only_problem(**kwargs) -> bl.Problem:
    problems = problems_of(**kwargs)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def event_row(data: Path, event_id: str = "1952_04_09_insurrection_begins") -> int:
    rows = read_rows(data / "events.csv")
    return next(i + 1 for i, r in enumerate(rows) if r[0] == event_id)


def test_missing_column(data_copy: Path) -> None:
    rows = read_rows(data_copy / "events.csv")
    col = rows[0].index("category")
    write_rows(data_copy / "events.csv", [r[:col] + r[col + 1 :] for r in rows])
    p = only_problem()
    assert (Path(p.file).name, p.row, p.column, p.value) == ("events.csv", 1, "category", None)
    assert "a column named 'category'" in p.expected


def test_extra_column(data_copy: Path) -> None:
    rows = read_rows(data_copy / "events.csv")
    write_rows(data_copy / "events.csv", [r + (["colour"] if i == 0 else ["red"]) for i, r in enumerate(rows)])
    p = only_problem()
    assert (Path(p.file).name, p.row, p.column, p.value) == ("events.csv", 1, "colour", "colour")
    assert "only the columns of the events table" in p.expected


def test_wrong_type(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "lesson_id", "two")
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "lesson_id", "two")
    assert p.expected.startswith("a whole number")


def test_impossible_date(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "start_date", "1952-02-30")
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "start_date", "1952-02-30")
    assert "real calendar date" in p.expected


def test_end_before_start(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "end_date", "1952-04-01")
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "end_date", "1952-04-01")
    assert p.expected == "a value not before start_date (1952-04-09)"


def test_date_written_with_the_wrong_precision(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "start_date", "1952-04")
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "start_date", "1952-04")
    assert p.expected == "a date written YYYY-MM-DD, as date_precision is 'day'"


def test_unknown_enum_value(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "category", "party")
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "category", "party")
    assert p.expected.startswith("one of: war, labour, insurrection")


def test_bad_boolean(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "key_event", "yes")
    p = only_problem()
    assert (p.row, p.column, p.value, p.expected) == (row, "key_event", "yes", "one of: true, false")


def test_required_value_missing(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "title_en", "")
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "title_en", None)
    assert "this column is required" in p.expected


def test_duplicate_key(data_copy: Path) -> None:
    rows = read_rows(data_copy / "events.csv")
    first = event_row(data_copy)
    write_rows(data_copy / "events.csv", rows + [rows[first - 1]])
    p = only_problem()
    assert (Path(p.file).name, p.row, p.column) == ("events.csv", len(rows) + 1, "event_id")
    assert p.value == "1952_04_09_insurrection_begins"
    assert p.expected == f"a key not used by another row (row {first} has the same)"


def test_dangling_foreign_key(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "place_id", "atlantis")
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "place_id", "atlantis")
    assert p.expected == "a place_id that exists in the places table"


def test_percentage_above_100(data_copy: Path) -> None:
    rows = read_rows(data_copy / "land_reform.csv")
    col = rows[0].index("estates_affected_pct")
    rows[1][col] = "150"
    write_rows(data_copy / "land_reform.csv", rows)
    p = only_problem()
    assert (Path(p.file).name, p.row, p.column, p.value) == ("land_reform.csv", 2, "estates_affected_pct", "150")
    assert p.expected == "a value of at most 100"


def test_votes_that_do_not_add_up(data_copy: Path) -> None:
    results = read_rows(data_copy / "election_results.csv")
    col = results[0].index("votes")
    i = next(i for i, r in enumerate(results) if r[0] == "1956_general")
    results[i][col] = str(int(results[i][col]) + 100)  # too few to change the candidate's share
    write_rows(data_copy / "election_results.csv", results)
    elections = read_rows(data_copy / "elections.csv")
    row = next(i + 1 for i, r in enumerate(elections) if r[0] == "1956_general")
    valid = elections[row - 1][elections[0].index("valid_votes")]
    p = only_problem()
    assert (Path(p.file).name, p.row, p.column, p.value) == ("elections.csv", row, "valid_votes", valid)
    assert p.expected.startswith("the sum of votes in election_results (rows ")
    assert p.expected.endswith(f"which is {int(valid) + 100}")


def test_vote_parts_that_do_not_add_up(data_copy: Path) -> None:
    rows = read_rows(data_copy / "elections.csv")
    head = rows[0]
    i = next(i for i, r in enumerate(rows) if r[0] == "1966_general")
    cast, valid = int(rows[i][head.index("votes_cast")]), int(rows[i][head.index("valid_votes")])
    # give every part, then make them miss the total by one
    rows[i][head.index("blank_votes")] = str(cast - valid)
    rows[i][head.index("null_votes")] = "1"
    write_rows(data_copy / "elections.csv", rows)
    p = only_problem()
    assert (Path(p.file).name, p.row, p.column) == ("elections.csv", i + 1, "votes_cast")
    assert p.expected.startswith("valid_votes + blank_votes + null_votes = ")


def test_empty_file(data_copy: Path) -> None:
    (data_copy / "events.csv").write_bytes(b"")
    problems = problems_of()
    p = problems[0]
    assert (Path(p.file).name, p.row, p.column, p.value) == ("events.csv", None, None, "")
    assert p.expected.startswith("a header row naming the columns: event_id, start_date")


def test_non_utf8_bytes(data_copy: Path) -> None:
    path = data_copy / "events.csv"
    row = event_row(data_copy)
    lines = path.read_bytes().split(b"\n")
    fields = lines[row - 1].split(b",")
    fields[1] = b"1952-04-09"
    lines[row - 1] = b",".join(fields).replace(b"1952_04_09_insurrection_begins", b"1952_04_09_insurrecci\xf3n", 1)
    path.write_bytes(b"\n".join(lines))
    p = problems_of()[0]
    assert (Path(p.file).name, p.row, p.column, p.value) == ("events.csv", row, "event_id", "\xf3")
    assert "byte 0xF3 is not UTF-8" in p.expected


def test_byte_order_mark(data_copy: Path) -> None:
    path = data_copy / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    p = only_problem()
    assert (Path(p.file).name, p.row, p.column, p.value) == ("events.csv", 1, None, "\ufeff")
    assert p.expected.startswith("UTF-8 without a byte-order mark")


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_spreadsheet_formula(data_copy: Path, formula: str) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "title_en", formula)
    p = only_problem()
    assert (p.row, p.column, p.value) == (row, "title_en", formula)
    assert "would run such a cell as a formula" in p.expected


def test_row_with_too_many_cells(data_copy: Path) -> None:
    path = data_copy / "periods.csv"
    rows = read_rows(path)
    path.write_text(
        path.read_text(encoding="utf-8") + "extra,row,with,too,many,cells,in,it,really,yes\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        bl.load_periods()
    p = info.value.problems[0]
    assert (Path(p.file).name, p.row, p.column) == ("periods.csv", len(rows) + 1, None)
    assert p.expected.startswith(f"{len(rows[0])} cells, one per column (10 found")


def test_unterminated_quote(data_copy: Path) -> None:
    path = data_copy / "lessons.csv"
    rows = read_rows(path)
    path.write_text(path.read_text(encoding="utf-8") + '10,x,"unclosed,title\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        bl.load_lessons()
    p = info.value.problems[0]
    # the row where the quote opens, the cell it opens and that cell's text from the quote on
    assert (Path(p.file).name, p.row, p.column, p.value) == (
        "lessons.csv",
        len(rows) + 1,
        "title_en",
        '"unclosed,title',
    )
    assert p.expected == (
        "well-formed CSV (the quote that opens this cell does not close right before the next comma or the end of "
        'the row; write a quote inside a quoted cell twice: "")'
    )


def test_every_problem_is_reported_not_just_the_first(data_copy: Path) -> None:
    a = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "category", "party")
    b = set_cell(data_copy / "events.csv", "1942_catavi_massacre", "start_date", "1942-13-21")
    problems = problems_of()
    # problems come in file order, whichever cell was broken first
    assert [(p.row, p.column) for p in problems] == sorted([(a, "category"), (b, "start_date")])
    assert str(problems[0]) in str(DataError(problems))


def test_message_names_file_row_column_value_and_expectation(data_copy: Path) -> None:
    row = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "start_date", "1952-02-30")
    with pytest.raises(DataError) as info:
        bl.load_events()
    assert str(info.value) == (
        f"{data_copy / 'events.csv'}, row {row}, column 'start_date': value '1952-02-30'; "
        "expected a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD"
    )


def test_the_original_data_is_untouched_by_a_failed_load(data_copy: Path) -> None:
    before = (data_copy / "events.csv").read_bytes()
    set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "category", "party")
    broken = (data_copy / "events.csv").read_bytes()
    problems_of()
    assert (data_copy / "events.csv").read_bytes() == broken != before
