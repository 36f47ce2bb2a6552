"""Loading the data set's tables as pandas DataFrames.

Every loader reads and checks the *whole* package (so that foreign keys can be checked) and
keeps the result in memory until a file changes; each call returns a fresh copy that the caller
may change freely.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem
from .paths import EXTRA_ENV, data_dir
from .schema import Field, read_package
from .validation import Table, read_package_tables, watched_files

_FREQ = {"day": "D", "month": "M", "year": "Y"}
_cache: dict[tuple, dict[str, pd.DataFrame]] = {}

PathLike = str | os.PathLike[str]


def _column(f: Field, values: list) -> object:
    if f.is_historical_date:
        # object dtype even when every date has the same precision, so the column's type does not
        # depend on its contents (pandas would otherwise make a period[D] column of it)
        # one Period per distinct date (a large table repeats its dates), built from its parts
        made: dict[object, object] = {None: pd.NaT}
        for v in values:
            if v not in made:
                made[v] = pd.Period(year=v.year, month=v.month or 1, day=v.day or 1, freq=_FREQ[v.precision])
        return pd.Series([made[v] for v in values], dtype=object)
    if f.enum is not None:
        return pd.Categorical(values, categories=list(f.enum))
    if f.type == "date":
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
    return pd.array(values, dtype=f.pandas_dtype)


def _frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({f.name: _column(f, table.columns[f.name]) for f in table.resource.fields})


def _stamp(paths: list[Path]) -> tuple:
    """Identify the state of the files, so a changed file is read again."""
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(p), None, None))
    return tuple(out)


def _extra_path(extra: PathLike | None) -> Path | None:
    if extra is None:
        extra = os.environ.get(EXTRA_ENV) or None
    return None if extra is None else Path(extra)


def check(root: PathLike | None = None, extra: PathLike | None = None) -> list[Problem]:
    """Check the data package and return every problem found (an empty list if none).

    Parameters
    ----------
    root : path, optional
        A data folder with a ``datapackage.json``; the shipped data by default.
    extra : path, optional
        A teacher's folder or file of extra rows, checked and merged like the shipped data.

    Returns
    -------
    list of Problem
        Also the problems of a data folder that cannot be read at all (no or a broken
        ``datapackage.json``).

    Examples
    --------
    >>> check()
    []

    """
    problems: list[Problem] = []
    try:
        package = read_package(Path(root) if root is not None else data_dir())
    except DataError as err:
        return err.problems
    read_package_tables(package, _extra_path(extra), problems)
    return problems


def _load_all(extra: PathLike | None) -> dict[str, pd.DataFrame]:
    root = data_dir()
    package = read_package(root)
    extra_path = _extra_path(extra)
    files = [root / "datapackage.json"] + [root / r.path for r in package.resources]
    if extra_path is not None:
        files += watched_files(extra_path)
    key = (str(extra_path), _stamp(files))
    if key not in _cache:
        problems: list[Problem] = []
        tables = read_package_tables(package, extra_path, problems)
        if problems:
            raise DataError(problems)
        _cache.clear()  # keep one state only: the data does not change often within a session
        _cache[key] = {name: _frame(t) for name, t in tables.items()}
    return _cache[key]


def list_tables() -> list[str]:
    """Return the names of the data set's tables, in the order of ``datapackage.json``.

    Examples
    --------
    >>> "events" in list_tables()
    True

    """
    return list(read_package(data_dir()).names)


def load_table(name: str, *, extra: PathLike | None = None) -> pd.DataFrame:
    """Load one table, checked against the schema, with the schema's dtypes.

    Historical dates become :class:`pandas.Period` values whose frequency keeps their precision
    (``D``, ``M`` or ``Y``); enumerations become categoricals; integers ``Int64``; text ``string``.

    Parameters
    ----------
    name : str
        A table name from :func:`list_tables`.
    extra : path, optional
        A folder or file of a teacher's own rows (e.g. ``my_data/events.csv``), checked exactly
        like the shipped data and merged with it. Defaults to the environment variable
        ``BOLIVIA_LESSONS_EXTRA`` when that is set.

    Returns
    -------
    pandas.DataFrame
        A copy: change it freely.

    Raises
    ------
    KeyError
        If there is no table of that name.
    DataError
        If any file breaks the schema; it lists every problem with file, row, column and value.

    Examples
    --------
    >>> events = load_table("events")
    >>> events.loc[events.event_id == "1952_04_09_insurrection_begins", "start_date"].item()
    Period('1952-04-09', 'D')

    """
    read_package(data_dir()).resource(name)  # a clear KeyError before any reading
    return _load_all(extra)[name].copy()


def load_lessons(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``lessons`` table (see :func:`load_table`)."""
    return load_table("lessons", extra=extra)


