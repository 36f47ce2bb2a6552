"""Shared fixtures: a private, editable copy of the data folder for tests that break things."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

import bolivia_lessons
from bolivia_lessons.paths import DATA_ENV, EXTRA_ENV

# benchmark scripts print figures when run by hand; they are not tests (nor doctest modules)
collect_ignore_glob = ["bench*.py"]


@pytest.fixture(autouse=True)
def _no_teacher_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own BOLIVIA_LESSONS_* settings must not leak into the tests, nor their locale.

    The commands speak the computer's language; tests that assert English messages run in an
    English locale wherever the suite runs (tests of the Spanish messages set their own).
    """
    monkeypatch.delenv(DATA_ENV, raising=False)
    monkeypatch.delenv(EXTRA_ENV, raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped data folder, which the loaders then use instead of the original."""
    target = tmp_path / "data"
    shutil.copytree(bolivia_lessons.data_dir(), target)
    monkeypatch.setenv(DATA_ENV, str(target))
    return target


def read_rows(path: Path) -> list[list[str]]:
    """All records of a CSV file, header first."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write records back as the data set writes them (UTF-8, minimal quoting, LF)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, key: str, column: str, value: str) -> int:
    """Set ``column`` of the row whose first cell is ``key``; return that row's spreadsheet number."""
    rows = read_rows(path)
    col = rows[0].index(column)
    for i, row in enumerate(rows):
        if i and row[0] == key:
            row[col] = value
            write_rows(path, rows)
            return i + 1
    raise LookupError(key)
