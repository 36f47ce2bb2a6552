"""Reading CSV tables and checking them against the data package's schema.

Everything here is driven by :mod:`bolivia_lessons.schema`: types, constraints, keys, foreign
keys and the package's ``x-checks``. No table has code of its own. Every problem found is
collected (not just the first) so that one run tells a teacher everything to fix.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem
from .schema import Field, Package, Resource

#: Text a spreadsheet would run as a formula if a cell starts with it (CSV injection).
FORMULA_START = ("=", "+", "-", "@")
_HIST = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_INT = re.compile(r"^[+-]?[0-9]+$")
_NUM = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PRECISION_OF_FORM = {1: "year", 2: "month", 3: "day"}
_FORM_OF_PRECISION = {"year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}


@dataclass(frozen=True)
class HistoricalDate:
    """A date known to the day, the month or the year, as written in a table."""

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
    """A table's checked, typed values, column by column, and where each row came from."""

    resource: Resource
    columns: dict[str, list[Any]]
    raw: dict[str, list[str]]
    origin: list[tuple[str, int]] = field(default_factory=list)
    # Raw cells of rows kept out because of a problem, and whether the whole file could be read:
    # references to such rows are not reported again as dangling foreign keys.
    rejected: list[dict[str, str]] = field(default_factory=list)
    complete: bool = True

    def __len__(self) -> int:
        return len(self.origin)

    def extend(self, other: Table) -> None:
        """Append the rows of ``other`` (the same table read from another file)."""
        for name in self.columns:
            self.columns[name].extend(other.columns[name])
            self.raw[name].extend(other.raw[name])
        self.origin.extend(other.origin)
        self.rejected.extend(other.rejected)
        self.complete = self.complete and other.complete


def _empty_table(resource: Resource) -> Table:
    names = resource.field_names
    return Table(resource, {n: [] for n in names}, {n: [] for n in names})


# -- one cell -------------------------------------------------------------------------------


def _describe(f: Field) -> str:
    """What a column expects, in words (used in messages)."""
    if f.enum is not None:
        return "one of: " + ", ".join(f.enum)
    if f.is_historical_date:
        return "a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD"
    return {
        "string": "text",
        "integer": "a whole number (digits only, no thousands separators)",
        "number": "a number with a decimal point (no thousands separators or % sign)",
        "boolean": "one of: " + ", ".join(f.true_values + f.false_values),
        "date": "a real calendar date written YYYY-MM-DD",
    }.get(f.type, f.type)


def _parse_historical(text: str) -> HistoricalDate | None:
    m = _HIST.match(text)
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return HistoricalDate(text, year, month, day)


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

    """
    value: Any
    if f.is_historical_date:
        value = _parse_historical(text)
        if value is None:
            return None, _describe(f)
    elif f.type == "string":
        if text.startswith(FORMULA_START):
            return None, (
                "text that does not start with =, +, - or @ (a spreadsheet would run such a cell as a formula)"
            )
        if f.enum is not None and text not in f.enum:
            return None, _describe(f)
        value = text
    elif f.type == "integer":
        if not _INT.match(text):
            return None, _describe(f)
        value = int(text)
    elif f.type == "number":
        if not _NUM.match(text):
            return None, _describe(f)
        value = float(text)
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
    else:  # a type the descriptor may name but this library does not know
        return None, f"a column type this library knows (the schema says {f.type!r})"
    if f.pattern is not None and not re.fullmatch(f.pattern, text):
        return None, f"text matching the pattern {f.pattern}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if f.minimum is not None and value < f.minimum:
            return None, f"a value of at least {f.minimum:g}"
        if f.maximum is not None and value > f.maximum:
            return None, f"a value of at most {f.maximum:g}"
    return value, None


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
                (
                    "UTF-8 without a byte-order mark (the file starts with one; "
                    "save it as 'CSV UTF-8' without BOM, or remove the first three bytes)"
                ),
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
                (
                    f"UTF-8 text (byte 0x{bad[0]:02X} is not UTF-8; the file was probably saved as "
                    "Latin-1 or Windows-1252: re-save it as 'CSV UTF-8')"
                ),
            )
        )
        return None


def read_table(path: Path, resource: Resource, problems: list[Problem]) -> Table:
    """Read and check one CSV file against its table's schema.

    Problems are appended to ``problems``; rows with a problem in a cell are kept out of the
    returned table so that later checks do not repeat the same fault.

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
        problems.append(Problem(label, None, None, None, f"a readable file ({exc.strerror})"))
        table.complete = False
        return table
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        problems.append(Problem(label, None, None, "", f"a header row naming the columns: {expected_header}"))
        table.complete = False
        return table
    text = _decode(raw, label, problems)
    if text is None:
        table.complete = False
        return table
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(records)
        index = _check_header(header, resource, label, problems)
        if index is None:
            table.complete = False
            return table
        fields = resource.fields
        width = len(header)
        for number, record in enumerate(records, start=2):
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line, as spreadsheets often leave at the end
            if len(record) != width:
                problems.append(
                    Problem(
                        label,
                        number,
                        None,
                        ",".join(record)[:80],
                        (
                            f"{width} cells, one per column ({len(record)} found; "
                            "check for an unquoted comma or a missing cell)"
                        ),
                    )
                )
                table.complete = False
                continue
            values, ok = [], True
            for f in fields:
                cell = record[index[f.name]]
                if cell == "":
                    if f.required:
                        problems.append(
                            Problem(label, number, f.name, None, f"a value ({_describe(f)}); this column is required")
                        )
                        ok = False
                    values.append(None)
                    continue
                value, expected = convert_cell(f, cell)
                if expected is not None:
                    problems.append(Problem(label, number, f.name, cell, expected))
                    ok = False
                values.append(value)
            if ok and _check_row(fields, values, record, index, label, number, problems):
                for f, value in zip(fields, values):
                    table.columns[f.name].append(value)
                    table.raw[f.name].append(record[index[f.name]])
                table.origin.append((label, number))
            else:
                table.rejected.append({f.name: record[index[f.name]] for f in fields})
    except csv.Error as exc:
        problems.append(Problem(label, records.line_num, None, None, f"well-formed CSV ({exc}; check the quotes)"))
        table.complete = False
    return table