def load_lesson_objectives(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``lesson_objectives`` table: each lesson's learning objectives, in order."""
    return load_table("lesson_objectives", extra=extra)


def load_periods(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``periods`` table: the periodization used to group and shade events."""
    return load_table("periods", extra=extra)


def load_sources(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``sources`` table: every cited work with its author, kind and perspective."""
    return load_table("sources", extra=extra)


def load_places(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``places`` table, with department and coordinates."""
    return load_table("places", extra=extra)


def load_people(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``people`` table."""
    return load_table("people", extra=extra)


def load_organizations(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``organizations`` table (parties, unions, companies, armed bodies)."""
    return load_table("organizations", extra=extra)


def load_events(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``events`` table, 1932–2024.

    Examples
    --------
    >>> events = load_events()
    >>> int(events["start_date"].map(lambda p: p.year).min())
    1932

    """
    return load_table("events", extra=extra)


def load_event_sources(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``event_sources``: which sources support each event."""
    return load_table("event_sources", extra=extra)


def load_event_people(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``event_people``: who took part in each event, and in what role."""
    return load_table("event_people", extra=extra)


def load_event_organizations(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``event_organizations``: which organizations took part in each event."""
    return load_table("event_organizations", extra=extra)


def load_elections(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``elections``: registered voters and votes cast, valid, blank and null."""
    return load_table("elections", extra=extra)


def load_election_results(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``election_results``: votes and share for every presidential candidate."""
    return load_table("election_results", extra=extra)


def load_land_reform(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``land_reform``: share of large estates affected, by department."""
    return load_table("land_reform", extra=extra)


def load_coups(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``coups``: every coup and coup attempt 1946–2024 with its outcome."""
    return load_table("coups", extra=extra)


def load_coup_classifications(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``coup_classifications``: how each source classifies each coup."""
    return load_table("coup_classifications", extra=extra)


def load_heads_of_state(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``heads_of_state``: who held power 1946–2024 and how they came to it."""
    return load_table("heads_of_state", extra=extra)


def load_claims(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``claims``: the dates, figures and names on which sources disagree."""
    return load_table("claims", extra=extra)


def load_claim_versions(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``claim_versions``: each source's version of each contested claim."""
    return load_table("claim_versions", extra=extra)


def load_documents(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``documents`` table: primary sources rendered for learners, with headnotes."""
    return load_table("documents", extra=extra)


def load_document_quotes(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the ``document_quotes`` table: each document's key phrases, quoted exactly."""
    return load_table("document_quotes", extra=extra)


def load_glossary(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load the bilingual ``glossary``."""
    return load_table("glossary", extra=extra)


def load_quiz_questions(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``quiz_questions``: the lessons' self-check questions (questions are data, not code)."""
    return load_table("quiz_questions", extra=extra)


def load_quiz_options(*, extra: PathLike | None = None) -> pd.DataFrame:
    """Load ``quiz_options``: the options of each multiple-choice self-check question."""
    return load_table("quiz_options", extra=extra)


# every loader defined above (keep this last), with the two functions that are not loaders
__all__ = ["check", "list_tables", *sorted(name for name in dir() if name.startswith("load_"))]
