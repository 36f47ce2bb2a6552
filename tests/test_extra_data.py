"""A teacher's own rows are checked exactly like the shipped data and merged with it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import read_rows, write_rows

import bolivia_lessons as bl
from bolivia_lessons import DataError
from bolivia_lessons.paths import EXTRA_ENV

HEADER = read_rows(bl.data_dir() / "events.csv")[0]
SOURCES_HEADER = read_rows(bl.data_dir() / "sources.csv")[0]


def local_event(**changes: str) -> list[str]:
    row = {
        "event_id": "1952_04_09_la_paz_school_memory",
        "start_date": "1952-04-09",
        "end_date": "",
        "date_precision": "day",
        "title_en": "A teacher's local event",
        "title_es": "Un evento local",
        "summary_en": "Added by a teacher for a class.",
        "summary_es": "Añadido por una docente para su clase.",
        "category": "insurrection",
        "period_id": "sexenio",
        "place_id": "la_paz",
        "department": "La Paz",
        "lesson_id": "2",
        "key_event": "false",
    } | changes
    return [row[c] for c in HEADER]


def make_extra(folder: Path, *events: list[str], cite: bool = True) -> Path:
    folder.mkdir(exist_ok=True)
    write_rows(folder / "events.csv", [HEADER, *events])
    if cite:
        write_rows(
            folder / "sources.csv",
            [
                SOURCES_HEADER,
                [
                    {
                        "source_id": "school_archive_1952",
                        "author": "Colegio Ayacucho",
                        "title": "Oral history of 9 April 1952",
                        "publication": "School archive",
                        "year": "2020",
                        "kind": "primary",
                        "perspective": "local oral history",
                        "partisan": "false",
                        "language": "es",
                        "note": "Interviews recorded by students.",
                    }.get(column, "")
                    for column in SOURCES_HEADER
                ],
            ],
        )
        write_rows(
            folder / "event_sources.csv",
            [["event_id", "source_id", "locator", "note"], *[[e[0], "school_archive_1952", "", ""] for e in events]],
        )
    return folder


def test_extra_folder_is_merged(tmp_path: Path) -> None:
    extra = make_extra(tmp_path / "mine", local_event())
    shipped = bl.load_events()
    merged = bl.load_events(extra=extra)
    assert len(merged) == len(shipped) + 1
    new = merged.set_index("event_id").loc["1952_04_09_la_paz_school_memory"]
    assert new.title_en == "A teacher's local event"
    assert new.start_date == bl.load_events().start_date.iloc[0].__class__("1952-04-09", freq="D")
    assert "school_archive_1952" in set(bl.load_sources(extra=extra).source_id)


def test_extra_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = make_extra(tmp_path / "mine", local_event())
    monkeypatch.setenv(EXTRA_ENV, str(extra))
    assert "1952_04_09_la_paz_school_memory" in set(bl.load_events().event_id)


def test_a_single_extra_file_named_after_its_table(tmp_path: Path) -> None:
    path = tmp_path / "sources_my_class.csv"
    write_rows(
        path,
        [
            SOURCES_HEADER,
            [
                {
                    "source_id": "class_notes",
                    "author": "Ms Quispe",
                    "title": "Notes",
                    "publication": "Class handout",
                    "year": "2026",
                    "kind": "secondary",
                    "perspective": "teacher",
                    "partisan": "false",
                    "language": "en",
                }.get(column, "")
                for column in SOURCES_HEADER
            ],
        ],
    )
    assert "class_notes" in set(bl.load_sources(extra=path).source_id)


def test_extra_rows_are_validated_like_shipped_ones(tmp_path: Path) -> None:
    extra = make_extra(tmp_path / "mine", local_event(start_date="1952-04-31"))
    with pytest.raises(DataError) as info:
        bl.load_events(extra=extra)
    p = info.value.problems[0]
    assert (p.file, p.row, p.column, p.value) == (str(extra / "events.csv"), 2, "start_date", "1952-04-31")


def test_extra_row_reusing_a_shipped_key_names_both_files(tmp_path: Path) -> None:
    extra = make_extra(tmp_path / "mine", local_event(event_id="1942_catavi_massacre"))
    with pytest.raises(DataError) as info:
        bl.load_events(extra=extra)
    p = info.value.problems[0]
    assert (p.file, p.row, p.column) == (str(extra / "events.csv"), 2, "event_id")
    assert "events.csv has the same" in p.expected and str(bl.data_dir()) in p.expected


def test_uncited_extra_event_is_caught(tmp_path: Path) -> None:
    extra = make_extra(tmp_path / "mine", local_event(place_id="my_school"), cite=False)
    with pytest.raises(DataError) as info:
        bl.load_events(extra=extra)
    place, cite = info.value.problems
    assert (place.row, place.column, place.value) == (2, "place_id", "my_school")
    assert str(cite) == (
        f"{extra / 'events.csv'}, row 2, column 'event_id': value '1952_04_09_la_paz_school_memory'; expected at "
        "least one row in the event_sources table with this event_id (none found)"
    )


def test_file_not_named_after_a_table(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "my_notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        bl.load_events(extra=tmp_path / "mine")
    p = info.value.problems[0]
    assert (Path(p.file).name, p.value) == ("my_notes.csv", "my_notes.csv")
    assert p.expected.startswith("a file named after a table, e.g. events.csv")


def test_the_shipped_data_is_unchanged_by_extras(tmp_path: Path) -> None:
    before = (bl.data_dir() / "events.csv").read_bytes()
    bl.load_events(extra=make_extra(tmp_path / "mine", local_event()))
    assert (bl.data_dir() / "events.csv").read_bytes() == before


# -- files that used to be skipped in silence --------------------------------------------------


def only_problem_of(extra: Path) -> str:
    problems = bl.check(extra=extra)
    assert len(problems) == 1, "\n".join(map(str, problems))
    with pytest.raises(DataError) as info:
        bl.load_events(extra=extra)
    assert info.value.problems == problems
    return str(problems[0])


def broken_events_csv() -> str:
    """An events file with an impossible date, which must never be skipped unchecked."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER, local_event(start_date="1952-02-30")])
    return buf.getvalue()


