"""Reading CSV tables and checking them against the data package's schema.

Everything here is driven by :mod:`bolivia_lessons.schema`: types, constraints, keys, foreign
keys and the package's ``x-checks``. No table has code of its own. Every problem found is
collected (not just the first) so that one run tells a teacher everything to fix: a row with a bad
cell is still checked for its other cells, its keys and its foreign keys, and a broken quote is
reported at the row where it opens while the rows after it are still checked.

Whatever passes these checks loads: numbers fit the loaders' column types, dates fit pandas'
ranges, and no cell holds control characters or more than :data:`MAX_CELL_CHARS` characters.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import gc
import io
import itertools
import json
import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Phrase, Problem, os_reason
from .schema import DESCRIPTOR, Field, Package, Resource

__all__ = [
    "CHECKS",
    "CHECK_PARAMETERS",
    "DATE_RANGE",
    "FORMULA_START",
    "INTEGER_RANGE",
    "MAX_CELL_CHARS",
    "SPREADSHEET_ENDINGS",
    "HistoricalDate",
    "Table",
    "convert_cell",
    "extra_files",
    "read_package_tables",
    "read_table",
    "table_for_file",
    "watched_files",
]

#: Text a spreadsheet would run as a formula if a cell starts with it (CSV injection), including
#: the full-width forms that some spreadsheets also accept.
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Blanks a formula may hide behind: spreadsheets strip them on import before reading the cell.
_BLANKS = " \t\r\n\u00a0\u3000"
#: The longest cell accepted, in characters (a long summary is a few hundred).
MAX_CELL_CHARS = 10_000
#: Whole numbers the loaders can hold (pandas ``Int64``).
INTEGER_RANGE = (-(2**63), 2**63 - 1)
#: Calendar dates the loaders can hold (pandas ``datetime64[ns]``).
DATE_RANGE = (dt.date(1677, 9, 22), dt.date(2262, 4, 11))
#: File endings of spreadsheets a teacher may have saved instead of CSV.
SPREADSHEET_ENDINGS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")
_TEXT_ENDINGS = (".tsv", ".txt")
#: Characters refused in any cell: C0 controls except tab, line feed and carriage return, DEL, the
#: C1 controls and the two non-characters; none is valid in the SVG and HTML the lessons draw.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x1B: "ESC", 0x7F: "DEL"}
# first characters that send a text cell through the full check (formula or blank in front)
_RISKY_START = frozenset(FORMULA_START) | frozenset(_BLANKS)
#: How many broken quotes one file may have before the rest of it is left unchecked (each one
#: makes the reader go over the rest of the file again).
_MAX_BROKEN_QUOTES = 20
_HIST = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_INT = re.compile(r"^[+-]?[0-9]+$")
_NUM = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PRECISIONS = ("year", "month", "day")
# the csv module's field size limit is global to the process: raised only while a file is read
_FIELD_LIMIT_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class HistoricalDate:
    """A date known to the day, the month or the year, as written in a table.

    Examples
    --------
    >>> d = HistoricalDate("1952-04", 1952, 4, None)
    >>> d.precision, d.earliest, d.latest
    ('month', datetime.date(1952, 4, 1), datetime.date(1952, 4, 30))

    """

    text: str
    year: int
    month: int | None
    day: int | None

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``, from how the date is written."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def earliest(self) -> dt.date:
        """The first day the date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day the date can mean."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


@dataclass
class Table:
    """A table's typed values, column by column, and where each row came from.

    Every row that could be split into its cells is kept, also one with a problem in a cell (that
    cell's value is ``None``), so that its keys and foreign keys are still checked.
    """

    resource: Resource
    columns: dict[str, list[Any]]
    raw: dict[str, list[str]]
    origin: list[tuple[str, int]] = field(default_factory=list)
    # rows (by index) with a problem of their own, and whether every row of the files could be read
    faulty: set[int] = field(default_factory=set)
    complete: bool = True

    def __len__(self) -> int:
        return len(self.origin)

    def extend(self, other: Table) -> None:
        """Append the rows of ``other`` (the same table read from another file)."""
        offset = len(self)
        for name in self.columns:
            self.columns[name].extend(other.columns[name])
            self.raw[name].extend(other.raw[name])
        self.origin.extend(other.origin)
        self.faulty.update(i + offset for i in other.faulty)
        self.complete = self.complete and other.complete

    def unreadable(self, names: Iterable[str]) -> bool:
        """Whether some cell of these columns could not be read (so a sum over them is unsure)."""
        if not self.complete:
            return True
        return any(v is None and r != "" for n in names for v, r in zip(self.columns[n], self.raw[n]))


def _empty_table(resource: Resource) -> Table:
    names = resource.field_names
    return Table(resource, {n: [] for n in names}, {n: [] for n in names})


def _shown(text: str) -> str:
    """A cell as written, shortened when it is too long to print whole."""
    return text if len(text) <= 200 else Phrase("validate.shortened", start=text[:60], length=len(text))


