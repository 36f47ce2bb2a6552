"""The ``bolivia-lessons`` command."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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


def _lab(args: argparse.Namespace) -> int:
    from .classroom import copy_lessons

    report = copy_lessons(args.folder, "teacher" if args.teacher else "student")
    print("\n".join(report.lines()))
    if args.copy_only:
        return 0
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={args.folder.resolve()}",
        # classroom machines are often offline: do not fetch JupyterLab's news or look for updates
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    first = sorted(report.added + report.kept_changed + report.kept_unchanged)
    if first:
        cmd.append(str(args.folder.resolve() / first[0]))
    return subprocess.call(cmd + args.jupyter_args)


def _export(args: argparse.Namespace) -> int:
    from .classroom import copy_lessons

    status = 0
    for audience in ("student", "teacher"):
        folder = getattr(args, audience)
        if folder is None:
            continue
        report = copy_lessons(folder, audience)
        print(f"{audience.capitalize()} copy. " + "\n".join(report.lines()))
        if report.kept_changed or report.kept_unchanged:
            print("  (files already in the folder were kept; export into an empty folder for a fresh copy)")
            status = status or (1 if report.kept_changed else 0)
    if args.student is None and args.teacher is None:
        print("bolivia-lessons export: give --student DIR, --teacher DIR or both", file=sys.stderr)
        return 2
    return status


def _html(args: argparse.Namespace) -> int:
    from .classroom import export_html

    pages = export_html(args.folder, "teacher" if args.teacher else "student")
    print(f"Wrote {len(pages)} pages to {args.folder}: {', '.join(p.name for p in pages)}")
    return 0


def _guide(args: argparse.Namespace) -> int:
    from .classroom import teachers_guide

    text = teachers_guide()
    if args.file is None:
        print(text)
    else:
        args.file.write_text(text, encoding="utf-8")
        print(f"Wrote {args.file}")
    return 0


def _present(args: argparse.Namespace) -> int:
    from .classroom import find_lesson, for_audience, read_notebook

    try:
        lesson = find_lesson(args.lesson)
    except ValueError as exc:
        print(f"bolivia-lessons present: {exc}", file=sys.stderr)
        return 2
    # the class sees the student copy: code hidden by Voila, teacher notes left out
    with tempfile.TemporaryDirectory(prefix="bolivia-lessons-") as tmp:
        page = Path(tmp) / lesson.name
        page.write_text(json.dumps(for_audience(read_notebook(lesson), "student")), encoding="utf-8")
        cmd = [sys.executable, "-m", "voila", page.name, "--Voila.ip=127.0.0.1", f"--port={args.port}"]
        if args.no_browser:
            cmd.append("--no-browser")
        print(f"Presenting {lesson.name} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
        try:
            return subprocess.call(cmd, cwd=tmp, env=os.environ | {"MPLBACKEND": "Agg"})
        except KeyboardInterrupt:
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

    lab = sub.add_parser(
        "lab",
        help="copy the lessons into a working folder and open JupyterLab there",
        description=(
            "Copy the lessons into FOLDER (default: bolivia-lessons) and open JupyterLab there. Run it again "
            "whenever you like: it only adds lessons that are missing and never overwrites a notebook "
            "that is already in the folder. Any further arguments go to JupyterLab."
        ),
    )
    lab.add_argument("folder", nargs="?", type=Path, default=Path("bolivia-lessons"), help="working folder")
    lab.add_argument("--teacher", action="store_true", help="copy with teacher notes and suggested answers")
    lab.add_argument("--copy-only", action="store_true", help="copy the lessons, do not start JupyterLab")
    lab.set_defaults(run=_lab)

    ex = sub.add_parser(
        "export",
        help="write a student copy and/or a teacher copy of every lesson",
        description=(
            "The student copy leaves out teacher notes and suggested answers (cells tagged 'teacher'); "
            "the teacher copy keeps everything. Existing files are never overwritten."
        ),
    )
    ex.add_argument("--student", type=Path, metavar="DIR", help="folder for the student copy")
    ex.add_argument("--teacher", type=Path, metavar="DIR", help="folder for the teacher copy")
    ex.set_defaults(run=_export)

    ht = sub.add_parser("html", help="write static HTML pages of every lesson, for reading and printing")
    ht.add_argument("folder", type=Path, help="folder for the pages")
    ht.add_argument("--teacher", action="store_true", help="include teacher notes and suggested answers")
    ht.set_defaults(run=_html)

    pr = sub.add_parser(
        "present",
        help="present one lesson with Voila: code hidden, explorers live",
        description="Serve lesson NN (for example 05) with Voila on 127.0.0.1, without code or teacher notes.",
    )
    pr.add_argument("lesson", help="lesson number, for example 05")
    pr.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    pr.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    pr.set_defaults(run=_present)

    gd = sub.add_parser("guide", help="print (or write to FILE) the teacher's guide built from the lessons")
    gd.add_argument("file", nargs="?", type=Path, help="where to write it (default: print)")
    gd.set_defaults(run=_guide)

    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.jupyter_args = rest
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
