"""The one error type for bad data, and the problems it carries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["DataError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file.

    Attributes
    ----------
    file : str
        The file's path as it was read.
    row : int or None
        The row as a spreadsheet numbers it: the header is row 1, the first data row is row 2.
        ``None`` when the problem concerns the whole file.
    column : str or None
        The column's name, or ``None`` when the problem concerns a whole row or file.
    value : str or None
        The offending value as written in the file (``None`` when a value is missing).
    expected : str
        What the data set expects instead, in words a teacher can act on.

    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        got = "missing value" if self.value is None else f"value {self.value!r}"
        return f"{', '.join(where)}: {got}; expected {self.expected}"


class DataError(ValueError):
    """Raised when a data file breaks the data set's schema.

    It carries every problem found, not just the first, so a teacher can fix a file in one pass.
    ``file``, ``row``, ``column``, ``value`` and ``expected`` are those of the first problem.

    Parameters
    ----------
    problems : iterable of Problem
        At least one problem.

    Examples
    --------
    >>> err = DataError([Problem("events.csv", 3, "start_date", "1952-02-30", "a real date")])
    >>> print(err)
    events.csv, row 3, column 'start_date': value '1952-02-30'; expected a real date

    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        if not self.problems:
            raise ValueError("DataError needs at least one problem")
        first = self.problems[0]
        self.file, self.row, self.column = first.file, first.row, first.column
        self.value, self.expected = first.value, first.expected
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems in the data:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