# -- one cell -------------------------------------------------------------------------------


def _describe(f: Field) -> str:
    """What a column expects, in words (used in messages)."""
    if f.enum is not None:
        return Phrase("validate.expected.one_of", values=", ".join(f.enum))
    if f.is_historical_date:
        return Phrase("validate.expected.historical_date")
    if f.type == "boolean":
        return Phrase("validate.expected.one_of", values=", ".join(f.true_values + f.false_values))
    if f.type in ("string", "integer", "number", "date"):
        return Phrase(f"validate.type.{f.type}")
    return f.type


def _number(x: float) -> str:
    return str(x) if isinstance(x, int) else f"{x:g}"


def _parse_historical(text: str) -> HistoricalDate | None:
    m = _HIST.match(text)
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if year == 0:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return HistoricalDate(text, year, month, day)


def _control_expected(text: str, at: int) -> str:
    code = ord(text[at])
    name = _CONTROL_NAMES.get(code)
    if name == "backspace":
        name = Phrase("validate.expected.backspace")
    what = Phrase("validate.expected.named_character", code=f"U+{code:04X}", name=name) if name else f"U+{code:04X}"
    return Phrase("validate.expected.no_control", position=at + 1, character=what)


def convert_cell(f: Field, text: str) -> tuple[Any, str | None]:
    """Convert one non-empty cell to its Python value, or say what was expected.

    Parameters
    ----------
    f : Field
        The column's schema.
    text : str
        The cell as written.

    Returns
    -------
    (value, expected)
        ``expected`` is ``None`` when the cell is good, else a description of what it should be.

    Examples
    --------
    >>> from bolivia_lessons.schema import Field
    >>> convert_cell(Field("votes", "integer", minimum=0), "12")
    (12, None)
    >>> convert_cell(Field("votes", "integer", minimum=0), "9" * 400)[1]
    'a whole number between 0 and 9223372036854775807'
    >>> convert_cell(Field("title_en", "string"), " =1+1")[1].startswith("text that does not start with =")
    True

    """
    if len(text) > MAX_CELL_CHARS:
        return None, Phrase("validate.expected.cell_length", limit=MAX_CELL_CHARS, length=len(text))
    bad = _CONTROL.search(text)
    if bad:
        return None, _control_expected(text, bad.start())
    value: Any
    if f.is_historical_date:
        value = _parse_historical(text)
        if value is None:
            if text.startswith("0000") and _HIST.match(text):
                return None, Phrase("validate.expected.no_year_0", what=_describe(f))
            return None, _describe(f)
    elif f.type == "string":
        if text.lstrip(_BLANKS).startswith(FORMULA_START):
            return None, Phrase("validate.expected.formula")
        if f.enum is not None and text not in f.enum:
            return None, _describe(f)
        value = text
    elif f.type == "integer":
        if not _INT.match(text):
            return None, _describe(f)
        low, high = INTEGER_RANGE
        # more than 19 significant digits is out of range: do not make Python convert 5,000 of them
        if len(text.lstrip("+-").lstrip("0")) > 19 or not low <= int(text) <= high:
            low = low if f.minimum is None else max(low, f.minimum)
            high = high if f.maximum is None else min(high, f.maximum)
            return None, Phrase("validate.expected.whole_between", low=_number(low), high=_number(high))
        value = int(text)
    elif f.type == "number":
        if not _NUM.match(text):
            return None, _describe(f)
        value = float(text)
        if not math.isfinite(value):
            return None, Phrase("validate.expected.too_large", what=_describe(f))
    elif f.type == "boolean":
        if text in f.true_values:
            value = True
        elif text in f.false_values:
            value = False
        else:
            return None, _describe(f)
    elif f.type == "date":
        try:
            value = dt.date.fromisoformat(text) if _ISO_DAY.match(text) else None
        except ValueError:
            value = None
        if value is None:
            return None, _describe(f)
        if not DATE_RANGE[0] <= value <= DATE_RANGE[1]:
            return None, Phrase("validate.expected.between", what=_describe(f), low=DATE_RANGE[0], high=DATE_RANGE[1])
    else:  # a type the descriptor may name but this library does not know
        return None, Phrase("validate.expected.column_type", type=repr(f.type))
    if f.pattern is not None and not re.fullmatch(f.pattern, text):
        return None, Phrase("validate.expected.pattern", pattern=f.pattern)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if f.minimum is not None and value < f.minimum:
            return None, Phrase("validate.expected.at_least", limit=f"{f.minimum:g}")
        if f.maximum is not None and value > f.maximum:
            return None, Phrase("validate.expected.at_most", limit=f"{f.maximum:g}")
    return value, None