def _check_header(header: list[str], resource: Resource, label: str, problems: list[Problem]) -> dict[str, int] | None:
    names = resource.field_names
    before = len(problems)
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            problems.append(Problem(label, 1, name, name, "each column named once"))
        elif name not in names:
            problems.append(
                Problem(label, 1, name, name, (f"only the columns of the {resource.name} table: {', '.join(names)}"))
            )
        seen.setdefault(name, i)
    for name in names:
        if name not in seen:
            problems.append(Problem(label, 1, name, None, f"a column named {name!r} in the header"))
    return seen if len(problems) == before else None


def _check_row(
    fields: tuple[Field, ...],
    values: list[Any],
    record: list[str],
    index: dict[str, int],
    label: str,
    number: int,
    problems: list[Problem],
) -> bool:
    """Checks between cells of one row: date precision and end-before-start."""
    ok = True
    by_name = dict(zip((f.name for f in fields), values))
    for f, value in zip(fields, values):
        if value is None:
            continue
        if f.is_historical_date:
            declared = by_name.get(f.precision_field)
            if declared is not None and declared != value.precision:
                problems.append(
                    Problem(
                        label,
                        number,
                        f.name,
                        record[index[f.name]],
                        (
                            f"a date written {_FORM_OF_PRECISION.get(declared, declared)}, "
                            f"as {f.precision_field} is {declared!r}"
                        ),
                    )
                )
                ok = False
        if f.not_before is not None and by_name.get(f.not_before) is not None:
            start = by_name[f.not_before]
            late, early = (value.latest, start.earliest) if isinstance(value, HistoricalDate) else (value, start)
            if late < early:
                problems.append(
                    Problem(
                        label,
                        number,
                        f.name,
                        record[index[f.name]],
                        (f"a value not before {f.not_before} ({record[index[f.not_before]]})"),
                    )
                )
                ok = False
    return ok


# -- the whole package ----------------------------------------------------------------------


def table_for_file(path: Path, package: Package) -> Resource | None:
    """Which table a teacher's file belongs to, from its name.

    ``events.csv`` and ``events_my_class.csv`` (or ``events-my-class.csv``) both belong to
    ``events``; where several table names fit, the longest wins.
    """
    stem = path.stem
    fits = [r for r in package.resources if stem == r.name or stem.startswith((r.name + "_", r.name + "-"))]
    return max(fits, key=lambda r: len(r.name)) if fits else None


def extra_files(extra: Path, package: Package, problems: list[Problem]) -> list[tuple[Path, Resource]]:
    """The teacher's CSV files in ``extra`` (a folder or one file), each with its table."""
    extra = Path(extra)
    if extra.is_dir():
        paths = sorted(extra.glob("*.csv"))
    elif extra.is_file():
        paths = [extra]
    else:
        problems.append(Problem(str(extra), None, None, None, "an existing folder or CSV file of extra data"))
        return []
    found = []
    for path in paths:
        resource = table_for_file(path, package)
        if resource is None:
            problems.append(
                Problem(
                    str(path),
                    None,
                    None,
                    path.name,
                    (
                        "a file named after a table, e.g. events.csv or events_my_class.csv; the tables are: "
                        + ", ".join(package.names)
                    ),
                )
            )
        else:
            found.append((path, resource))
    return found


def read_package_tables(package: Package, extra: Path | None, problems: list[Problem]) -> dict[str, Table]:
    """Read every table of the package, merge a teacher's extra files, and check it all."""
    tables = {r.name: read_table(package.root / r.path, r, problems) for r in package.resources}
    if extra is not None:
        for path, resource in extra_files(extra, package, problems):
            tables[resource.name].extend(read_table(path, resource, problems))
    for table in tables.values():
        _check_unique(table, problems)
    for table in tables.values():
        _check_foreign_keys(table, tables, problems)
    for check in package.checks:
        CHECKS[check["check"]](check, tables, problems)
    return tables


