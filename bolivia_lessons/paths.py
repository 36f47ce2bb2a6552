"""Where the data lives: one function, so no module does path arithmetic of its own."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import DataError, Problem

__all__ = ["DATA_ENV", "EXTRA_ENV", "data_dir", "notebooks_dir"]

#: Environment variable naming a whole data folder to use instead of the shipped one.
DATA_ENV = "BOLIVIA_LESSONS_DATA"
#: Environment variable naming a teacher's extra folder or file, merged with the shipped data.
EXTRA_ENV = "BOLIVIA_LESSONS_EXTRA"


def data_dir() -> Path:
    """Return the folder holding ``datapackage.json`` and the CSV tables.

    An installed wheel carries the data inside the package (``bolivia_lessons/data``); a source
    checkout keeps it at the top level (``data/``) where teachers find it. Setting the
    environment variable ``BOLIVIA_LESSONS_DATA`` to another folder overrides both, which is how
    a lesson can be re-run against edited data.

    Returns
    -------
    pathlib.Path
        The data folder.

    Raises
    ------
    DataError
        If ``BOLIVIA_LESSONS_DATA`` names a folder without a ``datapackage.json``; the message
        says what to do.
    FileNotFoundError
        If the installation carries no data folder.

    Examples
    --------
    >>> (data_dir() / "datapackage.json").is_file()
    True

    """
    override = os.environ.get(DATA_ENV)
    if override:
        folder = Path(override)
        if (folder / "datapackage.json").is_file():
            return folder
        if not folder.exists():
            why = "this folder does not exist"
        elif not folder.is_dir():
            why = "this is a file, not a folder"
        else:
            why = "this folder has no datapackage.json"
        expected = (
            f"a data folder holding datapackage.json and the CSV tables ({why}): unset {DATA_ENV} to use "
            "the shipped data, or point it to a copy of the whole data folder"
        )
        raise DataError([Problem(str(folder), None, None, f"{DATA_ENV}={override}", expected)])
    package = Path(str(resources.files("bolivia_lessons")))
    candidates = [package / "data", package.parent / "data"]
    for folder in candidates:
        if (folder / "datapackage.json").is_file():
            return folder
    raise FileNotFoundError("no datapackage.json found in " + " or ".join(str(c) for c in candidates))


def notebooks_dir() -> Path:
    """Return the ``notebooks/`` folder: built lessons in ``<lang>/``, their text sources in ``src/<lang>/``.

    Like :func:`data_dir`: inside an installed wheel (``bolivia_lessons/notebooks``) or at the top
    level of a source checkout (``notebooks/``).

    Returns
    -------
    pathlib.Path
        The notebooks folder.

    Raises
    ------
    FileNotFoundError
        If neither folder holds a lesson.

    """
    package = Path(str(resources.files("bolivia_lessons")))
    candidates = [package / "notebooks", package.parent / "notebooks"]
    for folder in candidates:
        if any(folder.glob("*/[0-9][0-9]_*.ipynb")) or any(folder.glob("src/*/[0-9][0-9]_*.md")):
            return folder
    raise FileNotFoundError("no lessons found in " + " or ".join(str(c) for c in candidates))