def _convert_column(f: Field, cells: list[str], controls: bool) -> tuple[list[Any], list[tuple[int, str]]]:
    """Convert one column: its values (``None`` for empty or bad cells) and its bad cells.

    :func:`convert_cell` decides about every cell; for text columns, cells that certainly pass
    (no blank or formula sign in front, in the enum, matching the pattern) skip it, which is most
    of the time saved on a large file. ``controls`` says whether the file has a control
    character at all.
    """
    bad: list[tuple[int, str]] = []
    if f.type == "string" and not f.is_historical_date:
        values: list[Any] = [c or None for c in cells]
        if f.enum is not None:
            good = {v for v in f.enum if convert_cell(f, v)[1] is None}
            slow = [i for i, c in enumerate(cells) if c and c not in good]
        elif f.pattern is not None:
            match = re.compile(f.pattern).fullmatch
            slow = [i for i, c in enumerate(cells) if c and (c[:1] in _RISKY_START or not match(c))]
        else:
            slow = [i for i, c in enumerate(cells) if c[:1] in _RISKY_START]
        if controls or (cells and max(map(len, cells)) > MAX_CELL_CHARS):
            odd = (i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS or (controls and _CONTROL.search(c)))
            slow = sorted(set(slow).union(odd))
        for i in slow:
            values[i], expected = convert_cell(f, cells[i])
            if expected is not None:
                bad.append((i, expected))
        return values, bad
    # other types repeat their values (dates, numbers of a few kinds): convert each text once
    memo: dict[str, tuple[Any, str | None]] = {}
    values = []
    for i, c in enumerate(cells):
        if not c:
            values.append(None)
            continue
        done = memo.get(c)
        if done is None:
            done = memo[c] = convert_cell(f, c)
        values.append(done[0])
        if done[1] is not None:
            bad.append((i, done[1]))
    return values, bad


# -- one file -------------------------------------------------------------------------------


def _decode(raw: bytes, label: str, problems: list[Problem]) -> str | None:
    """Decode UTF-8, reporting a byte-order mark or bytes of another encoding."""
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(
                label,
                1,
                None,
                "\ufeff",
                Phrase("validate.expected.bom"),
            )
        )
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        index = raw[line_start : exc.start].count(b",")
        column = header[index] if line > 1 and index < len(header) else None
        bad = raw[exc.start : exc.end]
        problems.append(
            Problem(
                label,
                line,
                column,
                bad.decode("latin-1"),
                Phrase("validate.expected.utf8", byte=f"0x{bad[0]:02X}"),
            )
        )
        return None


def _open_quote(line: str) -> tuple[int, str] | None:
    """Find the cell of ``line`` whose quote breaks the CSV: its index and its text from the quote on."""
    body = line.rstrip("\r\n")
    cell, i, start = 0, 0, True
    while i < len(body):
        if start and body[i] == '"':
            j = i + 1
            while True:
                j = body.find('"', j)
                if j == -1 or not body.startswith('""', j):
                    break
                j += 2
            if j == -1 or (j + 1 < len(body) and body[j + 1] != ","):
                return cell, body[i:]
            i, start = j + 1, False
            continue
        start = body[i] == ","
        cell += start
        i += 1
    return None


def _quote_problem(label: str, row: int, line: str, header: list[str], error: object) -> Problem:
    """The problem of a row whose quotes the CSV reader could not make sense of."""
    found = _open_quote(line)
    if found is None:
        return Problem(label, row, None, _shown(line.rstrip("\r\n")), Phrase("validate.expected.csv", error=error))
    cell, text = found
    return Problem(
        label,
        row,
        header[cell] if cell < len(header) else None,
        text if len(text) <= 60 else text[:60] + "…",
        Phrase("validate.expected.quote"),
    )