def _key(table: Table, names: Iterable[str]) -> list[tuple[Any, ...]]:
    return list(zip(*(table.columns[n] for n in names)))


def _check_unique(table: Table, problems: list[Problem]) -> None:
    r = table.resource
    keyed = [(r.primary_key, "a key not used by another row")] if r.primary_key else []
    keyed += [((f.name,), "a value not used by another row") for f in r.fields if f.unique]
    for names, what in keyed:
        first: dict[tuple[Any, ...], int] = {}
        for i, key in enumerate(_key(table, names)):
            if None in key:
                continue
            if key in first:
                other_file, other_row = table.origin[first[key]]
                where = f"row {other_row}" + ("" if other_file == table.origin[i][0] else f" of {other_file}")
                problems.append(
                    Problem(
                        *table.origin[i],
                        "/".join(names),
                        "/".join(table.raw[n][i] for n in names),
                        f"{what} ({where} has the same)",
                    )
                )
            else:
                first[key] = i


def _check_foreign_keys(table: Table, tables: dict[str, Table], problems: list[Problem]) -> None:
    for fk in table.resource.foreign_keys:
        target = tables[fk.resource]
        if not target.complete:
            continue  # the target file's own problem is reported; its rows are unknown
        known = set(_key(target, fk.reference))
        known_bad = {tuple(r[n] for n in fk.reference) for r in target.rejected}
        for i, key in enumerate(_key(table, fk.fields)):
            if None in key or key in known:
                continue
            if tuple(table.raw[n][i] for n in fk.fields) in known_bad:
                continue  # the referenced row has a problem of its own, already reported
            column = "/".join(fk.fields)
            value = "/".join(table.raw[n][i] for n in fk.fields)
            problems.append(
                Problem(
                    *table.origin[i],
                    column,
                    value,
                    (f"a {'/'.join(fk.reference)} that exists in the {fk.resource} table"),
                )
            )


# -- the package's own checks (x-checks in datapackage.json) ---------------------------------


def _columns_sum(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    for i in range(len(t)):
        parts = [t.columns[n][i] for n in check["fields"]]
        total = t.columns[check["equals"]][i]
        if None in parts or total is None or sum(parts) == total:
            continue
        problems.append(
            Problem(
                *t.origin[i],
                check["equals"],
                t.raw[check["equals"]][i],
                (f"{' + '.join(check['fields'])} = {sum(parts)}"),
            )
        )


def _group_sum(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    if not t.complete or t.rejected:
        return  # a sum over rows that could not all be read would report a second, false problem
    sums: dict[tuple[Any, ...], int] = defaultdict(int)
    rows: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, key in enumerate(_key(t, check["group_by"])):
        sums[key] += t.columns[check["field"]][i] or 0
        rows[key].append(t.origin[i][1])
    target = check["equals"]
    totals = tables[target["resource"]]
    for j, key in enumerate(_key(totals, target["key"])):
        total = totals.columns[target["field"]][j]
        if key not in sums or total is None or sums[key] == total:
            continue
        span = f"rows {min(rows[key])}-{max(rows[key])}" if len(rows[key]) > 1 else f"row {rows[key][0]}"
        problems.append(
            Problem(
                *totals.origin[j],
                target["field"],
                totals.raw[target["field"]][j],
                (
                    f"the sum of {check['field']} in {check['resource']} ({span} for "
                    f"{'/'.join(str(k) for k in key)}), which is {sums[key]}"
                ),
            )
        )


def _not_after(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    for i in range(len(t)):
        value, limit = t.columns[check["field"]][i], t.columns[check["limit"]][i]
        if value is not None and limit is not None and value > limit:
            problems.append(
                Problem(*t.origin[i], check["field"], t.raw[check["field"]][i], (f"at most {check['limit']} ({limit})"))
            )


def _count_per_group(check: dict[str, Any], tables: dict[str, Table], problems: list[Problem]) -> None:
    t = tables[check["resource"]]
    if not t.complete or t.rejected:
        return  # a sum over rows that could not all be read would report a second, false problem
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    last: dict[tuple[Any, ...], int] = {}
    for i, key in enumerate(_key(t, check["group_by"])):
        counts[key] += t.columns[check["field"]][i] == check["value"]
        last[key] = i
    for key, n in counts.items():
        if n != check["count"]:
            i = last[key]
            problems.append(
                Problem(
                    *t.origin[i],
                    check["field"],
                    t.raw[check["field"]][i],
                    (
                        f"exactly {check['count']} row(s) with {check['field']} = {str(check['value']).lower()} for "
                        f"{'/'.join(str(k) for k in key)} ({n} found)"
                    ),
                )
            )


CHECKS: dict[str, Callable[[dict[str, Any], dict[str, Table], list[Problem]], None]] = {
    "columns_sum": _columns_sum,
    "group_sum": _group_sum,
    "not_after": _not_after,
    "count_per_group": _count_per_group,
}
