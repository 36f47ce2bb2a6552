"""Where the data lives: one function, so no module does path arithmetic of its own."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

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
    FileNotFoundError
        If no folder with a ``datapackage.json`` is found.

    """
    override = os.environ.get(DATA_ENV)
    if override:
        candidates = [Path(override)]
    else:
        package = Path(str(resources.files("bolivia_lessons")))
        candidates = [package / "data", package.parent / "data"]
    for folder in candidates:
        if (folder / "datapackage.json").is_file():
            return folder
    raise FileNotFoundError("no datapackage.json found in " + " or ".join(str(c) for c in candidates))


def notebooks_dir() -> Path:
    """Return the folder holding the lesson notebooks (``NN_slug.ipynb``).

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
        if any(folder.glob("[0-9][0-9]_*.ipynb")):
            return folder
    raise FileNotFoundError("no lessons found in " + " or ".join(str(c) for c in candidates))