@pytest.mark.parametrize("name", ["events.CSV", "Events.csv", "EVENTS.Csv"])
def test_a_name_differing_from_a_table_only_in_case(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(broken_events_csv(), encoding="utf-8")
    assert only_problem_of(tmp_path) == (
        f"{tmp_path / name}: value '{name}'; expected events.csv (names are case-sensitive: rename the file)"
    )


def test_a_single_file_differing_only_in_case(tmp_path: Path) -> None:
    path = tmp_path / "events.CSV"
    path.write_text(broken_events_csv(), encoding="utf-8")
    assert only_problem_of(path) == (
        f"{path}: value 'events.CSV'; expected events.csv (names are case-sensitive: rename the file)"
    )


@pytest.mark.parametrize("name", ["events.xlsx", "events.ods", "events.xls", "events_my_class.numbers", "events.tsv"])
def test_a_spreadsheet_instead_of_a_csv_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"PK\x03\x04 not a CSV file")
    target = name.rsplit(".", 1)[0] + ".csv"
    assert only_problem_of(tmp_path) == (
        f"{tmp_path / name}: value '{name}'; expected a CSV file: open it and save it as 'CSV UTF-8 (comma "
        f"delimited)' named {target}"
    )


def test_a_spreadsheet_not_named_after_a_table(tmp_path: Path) -> None:
    (tmp_path / "my class.xlsx").write_bytes(b"PK")
    assert only_problem_of(tmp_path).endswith(
        "expected a CSV file: open it and save it as 'CSV UTF-8 (comma delimited)' named after a table, e.g. events.csv"
    )


def test_an_empty_folder(tmp_path: Path) -> None:
    assert only_problem_of(tmp_path) == (
        f"{tmp_path}: value ''; expected at least one CSV file named after a table (e.g. events.csv or "
        "events_my_class.csv) in this folder, which is empty"
    )


def test_a_folder_of_notes_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("My class's data", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "photos").mkdir()
    assert only_problem_of(tmp_path) == (
        f"{tmp_path}: value 'README.md, photos/'; expected at least one CSV file named after a table (e.g. "
        "events.csv or events_my_class.csv) in this folder"
    )


def test_a_csv_file_in_a_sub_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "events.csv").write_text(broken_events_csv(), encoding="utf-8")
    assert only_problem_of(tmp_path) == (
        f"{tmp_path / 'sub' / 'events.csv'}: value 'sub/events.csv'; expected data files directly in {tmp_path}, "
        f"not in a sub-folder: move it to {tmp_path / 'events.csv'}"
    )


def test_lock_and_hidden_files_beside_good_data_are_ignored(tmp_path: Path) -> None:
    extra = make_extra(tmp_path / "mine", local_event())
    (extra / "~$events.xlsx").write_bytes(b"lock")
    (extra / ".~lock.events.csv#").write_text("lock", encoding="utf-8")
    (extra / "notes.txt").write_text("not data", encoding="utf-8")
    assert bl.check(extra=extra) == []
    assert "1952_04_09_la_paz_school_memory" in set(bl.load_events(extra=extra).event_id)


def test_a_new_file_in_the_extra_folder_is_seen_by_the_loaders(tmp_path: Path) -> None:
    extra = make_extra(tmp_path / "mine", local_event())
    bl.load_events(extra=extra)
    (extra / "events.xlsx").write_bytes(b"PK")
    with pytest.raises(DataError):
        bl.load_events(extra=extra)