def _records(lines: list[str], label: str, found: list[Problem]) -> tuple[list[str] | None, list[int], list[list[str]]]:
    """Split the lines of a CSV file into its header and records, reporting rows that cannot be split.

    Returns the header (``None`` if even that cannot be read), the spreadsheet number of each
    record kept and the records, each with as many cells as the header. A row whose quote is
    broken is reported where the quote opens, and reading goes on at the next line, so the rows
    after it are checked too. Lines are dropped from ``lines`` once read, to save memory.
    """
    header: list[str] | None = None
    numbers: list[int] = []
    records: list[list[str]] = []
    row = pos = broken = 0  # last row read; the line the reader started at; quotes broken so far
    with _FIELD_LIMIT_LOCK:
        size = sum(map(len, lines))
        limit = csv.field_size_limit(max(csv.field_size_limit(), size + 1))  # oversized cells are reported
        try:
            while pos < len(lines):
                reader = csv.reader(itertools.islice(lines, pos, None), strict=True)
                used, restart = 0, None  # lines the reader took before the current record
                try:
                    for record in reader:
                        row += 1
                        first, span, used = pos + used, reader.line_num - used, reader.line_num
                        if header is None:
                            header = record
                        elif not record or (len(record) == 1 and not record[0].strip()):
                            continue  # a blank line, as spreadsheets often leave at the end
                        elif len(record) == len(header):
                            numbers.append(row)
                            records.append(record)
                            for k in range(first, first + span):
                                lines[k] = ""  # read for good: a broken quote further on restarts after it
                        elif span > 1:  # a quote took the lines after it into one cell
                            broken_quote = Phrase("validate.expected.quote_broken")
                            found.append(_quote_problem(label, row, lines[first], header, broken_quote))
                            restart = first + 1
                            break
                        else:
                            found.append(
                                Problem(
                                    label,
                                    row,
                                    None,
                                    _shown(",".join(record)),
                                    Phrase("validate.expected.cells", cells=len(header), found=len(record)),
                                )
                            )
                except csv.Error as exc:
                    row += 1
                    first = pos + used
                    if header is None:
                        expected = Phrase("validate.expected.header_row", error=exc)
                        found.append(Problem(label, row, None, _shown(lines[first].rstrip()), expected))
                        return None, numbers, records
                    found.append(_quote_problem(label, row, lines[first], header, str(exc)))
                    restart = first + 1
                if restart is None:
                    break
                broken += 1
                if broken == _MAX_BROKEN_QUOTES and restart < len(lines):
                    expected = Phrase("validate.expected.broken_quotes", limit=_MAX_BROKEN_QUOTES)
                    found.append(Problem(label, row + 1, None, None, expected))
                    break
                pos = restart
        finally:
            csv.field_size_limit(limit)
    return header, numbers, records


def read_table(path: Path, resource: Resource, problems: list[Problem]) -> Table:
    """Read and check one CSV file against its table's schema.

    Every problem is appended to ``problems``, in the order of the file. A row with a problem in
    a cell stays in the returned table (with ``None`` for that cell) so that its keys are still
    checked; it is listed in :attr:`Table.faulty`. A row that cannot be split into its cells
    is left out, and :attr:`Table.complete` is then false.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file.
    resource : Resource
        The table it holds.
    problems : list of Problem
        Where problems go.

    Returns
    -------
    Table

    """
    label = str(path)
    table = _empty_table(resource)
    expected_header = ", ".join(resource.field_names)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(
            Problem(label, None, None, None, Phrase("validate.expected.readable_file", reason=os_reason(exc)))
        )
        table.complete = False
        return table
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        problems.append(Problem(label, None, None, "", Phrase("validate.expected.header", columns=expected_header)))
        table.complete = False
        return table
    text = _decode(raw, label, problems)
    del raw
    if text is None:
        table.complete = False
        return table
    found: list[Problem] = []
    controls = _CONTROL.search(text) is not None
    lines = io.StringIO(text, newline="").readlines()
    del text
    header, numbers, records = _records(lines, label, found)
    del lines
    table.complete = not found
    index = None if header is None else _check_header(header, resource, label, problems)
    if index is None:
        table.complete = False
        problems.extend(found)
        return table
    cells_of = [list(c) for c in zip(*records)] if records else [[] for _ in header]
    del records
    faulty: set[int] = set()
    for f in resource.fields:
        # an optional column a file leaves out (one added in a later version of the package) is empty
        cells = cells_of[index[f.name]] if f.name in index else [""] * len(numbers)
        values, bad = _convert_column(f, cells, controls)
        for i, expected in bad:
            found.append(Problem(label, numbers[i], f.name, _shown(cells[i]), expected))
            faulty.add(i)
        if f.required and "" in cells:
            expected = Phrase("validate.expected.required", what=_describe(f))
            for i in (i for i, c in enumerate(cells) if not c):
                found.append(Problem(label, numbers[i], f.name, None, expected))
                faulty.add(i)
        table.columns[f.name] = values
        table.raw[f.name] = cells
    _check_rows(table, label, numbers, found, faulty)
    table.origin = [(label, n) for n in numbers]
    table.faulty = faulty
    # in the order of the file: by row, then by column (a problem of the whole row first)
    order = {name: k for k, name in enumerate(resource.field_names)}
    found.sort(key=lambda p: (p.row or 0, -1 if p.column is None else order.get(p.column, -1)))
    problems.extend(found)
    return table


def _check_header(header: list[str], resource: Resource, label: str, problems: list[Problem]) -> dict[str, int] | None:
    names = resource.field_names
    before = len(problems)
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            problems.append(Problem(label, 1, name, name, Phrase("validate.expected.column_once")))
        elif name not in names:
            problems.append(
                Problem(
                    label,
                    1,
                    name,
                    name,
                    Phrase("validate.expected.only_columns", table=resource.name, columns=", ".join(names)),
                )
            )
        seen.setdefault(name, i)
    for f in resource.fields:
        # a required column must be there; an optional one may be left out (a teacher's file written
        # before the package added that column still loads)
        if f.name not in seen and f.required:
            problems.append(
                Problem(label, 1, f.name, None, Phrase("validate.expected.column_missing", column=repr(f.name)))
            )
    return seen if len(problems) == before else None


