"""The one error type for bad data, the problems it carries, and the phrases they are written in.

A problem's message is English by default (``str(problem)``, ``str(error)``), as the Python API
has always given it; :meth:`Problem.message` and :meth:`DataError.report` say the same in Spanish.
Every sentence comes from the word catalogue (``validate.*`` keys): a :class:`Phrase` remembers
its key and values, so a problem found once can be reported in either language.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .text import word

__all__ = ["DataError", "Phrase", "Problem", "os_reason", "say"]


class Phrase(str):
    """A sentence from the word catalogue that can be said again in another language.

    As a ``str`` it is the English sentence, so code and tests that read ``problem.expected`` or a
    report's lines see exactly the English text; :meth:`say` gives it in any language, with every
    phrase among its values (the part of a message inside another) in that language too.

    Parameters
    ----------
    key : str
        A catalogue key such as ``"validate.type.string"``.
    **args
        Values for the sentence's placeholders: plain values, or phrases.

    Examples
    --------
    >>> p = Phrase("validate.expected.required", what=Phrase("validate.type.string"))
    >>> p
    'a value (text); this column is required'
    >>> p.say("es")
    'un valor (texto); esta columna es obligatoria'

    """

    key: str
    args: dict[str, Any]

    def __new__(cls, key: str, /, **args: Any) -> Phrase:
        """The English sentence of ``key``, remembering ``key`` and ``args`` to say it again."""
        self = super().__new__(cls, _render(key, "en", args))
        self.key, self.args = key, args
        return self

    def say(self, lang: str = "en") -> str:
        """The sentence in ``lang`` ("en" or "es")."""
        return _render(self.key, lang, self.args)

    def __reduce__(self) -> tuple[Any, ...]:
        # str's own pickling would call Phrase(english_text): rebuild from the key instead
        return (_phrase, (self.key, self.args))


def _phrase(key: str, args: dict[str, Any]) -> Phrase:
    return Phrase(key, **args)


def _render(key: str, lang: str, args: dict[str, Any]) -> str:
    return word(key, lang, **{name: say(value, lang) for name, value in args.items()})


def say(text: object, lang: str = "en") -> object:
    """``text`` in ``lang`` if it is a :class:`Phrase`; any other value unchanged.

    Examples
    --------
    >>> say(Phrase("validate.type.string"), "es"), say(42, "es")
    ('texto', 42)

    """
    return text.say(lang) if isinstance(text, Phrase) else text


#: The reasons the system gives for a failed file operation that the catalogue can say in Spanish.
_OS_REASONS = {
    errno.EACCES: "validate.os.eacces",
    errno.EPERM: "validate.os.eperm",
    errno.ENOENT: "validate.os.enoent",
    errno.ENOSPC: "validate.os.enospc",
    errno.EROFS: "validate.os.erofs",
    errno.EISDIR: "validate.os.eisdir",
    errno.ENOTDIR: "validate.os.enotdir",
    errno.EEXIST: "validate.os.eexist",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, as the system says it (``"Permission denied"``).

    A :class:`Phrase` when the catalogue has the same English words for that error, so that it can
    be said in Spanish; otherwise the system's own text.

    Examples
    --------
    >>> os_reason(PermissionError(errno.EACCES, "Permission denied")).say("es")
    'permiso denegado'

    """
    reason = exc.strerror or str(exc)
    key = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if key is not None and word(key, "en") == reason:
        return Phrase(key)
    return reason


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
        What the data set expects instead, in words a teacher can act on (English; a
        :class:`Phrase` when it can also be said in Spanish).

    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def message(self, lang: str = "en") -> str:
        """The problem in words, in ``lang`` ("en" or "es"): where, what was found, what was expected.

        Examples
        --------
        >>> p = Problem("events.csv", 3, "lesson_id", "x", Phrase("validate.type.string"))
        >>> print(p.message("es"))
        events.csv, fila 3, columna 'lesson_id': valor 'x'; se esperaba texto

        """
        where = [self.file]
        if self.row is not None:
            where.append(word("validate.row", lang, row=self.row))
        if self.column is not None:
            where.append(word("validate.column", lang, column=self.column))
        if self.value is None:
            got = word("validate.missing", lang)
        else:
            got = word("validate.value", lang, value=repr(say(self.value, lang)))
        return word("validate.problem", lang, where=", ".join(where), got=got, expected=say(self.expected, lang))

    def __str__(self) -> str:
        return self.message("en")


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

    def report(self, lang: str = "en") -> str:
        """Every problem, one a line, in ``lang`` ("en" or "es"); ``str(error)`` is the English report."""
        if len(self.problems) == 1:
            return self.problems[0].message(lang)
        lines = [word("validate.summary", lang, count=len(self.problems))]
        lines += [f"  - {p.message(lang)}" for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report("en")
