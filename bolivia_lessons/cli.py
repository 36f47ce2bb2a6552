"""The ``bolivia-lessons`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .loaders import check
from .paths import data_dir
from .schema import DESCRIPTOR, read_package


def _validate(args: argparse.Namespace) -> int:
    target = args.path
    if target is None or (target.is_dir() and (target / DESCRIPTOR).is_file()):
        root, extra = (target or data_dir()), None
        what = f"the data package in {root}"
    else:
        root, extra = data_dir(), target
        what = f"{target}, merged with the data package in {root}"
    problems = check(root, extra)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {what}:")
        for p in problems:
            print(f"  - {p}")
        return 1
    package = read_package(root)
    print(f"OK: {what}: {len(package.resources)} tables, no problems.")
    return 0


def _tables(args: argparse.Namespace) -> int:
    package = read_package(data_dir())
    width = max(len(n) for n in package.names)
    for r in package.resources:
        print(f"{r.name:<{width}}  {r.title}: {r.description}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (``sys.argv[1:]`` by default).

    """
    parser = argparse.ArgumentParser(prog="bolivia-lessons", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser(
        "validate",
        help="check data files and print every problem",
        description=(
            "Check the shipped data, a data folder (one with a datapackage.json), "
            "or a teacher's own folder or CSV file of extra rows merged with the "
            "shipped data. Prints every problem; exits 1 if there is one."
        ),
    )
    v.add_argument("path", nargs="?", type=Path, help="data folder, or folder/file of extra rows")
    v.set_defaults(run=_validate)
    t = sub.add_parser("tables", help="list the data set's tables")
    t.set_defaults(run=_tables)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