def _check_rows(table: Table, label: str, numbers: list[int], found: list[Problem], faulty: set[int]) -> None:
    """Checks between cells of one row: date precision and end-before-start."""
    columns, raw = table.columns, table.raw
    for f in table.resource.fields:
        values = columns[f.name]
        if f.is_historical_date and f.precision_field in columns:
            for i, (value, declared) in enumerate(zip(values, columns[f.precision_field])):
                if value is not None and declared is not None and declared != value.precision:
                    expected = Phrase(
                        "validate.expected.precision",
                        form=Phrase(f"validate.form.{declared}") if declared in _PRECISIONS else declared,
                        field=f.precision_field,
                        precision=repr(declared),
                    )
                    found.append(Problem(label, numbers[i], f.name, raw[f.name][i], expected))
                    faulty.add(i)
        if f.not_before is not None:
            for i, (value, start) in enumerate(zip(values, columns[f.not_before])):
                if value is None or start is None:
                    continue
                late, early = (value.latest, start.earliest) if isinstance(value, HistoricalDate) else (value, start)
                if late < early:
                    expected = Phrase("validate.expected.not_before", field=f.not_before, value=raw[f.not_before][i])
                    found.append(Problem(label, numbers[i], f.name, raw[f.name][i], expected))
                    faulty.add(i)


# -- the whole package ----------------------------------------------------------------------


def table_for_file(path: Path, package: Package) -> Resource | None:
    """Which table a teacher's file belongs to, from its name.

    ``events.csv`` and ``events_my_class.csv`` (or ``events-my-class.csv``) both belong to
    ``events``; where several table names fit, the longest wins.
    """
    stem = path.stem
    fits = [r for r in package.resources if stem == r.name or stem.startswith((r.name + "_", r.name + "-"))]
    return max(fits, key=lambda r: len(r.name)) if fits else None


def _hidden(path: Path) -> bool:
    """System and lock files (``.DS_Store``, ``~$events.xlsx``), which are never data."""
    return path.name.startswith((".", "~"))


def _named_after_a_table(package: Package) -> Phrase:
    return Phrase("validate.expected.file_name", tables=", ".join(package.names))


def _classify(path: Path, package: Package) -> tuple[Resource | None, Problem | None]:
    """The table of one file of extra data, or its problem; (None, None) for a file that is not data."""
    name, ending = path.name, path.suffix.lower()
    as_csv = table_for_file(Path(path.stem.lower() + ".csv"), package)
    if ending == ".csv":
        resource = table_for_file(path, package)
        if resource is not None and path.suffix == ".csv":
            return resource, None
        if as_csv is not None:
            fixed = path.stem.lower() + ".csv"
            return None, Problem(str(path), None, None, name, Phrase("validate.expected.case", name=fixed))
        return None, Problem(str(path), None, None, name, _named_after_a_table(package))
    if ending in SPREADSHEET_ENDINGS or (ending in _TEXT_ENDINGS and as_csv is not None):
        target = path.stem.lower() + ".csv" if as_csv is not None else Phrase("validate.expected.after_a_table")
        expected = Phrase("validate.expected.spreadsheet", name=target)
        return None, Problem(str(path), None, None, name, expected)
    return None, None


def watched_files(extra: Path) -> list[Path]:
    """Every file of a teacher's extra folder that :func:`extra_files` looks at (or the file itself).

    A loader keeps its result until one of these changes, appears or goes.
    """
    extra = Path(extra)
    if not extra.is_dir():
        return [extra]
    try:
        entries = sorted(p for p in extra.iterdir() if not _hidden(p))
        inner = [q for p in entries if p.is_dir() for q in sorted(p.iterdir()) if not _hidden(q)]
    except OSError:
        return [extra]
    return [p for p in entries if not p.is_dir()] + inner


