"""The ``bolivia-lessons`` command."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from .errors import DataError
from .loaders import check
from .paths import data_dir
from .schema import DESCRIPTOR, read_package
from .text import LANGS

__all__ = ["main"]


def _validate(args: argparse.Namespace) -> int:
    from .paths import DATA_ENV

    target = args.path
    try:
        if target is None or (target.is_dir() and (target / DESCRIPTOR).is_file()):
            root, extra = (target or data_dir()), None
            what = f"the data package in {root}"
        else:
            root, extra = data_dir(), target
            what = f"{target}, merged with the data package in {root}"
    except DataError as err:  # BOLIVIA_LESSONS_DATA names no data folder
        problems, what = err.problems, f"the data folder named by {DATA_ENV}"
    else:
        problems = check(root, extra)  # also the problems of a missing or broken datapackage.json
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
    from .classroom import copy_lessons, lesson_paths, lesson_title

    report = copy_lessons(args.folder, "teacher" if args.teacher else "student", args.lang, update=args.update)
    print("\n".join(report.lines()))
    print("The lessons:")
    for path in lesson_paths(args.lang):
        print(f"  {path.name}  {lesson_title(path)}")
    if args.copy_only:
        return 1 if report.blocked else 0
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={args.folder.resolve()}",
        # classroom machines are often offline: do not fetch JupyterLab's news or look for updates
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if args.port is not None:
        cmd.append(f"--ServerApp.port={args.port}")
    if args.no_browser:
        cmd.append("--no-browser")
    if report.present:
        cmd.append(str(args.folder.resolve() / report.present[0]))
    return subprocess.call(cmd + args.jupyter_args)


def _export(args: argparse.Namespace) -> int:
    from .classroom import copy_lessons

    if args.student is None and args.teacher is None:
        print("bolivia-lessons export: give --student DIR, --teacher DIR or both", file=sys.stderr)
        return 2
    status = 0
    for audience in ("student", "teacher"):
        folder = getattr(args, audience)
        if folder is None:
            continue
        report = copy_lessons(folder, audience, args.lang)
        print(f"{audience.capitalize()} copy. " + "\n".join(report.lines()))
        if report.kept_changed or report.kept_unchanged or report.outdated:
            print("  (files already in the folder were kept; export into an empty folder for a fresh copy)")
        if report.kept_changed or report.blocked:
            status = 1
    return status


def _html(args: argparse.Namespace) -> int:
    from .classroom import export_html, lesson_paths, lesson_title

    titles = {p.stem: lesson_title(p) for p in lesson_paths(args.lang)}
    report = export_html(args.folder, "teacher" if args.teacher else "student", args.lang)
    print(f"Wrote {len(report.written)} pages to {args.folder}:")
    for page in report.written:
        print(f"  {page.name}  {titles.get(page.stem, '')}")
    for line in report.refused:
        print(f"  not written: {line}")
    if report.refused:
        print("Choose an empty folder, or move those files away, and run the command again.")
        return 1
    return 0


def _guide(args: argparse.Namespace) -> int:
    from .build import teachers_guide

    text = teachers_guide(args.lang)
    if args.file is None:
        print(text)
        return 0
    if args.file.is_dir():
        print(f"bolivia-lessons guide: {args.file} is a folder; give a file name such as guide.md", file=sys.stderr)
        return 2
    if args.file.exists() and not _is_generated_guide(args.file):
        # never overwrite a file someone wrote (a notebook, notes): only an earlier guide is replaced
        print(
            f"bolivia-lessons guide: {args.file} exists and is not a teacher's guide made by this command; "
            "choose another file name",
            file=sys.stderr,
        )
        return 2
    try:
        args.file.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"bolivia-lessons guide: cannot write {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"Wrote {args.file}")
    return 0


def _is_generated_guide(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return "bolivia-lessons build" in head and "<!--" in head


def _build(args: argparse.Namespace) -> int:
    from .build import BuildError, build, guide_path, lesson_sources, teachers_guide

    root = args.notebooks
    if root is not None and not (root / "src").is_dir():
        print(f"bolivia-lessons build: {root} has no src/ folder of lesson sources", file=sys.stderr)
        return 2
    langs = [lang for lang in (LANGS if args.lang == "all" else (args.lang,)) if lesson_sources(lang, root)]
    verb = "Checking" if args.check else "Building"
    print(f"{verb} the lessons ({', '.join(langs)}); each runs in its own kernel…", flush=True)
    start = time.perf_counter()
    try:
        results = build(args.lessons or None, langs=langs, root=root, check=args.check, jobs=args.jobs, progress=_say)
    except BuildError as exc:
        print(f"bolivia-lessons build: {exc}", file=sys.stderr)
        return 2
    stale = [r for r in results if r.status == "stale"]
    failed = [r for r in results if r.status == "failed"]
    for lang in langs:
        path, text = guide_path(lang, root), teachers_guide(lang)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            print(f"stale: {path} (the teacher's guide)")
            stale.append(None)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for r in failed:
        print(f"\nFAILED {r.name}:\n{r.error}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} lesson(s) could not be built; fix the source and run the build again.", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    if args.check and stale:
        named = [r for r in stale if r is not None]
        print(f"\n{len(stale)} out of date:")
        for r in named:
            print(f"  {r.target} ({r.name}): differs from what {r.source} builds ({r.difference})")
        lessons = " ".join(sorted({f"{r.lesson_id:02d}" for r in named}))
        lang = "all" if len({r.lang for r in named}) > 1 else (named[0].lang if named else args.lang)
        fix = f"bolivia-lessons build {lessons} --lang {lang}".replace("  ", " ")
        print(f"Fix: {fix}   (then review with git diff and commit)")
        return 1
    changed = sum(r.status in ("new", "updated") for r in results)
    if args.check:
        print(f"All {len(results)} notebooks and the teacher's guide match their sources ({seconds:.0f} s).")
    else:
        print(f"Built {len(results)} notebooks in {seconds:.0f} s; {changed} changed.")
        print("Review the change with: git diff --stat notebooks/")
    return 0


def _say(line: str) -> None:
    print(line, flush=True)


def _present(args: argparse.Namespace) -> int:
    from .classroom import find_lesson, for_audience, lesson_title, read_notebook

    try:
        lesson = find_lesson(args.lesson, args.lang)
    except ValueError as exc:
        print(f"bolivia-lessons present: {exc}", file=sys.stderr)
        return 2
    problems = check()
    if problems:
        # a projector showing "error when executing cell" helps nobody: say what is wrong, here
        print(
            f"bolivia-lessons present: the data has {len(problems)} problem(s), so the lesson would fail:",
            file=sys.stderr,
        )
        for p in problems[:20]:
            print(f"  - {p}", file=sys.stderr)
        print("Fix them (bolivia-lessons validate lists them all) and run present again.", file=sys.stderr)
        return 1
    if not _port_free(args.port):
        print(
            f"bolivia-lessons present: port {args.port} on 127.0.0.1 is in use (another presentation?); "
            f"stop it or choose another port, for example --port {args.port + 1 if args.port < 65535 else 8866}",
            file=sys.stderr,
        )
        return 2
    # the class sees the student copy: code hidden by Voila, teacher notes left out
    with tempfile.TemporaryDirectory(prefix="bolivia-lessons-") as tmp:
        page = Path(tmp) / lesson.name
        page.write_text(json.dumps(for_audience(read_notebook(lesson), "student")), encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "voila",
            page.name,
            "--Voila.ip=127.0.0.1",
            f"--port={args.port}",
            # the banner names the port Voila serves on: never move to another one silently
            "--Voila.port_retries=0",
            # the package's own page template: large type for a projector, nothing from a CDN
            "--template=bolivia",
        ]
        if args.no_browser:
            cmd.append("--no-browser")
        print(
            f"Presenting {lesson_title(lesson)} ({lesson.name}) at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)",
            flush=True,
        )
        share = Path(str(resources.files("bolivia_lessons") / "share"))
        jupyter_path = os.pathsep.join(p for p in (str(share), os.environ.get("JUPYTER_PATH", "")) if p)
        env = os.environ | {"MPLBACKEND": "Agg", "JUPYTER_PATH": jupyter_path}
        return _run_until_stopped(cmd, cwd=tmp, env=env)


def _port_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _run_until_stopped(cmd: list[str], *, cwd: str, env: dict[str, str]) -> int:
    """Run a server in its own process group and stop all of it (kernels too) on Ctrl+C or SIGTERM."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a port is a whole number such as 8866, not {text!r}") from None
    if not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 1024 to 65535, not {value}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, not {value}")
    return value


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
        epilog=(
            "examples:\n"
            "  bolivia-lessons validate              # the shipped data\n"
            "  bolivia-lessons validate my_class     # a folder of your own rows, merged with it\n"
            "  bolivia-lessons validate my_class/events.csv"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("path", nargs="?", type=Path, help="data folder, or folder/file of extra rows")
    v.set_defaults(run=_validate)
    t = sub.add_parser(
        "tables",
        help="list the data set's tables",
        description="List every table of the data set with what it holds.",
        epilog="example:\n  bolivia-lessons tables",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    t.set_defaults(run=_tables)

    lab = sub.add_parser(
        "lab",
        help="copy the lessons into a working folder and open JupyterLab there",
        description=(
            "Copy the lessons into FOLDER (default: bolivia-lessons) and open JupyterLab there. Run it again "
            "whenever you like: it only adds lessons that are missing and never overwrites a notebook "
            "that is already in the folder. Any further arguments go to JupyterLab."
        ),
        epilog=(
            "examples:\n"
            "  bolivia-lessons lab                   # copies into ./bolivia-lessons and opens JupyterLab\n"
            "  bolivia-lessons lab my_lessons --copy-only\n"
            "  bolivia-lessons lab --teacher"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lab.add_argument("folder", nargs="?", type=Path, default=Path("bolivia-lessons"), help="working folder")
    lab.add_argument("--teacher", action="store_true", help="copy with teacher notes and suggested answers")
    lab.add_argument("--copy-only", action="store_true", help="copy the lessons, do not start JupyterLab")
    lab.add_argument("--lang", choices=LANGS, default="en", help="edition of the lessons (default en)")
    lab.add_argument("--update", action="store_true", help="replace lessons you have not changed by newer versions")
    lab.add_argument("--port", type=_port, help="JupyterLab's port on this computer (default: 8888 or the next free)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    lab.set_defaults(run=_lab)

    ex = sub.add_parser(
        "export",
        help="write a student copy and/or a teacher copy of every lesson",
        description=(
            "The student copy leaves out teacher notes and suggested answers (cells tagged 'teacher'); "
            "the teacher copy keeps everything. Existing files are never overwritten."
        ),
        epilog="examples:\n  bolivia-lessons export --student for_class --teacher for_me",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("--student", type=Path, metavar="DIR", help="folder for the student copy")
    ex.add_argument("--teacher", type=Path, metavar="DIR", help="folder for the teacher copy")
    ex.add_argument("--lang", choices=LANGS, default="en", help="edition of the lessons (default en)")
    ex.set_defaults(run=_export)

    ht = sub.add_parser(
        "html",
        help="write static HTML pages of every lesson, for reading and printing",
        description="Write a static HTML page of every lesson (text, tables, charts with their text alternatives).",
        epilog="examples:\n  bolivia-lessons html pages\n  bolivia-lessons html teacher_pages --teacher",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ht.add_argument("folder", type=Path, help="folder for the pages")
    ht.add_argument("--teacher", action="store_true", help="include teacher notes and suggested answers")
    ht.add_argument("--lang", choices=LANGS, default="en", help="edition of the lessons (default en)")
    ht.set_defaults(run=_html)

    pr = sub.add_parser(
        "present",
        help="present one lesson with Voila: code hidden, explorers live",
        description="Serve lesson NN (for example 05) with Voila on 127.0.0.1, without code or teacher notes.",
        epilog="examples:\n  bolivia-lessons present 05\n  bolivia-lessons present 2 --port 8870",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pr.add_argument("lesson", help="lesson number, for example 05")
    pr.add_argument("--port", type=_port, default=8866, help="port on 127.0.0.1 (default 8866)")
    pr.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    pr.add_argument("--lang", choices=LANGS, default="en", help="edition of the lesson (default en)")
    pr.set_defaults(run=_present)

    gd = sub.add_parser(
        "guide",
        help="print (or write to FILE) the teacher's guide built from the lesson tables",
        description="Print the teacher's guide, or write it to FILE (a file that is not an earlier guide is never "
        "overwritten).",
        epilog="examples:\n  bolivia-lessons guide\n  bolivia-lessons guide my_guide.md --lang en",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gd.add_argument("file", nargs="?", type=Path, help="where to write it (default: print)")
    gd.add_argument("--lang", choices=LANGS, default="en", help="language of the guide (default en)")
    gd.set_defaults(run=_guide)

    bd = sub.add_parser(
        "build",
        help="build the lesson notebooks from their text sources (for lesson maintainers)",
        description=(
            "Turn the lesson sources (notebooks/src/<lang>/NN_slug.md, MyST Markdown) into the notebooks learners "
            "open (notebooks/<lang>/NN_slug.ipynb): run every cell in a fresh kernel and store the outputs, the "
            "same bytes on every run. Also writes the teacher's guide. With --check, write nothing and exit 1 "
            "if a committed notebook differs from what its source builds."
        ),
        epilog=(
            "examples:\n"
            "  bolivia-lessons build               # every lesson\n"
            "  bolivia-lessons build 05            # one lesson\n"
            "  bolivia-lessons build --check       # what CI runs: is every notebook current?\n"
            "  bolivia-lessons build 03 04 --jobs 1"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bd.add_argument("lessons", nargs="*", metavar="NN", help="lesson numbers (default: all)")
    bd.add_argument("--lang", choices=[*LANGS, "all"], default="all", help="edition to build (default all)")
    bd.add_argument("--check", action="store_true", help="only compare; exit 1 and name each stale notebook")
    bd.add_argument("--jobs", type=_positive, default=None, help="lessons run at once (default: CPUs, at most 4)")
    bd.add_argument("--notebooks", type=Path, metavar="DIR", help="the notebooks/ folder (default: this checkout's)")
    bd.set_defaults(run=_build)

    args, rest = parser.parse_known_args(argv)
    # only JupyterLab's own settings (--Class.trait=value) pass through; anything else is a mistake
    # to name, not a folder to create (`lab --port 8899` once made a folder called 8899)
    stray = [a for a in rest if args.command != "lab" or not re.fullmatch(r"--[A-Za-z]\w*\.\w+=.*", a)]
    if stray:
        parser.error(f"unrecognized arguments: {' '.join(stray)}")
    args.jupyter_args = rest
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except DataError as exc:
        print(f"bolivia-lessons {args.command}: the data has problems:\n{exc}", file=sys.stderr)
        print("Check it with: bolivia-lessons validate", file=sys.stderr)
        return 1
    except OSError as exc:  # a path that is a file, a read-only folder, a full disk, data that is not there
        if exc.errno is None:  # raised with a sentence of ours, which already says what is wrong
            print(f"bolivia-lessons {args.command}: {exc}", file=sys.stderr)
        else:
            where = f" {exc.filename}" if exc.filename else ""
            print(f"bolivia-lessons {args.command}: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