def extra_files(extra: Path, package: Package, problems: list[Problem]) -> list[tuple[Path, Resource]]:
    """The teacher's CSV files in ``extra`` (a folder or one file), each with its table.

    Nothing is skipped in silence: a file whose name differs from a table's only in case
    (``events.CSV``), a spreadsheet (``events.xlsx``), a data file in a sub-folder, or a folder
    without a single CSV file named after a table is reported. Other files (notes, pictures) and
    hidden or lock files are left alone.
    """
    extra = Path(extra)
    if extra.is_file():
        resource, problem = _classify(extra, package)
        if resource is None:
            problems.append(problem or Problem(str(extra), None, None, extra.name, _named_after_a_table(package)))
            return []
        return [(extra, resource)]
    if not extra.is_dir():
        problems.append(Problem(str(extra), None, None, None, Phrase("validate.expected.extra")))
        return []
    try:
        entries = sorted(p for p in extra.iterdir() if not _hidden(p))
    except OSError as exc:
        problems.append(
            Problem(str(extra), None, None, None, Phrase("validate.expected.readable_folder", reason=os_reason(exc)))
        )
        return []
    found, before = [], len(problems)
    for path in entries:
        if path.is_dir():
            try:
                inner = sorted(p for p in path.iterdir() if p.is_file() and not _hidden(p))
            except OSError:
                inner = []
            for p in inner:
                if p.suffix.lower() in (".csv", *SPREADSHEET_ENDINGS):
                    expected = Phrase("validate.expected.sub_folder", folder=extra, target=extra / p.name)
                    problems.append(Problem(str(p), None, None, f"{path.name}/{p.name}", expected))
            continue
        resource, problem = _classify(path, package)
        if problem is not None:
            problems.append(problem)
        elif resource is not None:
            found.append((path, resource))
    if not found and len(problems) == before:
        listing = ", ".join(p.name + ("/" if p.is_dir() else "") for p in entries)
        expected = Phrase("validate.expected.no_csv" if entries else "validate.expected.no_csv_empty")
        problems.append(Problem(str(extra), None, None, _shown(listing), expected))
    return found


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Pause the cycle collector while millions of cells are made (none of them form a cycle)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_package_tables(package: Package, extra: Path | None, problems: list[Problem]) -> dict[str, Table]:
    """Read every table of the package, merge a teacher's extra files, and check it all."""
    with _no_garbage_collection():
        return _read_package_tables(package, extra, problems)


def _read_package_tables(package: Package, extra: Path | None, problems: list[Problem]) -> dict[str, Table]:
    tables = {r.name: read_table(package.root / r.path, r, problems) for r in package.resources}
    if extra is not None:
        for path, resource in extra_files(extra, package, problems):
            tables[resource.name].extend(read_table(path, resource, problems))
    for table in tables.values():
        _check_unique(table, problems)
    for table in tables.values():
        _check_foreign_keys(table, tables, problems)
    label = str(package.root / DESCRIPTOR)
    for k, check in enumerate(package.checks):
        wrong = _check_parameters(check, package)
        if wrong:
            problems.extend(
                Problem(label, None, None, _json(v), Phrase("validate.at", expected=e, where=f"x-checks[{k}].{p}"))
                for p, v, e in wrong
            )
        else:
            CHECKS[check["check"]](check, tables, problems)
    return tables


def _key(table: Table, names: Iterable[str]) -> list[tuple[Any, ...]]:
    return list(zip(*(table.columns[n] for n in names)))


def _raw_key(table: Table, names: Iterable[str], i: int) -> str:
    return "/".join(table.raw[n][i] for n in names)


def _check_unique(table: Table, problems: list[Problem]) -> None:
    r = table.resource
    keyed = [(r.primary_key, "validate.expected.unique_key")] if r.primary_key else []
    keyed += [((f.name,), "validate.expected.unique_value") for f in r.fields if f.unique]
    for names, what in keyed:
        first: dict[tuple[Any, ...], int] = {}
        for i, key in enumerate(_key(table, names)):
            if None in key:
                continue
            if key in first:
                other_file, other_row = table.origin[first[key]]
                if other_file == table.origin[i][0]:
                    where = Phrase("validate.row", row=other_row)
                else:
                    where = Phrase("validate.row_of", row=other_row, file=other_file)
                expected = Phrase(what, where=where)
                problems.append(Problem(*table.origin[i], "/".join(names), _raw_key(table, names, i), expected))
            else:
                first[key] = i


def _check_foreign_keys(table: Table, tables: dict[str, Table], problems: list[Problem]) -> None:
    for fk in table.resource.foreign_keys:
        target = tables[fk.resource]
        if not target.complete:
            continue  # the target file's own problem is reported; its rows are unknown
        known = set(_key(target, fk.reference))
        # rows whose key cell could not be read: references to them are not reported again
        known_bad = {
            tuple(target.raw[n][j] for n in fk.reference)
            for j in target.faulty
            if any(target.columns[n][j] is None and target.raw[n][j] != "" for n in fk.reference)
        }
        keys = _key(table, fk.fields)
        expected = Phrase("validate.expected.reference", columns="/".join(fk.reference), table=fk.resource)
        for i in [i for i, key in enumerate(keys) if key not in known]:
            if None in keys[i] or tuple(table.raw[n][i] for n in fk.fields) in known_bad:
                continue
            problems.append(Problem(*table.origin[i], "/".join(fk.fields), _raw_key(table, fk.fields, i), expected))


# -- the package's own checks (x-checks in datapackage.json) ---------------------------------


def _json(value: Any) -> str | None:
    """A descriptor value as it is written there (for messages)."""
    if value is None:
        return None
    return _shown(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def _total(x: float) -> str:
    return str(x) if isinstance(x, int) else f"{round(x, 6):.10g}"


def _span(t: Table, members: list[int]) -> Phrase:
    numbers = [t.origin[i][1] for i in members]
    if len(numbers) > 1:
        return Phrase("validate.rows", first=min(numbers), last=max(numbers))
    return Phrase("validate.row", row=numbers[0])


def _groups(t: Table, field: str, group_by: list[str]) -> tuple[dict[tuple[Any, ...], Any], dict[Any, list[int]]]:
    """The sum of ``field`` for each group of rows, and the rows (indices) of each group."""
    sums: dict[tuple[Any, ...], Any] = defaultdict(int)
    members: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, (key, value) in enumerate(zip(_key(t, group_by), t.columns[field])):
        sums[key] += value or 0
        members[key].append(i)
    return sums, members


def _lookup(tables: dict[str, Table], target: dict[str, Any]) -> dict[tuple[Any, ...], tuple[Any, str]]:
    """Value and raw text of ``target["field"]`` in ``target["resource"]``, by ``target["key"]``."""
    other = tables[target["resource"]]
    found = zip(_key(other, target["key"]), other.columns[target["field"]], other.raw[target["field"]])
    return {key: (value, raw) for key, value, raw in found if value is not None}


def _at(t: Table, i: int, column: str, expected: str) -> Problem:
    """The problem of the cell in row ``i`` (an index) and ``column`` of ``t``, as written there."""
    return Problem(*t.origin[i], column, t.raw[column][i], expected)


def _columns_sum(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    for i in range(len(t)):
        parts = [t.columns[n][i] for n in check["fields"]]
        total = t.columns[check["equals"]][i]
        if None in parts or total is None or sum(parts) == total:
            continue
        problems.append(_at(t, i, check["equals"], f"{' + '.join(check['fields'])} = {sum(parts)}"))


def _group_sum(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    if t.unreadable([check["field"], *check["group_by"]]):
        return  # a sum over cells that could not all be read would report a second, false problem
    sums, members = _groups(t, check["field"], check["group_by"])
    target = check["equals"]
    totals = tables[target["resource"]]
    for j, key in enumerate(_key(totals, target["key"])):
        total = totals.columns[target["field"]][j]
        if key not in sums or total is None or sums[key] == total:
            continue
        expected = Phrase(
            "validate.check.group_sum",
            field=check["field"],
            table=check["resource"],
            rows=_span(t, members[key]),
            group="/".join(str(k) for k in key),
            total=_total(sums[key]),
        )
        problems.append(_at(totals, j, target["field"], expected))


def _group_sum_at_most(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    if t.unreadable([check["field"], *check["group_by"]]):
        return
    limit, tolerance = check["at_most"], check.get("tolerance", 0)
    sums, members = _groups(t, check["field"], check["group_by"])
    for key, total in sums.items():
        if total > limit + tolerance:
            expected = Phrase(
                "validate.check.at_most_give_or_take" if tolerance else "validate.check.at_most_sum",
                field=check["field"],
                limit=_total(limit),
                tolerance=_total(tolerance),
                group="/".join(str(k) for k in key),
                rows=_span(t, members[key]),
                total=_total(total),
            )
            problems.append(_at(t, members[key][-1], check["field"], expected))


def _not_after(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    for i in range(len(t)):
        value, limit = t.columns[check["field"]][i], t.columns[check["limit"]][i]
        if value is not None and limit is not None and value > limit:
            problems.append(
                _at(t, i, check["field"], Phrase("validate.check.not_after", field=check["limit"], value=limit))
            )


def _count_per_group(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    if t.unreadable([check["field"], *check["group_by"]]):
        return  # a count over cells that could not all be read would report a second, false problem
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    last: dict[tuple[Any, ...], int] = {}
    for i, key in enumerate(_key(t, check["group_by"])):
        counts[key] += t.columns[check["field"]][i] == check["value"]
        last[key] = i
    for key, n in counts.items():
        if n != check["count"]:
            expected = Phrase(
                "validate.check.count",
                count=check["count"],
                field=check["field"],
                value=str(check["value"]).lower(),
                group="/".join(str(k) for k in key),
                found=n,
            )
            problems.append(_at(t, last[key], check["field"], expected))


def _percentage_of(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t, whole = tables[check["resource"]], check["whole"]
    wholes = _lookup(tables, whole)
    tolerance = check.get("tolerance", 0)
    shares, parts = t.columns[check["field"]], t.columns[check["part"]]
    for i, key in enumerate(_key(t, check["by"])):
        share, part, (total, _) = shares[i], parts[i], wholes.get(key, (None, ""))
        if share is None or part is None or not total:
            continue
        expected = 100 * part / total
        if abs(share - expected) > tolerance + 1e-9:
            percentage = Phrase(
                "validate.check.percentage_give_or_take" if tolerance else "validate.check.percentage",
                expected=f"{expected:.2f}",
                tolerance=_total(tolerance),
                part=check["part"],
                whole=whole["field"],
                table=whole["resource"],
                part_value=part,
                whole_value=total,
            )
            problems.append(_at(t, i, check["field"], percentage))


def _agrees_with(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t, other = tables[check["resource"]], check["equals"]
    known = _lookup(tables, other)
    values = t.columns[check["field"]]
    for i, key in enumerate(_key(t, check["by"])):
        value, (should, raw) = values[i], known.get(key, (None, ""))
        if value is None or should is None or value == should:
            continue
        expected = Phrase(
            "validate.check.agrees_with",
            value=raw,
            field=other["field"],
            by="/".join(check["by"]),
            group=_raw_key(t, check["by"], i),
            table=other["resource"],
        )
        problems.append(_at(t, i, check["field"], expected))


def _referenced_by(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t, by = tables[check["resource"]], check["by"]
    citing = tables[by["resource"]]
    if citing.unreadable(by["fields"]):
        return  # rows that could not be read may be the ones that refer to these
    known = set(_key(citing, by["fields"]))
    expected = Phrase("validate.check.referenced_by", table=by["resource"], columns="/".join(by["fields"]))
    for i, key in enumerate(_key(t, check["key"])):
        if None in key or key in known:
            continue
        problems.append(Problem(*t.origin[i], "/".join(check["key"]), _raw_key(t, check["key"], i), expected))


CHECKS: dict[str, Callable[[dict[str, Any], dict[str, Table], list[Problem]], None]] = {
    "columns_sum": _columns_sum,
    "group_sum": _group_sum,
    "group_sum_at_most": _group_sum_at_most,
    "not_after": _not_after,
    "count_per_group": _count_per_group,
    "percentage_of": _percentage_of,
    "agrees_with": _agrees_with,
    "referenced_by": _referenced_by,
}

#: What each check in ``x-checks`` takes besides ``check`` and ``resource`` (the table it checks):
#: ``column`` (one of that table's columns), ``columns`` (a list of them), ``number``, ``value``
#: (anything), ``target`` (``{"resource", "key", "field"}``: a column of another table, found by
#: its key) and ``rows`` (``{"resource", "fields"}``: rows of another table). A target's key has
#: as many columns as the parameter named after the colon. A name ending in ``?`` may be left out.
CHECK_PARAMETERS: dict[str, dict[str, str]] = {
    "columns_sum": {"fields": "columns", "equals": "column"},
    "group_sum": {"field": "column", "group_by": "columns", "equals": "target:group_by"},
    "group_sum_at_most": {"field": "column", "group_by": "columns", "at_most": "number", "tolerance?": "number"},
    "not_after": {"field": "column", "limit": "column"},
    "count_per_group": {"field": "column", "value": "value", "group_by": "columns", "count": "number"},
    "percentage_of": {
        "field": "column",
        "part": "column",
        "by": "columns",
        "whole": "target:by",
        "tolerance?": "number",
    },
    "agrees_with": {"field": "column", "by": "columns", "equals": "target:by"},
    "referenced_by": {"key": "columns", "by": "rows:key"},
}


def _columns_of(value: Any, names: Iterable[str]) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v in names for v in value)


def _check_parameters(check: dict[str, Any], package: Package) -> list[tuple[str, Any, str]]:
    """What is wrong with one entry of ``x-checks``, as (parameter, value, expected) triples."""
    spec = CHECK_PARAMETERS.get(check["check"])
    if spec is None:
        return [("check", check["check"], Phrase("validate.check.unknown", checks=", ".join(CHECKS)))]
    resource = package.resource(check["resource"])  # read_package made sure it exists
    names = resource.field_names
    wrong = []
    for key, kind in spec.items():
        key, optional = key.rstrip("?"), key.endswith("?")
        if key not in check:
            if not optional:
                shape = Phrase(f"validate.kind.{kind.split(':')[0]}")
                wrong.append((key, None, Phrase("validate.check.parameter", name=repr(key), kind=shape)))
            continue
        value = check[key]
        if kind == "column" and not (isinstance(value, str) and value in names):
            wrong.append((key, value, Phrase("validate.check.column", table=resource.name, columns=", ".join(names))))
        elif kind == "columns" and not _columns_of(value, names):
            wrong.append((key, value, Phrase("validate.check.columns", table=resource.name, columns=", ".join(names))))
        elif kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            wrong.append((key, value, Phrase("validate.expected.a_number")))
        elif kind.startswith(("target", "rows")):
            shape, _, along = kind.partition(":")
            keys = ("key", "field") if shape == "target" else ("fields",)
            other = value.get("resource") if isinstance(value, dict) else None
            other_names = package.resource(other).field_names if other in package.names else ()
            ok = other_names and all(k in value for k in keys)
            ok = ok and _columns_of(value.get("key", value.get("fields")), other_names)
            ok = ok and (shape == "rows" or value["field"] in other_names)
            ok = ok and len(value.get("key", value.get("fields"))) == len(check.get(along) or ())
            if not ok:
                what = Phrase("validate.check.target" if shape == "target" else "validate.check.rows", along=along)
                wrong.append((key, value, what))
    return wrong
